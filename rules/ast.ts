/**
 * Small, allocation-light questions rules ask about the syntax tree.
 *
 * Parents: the engine sets `parent` while it walks (pre-order), so a visitor may always look *up*
 * from the node it visits. Descendants of that node have no parent yet: look *down* with
 * `findDescendant`/`forEachDescendant` (which never ask for a parent), or decide in `onEnd`, when
 * the whole tree has parents.
 */
import ts = require("typescript");
import type { ImportBinding, RuleContext, TextEdit } from "./types";

const PARENTHESIZED = ts.SyntaxKind.ParenthesizedExpression;
const AS = ts.SyntaxKind.AsExpression;
const SATISFIES = ts.SyntaxKind.SatisfiesExpression;
const NON_NULL = ts.SyntaxKind.NonNullExpression;
const TYPE_ASSERTION = ts.SyntaxKind.TypeAssertionExpression;

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` assertions. */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  // One switch on the kind: this runs for most nodes rules look at.
  for (;;) {
    switch (current.kind) {
      case PARENTHESIZED:
      case AS:
      case SATISFIES:
      case NON_NULL:
      case TYPE_ASSERTION:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

/** The value of a string literal or a template without substitutions. */
export function staticString(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  const n = ts.isExpression(node) ? unwrap(node) : node;
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  return undefined;
}

/** The text of a property name that is an identifier, string or number. */
export function propertyNameText(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return staticString(name.expression);
  return undefined;
}

/** The property of an object literal with this name (the last one wins, as at run time). */
export function getProperty(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  let found: ts.ObjectLiteralElementLike | undefined;
  for (const property of object.properties) {
    if (!ts.isSpreadAssignment(property) && propertyNameText(property.name) === name) found = property;
  }
  return found;
}

/** The value expression of `name: value` or `{ name }` in an object literal. */
export function getPropertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const property = getProperty(object, name);
  if (!property) return undefined;
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}

/** The first argument when it is an object literal (`cors({...})`). */
export function objectArgument(call: ts.CallExpression | ts.NewExpression, index = 0): ts.ObjectLiteralExpression | undefined {
  const argument = call.arguments?.[index];
  if (!argument) return undefined;
  const value = unwrap(argument);
  return ts.isObjectLiteralExpression(value) ? value : undefined;
}

/**
 * A dotted path for an identifier/property-access chain: `app.use`, `stripe.paymentIntents.create`,
 * `this.prisma.user.create`. `undefined` for anything else (calls in the middle, element access with
 * a non-literal key).
 */
export function expressionPath(node: ts.Node): string | undefined {
  const parts: string[] = [];
  let current: ts.Node = node;
  for (;;) {
    if (ts.isExpression(current)) current = unwrap(current);
    if (ts.isIdentifier(current)) {
      parts.push(current.text);
      break;
    }
    if (current.kind === ts.SyntaxKind.ThisKeyword) {
      parts.push("this");
      break;
    }
    if (ts.isPropertyAccessExpression(current)) {
      parts.push(current.name.text);
      current = current.expression;
      continue;
    }
    if (ts.isElementAccessExpression(current)) {
      const key = staticString(current.argumentExpression);
      if (key === undefined) return undefined;
      parts.push(key);
      current = current.expression;
      continue;
    }
    return undefined;
  }
  return parts.reverse().join(".");
}

/** `expressionPath` of what a call or `new` invokes. */
export function calleePath(call: ts.CallExpression | ts.NewExpression): string | undefined {
  return expressionPath(call.expression);
}

/** The last segment of a callee: `create` for `stripe.paymentIntents.create(...)`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee)) return staticString(callee.argumentExpression);
  return undefined;
}

/** The nearest enclosing function-like node (function, arrow, method, accessor, constructor). */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current;
  }
  return undefined;
}

/** True when the node sits at module level (not inside any function or class body). */
export function isModuleLevel(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) return false;
  }
  return true;
}

/** Searches a subtree depth-first without recursion; never reads `parent`. */
export function findDescendant<T extends ts.Node>(root: ts.Node, predicate: (node: ts.Node) => node is T): T | undefined;
export function findDescendant(root: ts.Node, predicate: (node: ts.Node) => boolean): ts.Node | undefined;
export function findDescendant(root: ts.Node, predicate: (node: ts.Node) => boolean): ts.Node | undefined {
  let found: ts.Node | undefined;
  forEachDescendant(root, (node) => {
    if (predicate(node)) {
      found = node;
      return false;
    }
    return true;
  });
  return found;
}

/**
 * Visits a subtree in pre-order without recursion (deep trees don't overflow the stack). The callback
 * returns `false` to stop the whole search, `"skip"` to not descend into this node. Sets `parent` on
 * the nodes it reaches, so they can be asked for ancestors afterwards.
 */
export function forEachDescendant(root: ts.Node, visit: (node: ts.Node) => boolean | "skip" | void): void {
  const stack: ts.Node[] = [];
  const pushChildren = (parent: ts.Node) => {
    const from = stack.length;
    ts.forEachChild(parent, (child) => {
      if (!child.parent) (child as { parent: ts.Node }).parent = parent;
      stack.push(child);
    });
    reverseTail(stack, from);
  };
  pushChildren(root);
  while (stack.length > 0) {
    const node = stack.pop()!;
    const result = visit(node);
    if (result === false) return;
    if (result !== "skip") pushChildren(node);
  }
}

export function reverseTail<T>(array: T[], from: number): void {
  for (let i = from, j = array.length - 1; i < j; i++, j--) {
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
}

export interface BindingSource {
  initializer: ts.Expression;
  /** For `const { origin } = req.headers`: the property read (`origin`). */
  property?: string;
}

interface ScopeIndex {
  bindings: Map<string, BindingSource>;
  functions: Map<string, ts.FunctionDeclaration>;
}

// Declarations of a scope, indexed once: rules look names up for many nodes of the same (large) scope.
// The cache holds only the file being analysed: a WeakMap whose values point into syntax trees makes
// V8 copy and promote every tree through young-generation collections (measured: 30x the GC time).
let indexedFile: ts.SourceFile | undefined;
const scopeIndexes = new Map<ts.Node, ScopeIndex>();

function scopeIndex(scope: ts.SourceFile | ts.Block | ts.ModuleBlock): ScopeIndex {
  const file = scope.getSourceFile();
  if (file !== indexedFile) {
    indexedFile = file;
    scopeIndexes.clear();
  }
  let index = scopeIndexes.get(scope);
  if (index) return index;
  index = { bindings: new Map(), functions: new Map() };
  for (const statement of scope.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body && !index.functions.has(statement.name.text)) {
      index.functions.set(statement.name.text, statement);
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!declaration.initializer) continue;
      if (ts.isIdentifier(declaration.name)) {
        if (!index.bindings.has(declaration.name.text)) index.bindings.set(declaration.name.text, { initializer: declaration.initializer });
      } else if (ts.isObjectBindingPattern(declaration.name)) {
        for (const element of declaration.name.elements) {
          if (!ts.isIdentifier(element.name) || element.dotDotDotToken || index.bindings.has(element.name.text)) continue;
          const key = element.propertyName;
          const property = key ? (ts.isIdentifier(key) ? key.text : staticString(key as ts.Expression)) : element.name.text;
          index.bindings.set(element.name.text, { initializer: declaration.initializer, property: property ?? "" });
        }
      }
    }
  }
  // Small scopes are cheap to rescan; keep memory for the ones that matter.
  if (ts.isSourceFile(scope) || scope.statements.length > 16) scopeIndexes.set(scope, index);
  return index;
}

function* scopesAbove(from: ts.Node): Generator<ts.SourceFile | ts.Block | ts.ModuleBlock> {
  for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
    if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope)) yield scope;
  }
}

/** Where a local name gets its value: `const name = …`, or `const { name } = …` (with the property read). */
export function bindingSource(from: ts.Node, name: string): BindingSource | undefined {
  for (const scope of scopesAbove(from)) {
    const found = scopeIndex(scope).bindings.get(name);
    if (found) return found;
  }
  return undefined;
}

/**
 * The initializer of the `const`/`let`/`var` that declares `name` in a scope enclosing `from`
 * (block, function body or module), looking only at the statements of those scopes. A destructured
 * binding of the name shadows outer ones and has no single initializer: `undefined`.
 */
export function findVariableInitializer(from: ts.Node, name: string): ts.Expression | undefined {
  const found = bindingSource(from, name);
  return found && found.property === undefined ? found.initializer : undefined;
}

/** `function name(…) { … }` in a scope enclosing `from`. */
export function functionDeclaration(from: ts.Node, name: string): ts.FunctionDeclaration | undefined {
  for (const scope of scopesAbove(from)) {
    const found = scopeIndex(scope).functions.get(name);
    if (found) return found;
  }
  return undefined;
}

/** Resolves an identifier to the expression of its same-file variable, once (no chains). */
export function resolveIdentifier(expression: ts.Expression): ts.Expression {
  const value = unwrap(expression);
  if (ts.isIdentifier(value)) return findVariableInitializer(value, value.text) ?? value;
  return value;
}

const ENVIRONMENT_NAME = /^(?:is_?)?(?:prod|production|dev|development|local|test|testing|staging)(?:_?(?:mode|env))?$|^(?:__DEV__|NODE_ENV|APP_ENV|env)$/i;

/** True when an expression reads the environment: `process.env…`, `import.meta.env…`, `NODE_ENV`, `isProduction`, `config.isDev`… */
export function readsEnvironment(expression: ts.Node): boolean {
  const matches = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node)) return ENVIRONMENT_NAME.test(node.text);
    if (ts.isPropertyAccessExpression(node)) {
      const path = expressionPath(node);
      if (path && (/^process\.env\b/.test(path) || /^import\.meta\.env\b/.test(path))) return true;
      return ENVIRONMENT_NAME.test(node.name.text);
    }
    if (ts.isMetaProperty(node)) return true;
    return false;
  };
  return matches(expression) || findDescendant(expression, matches) !== undefined;
}

/**
 * True when `node` only runs (or only has its value) under an environment check: inside an `if`,
 * `?:`, `&&`/`||` branch, or `switch` whose condition reads the environment, below `stopAt`.
 */
export function isEnvironmentGuarded(node: ts.Node, stopAt?: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== stopAt; child = current, current = current.parent) {
    if (ts.isIfStatement(current) && child !== current.expression && readsEnvironment(current.expression)) return true;
    if (ts.isConditionalExpression(current) && child !== current.condition && readsEnvironment(current.condition)) return true;
    if (
      ts.isBinaryExpression(current) &&
      child === current.right &&
      (current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        current.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
      readsEnvironment(current.left)
    ) {
      return true;
    }
    if (ts.isCaseClause(current) && ts.isCaseBlock(current.parent) && readsEnvironment(current.parent.parent.expression)) return true;
    if (ts.isFunctionLike(current) && !ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) return false;
  }
  return false;
}

/** The import bindings of a module (`import x from "m"`, `require("m")`), exact name or any of several. */
export function importsOf(context: Pick<RuleContext, "imports">, ...modules: string[]): ImportBinding[] {
  return context.imports.filter((binding) => modules.includes(binding.module));
}

/** Every local name a module is bound to in this file: default, namespace and named bindings. */
export function localNamesOf(context: Pick<RuleContext, "imports">, ...modules: string[]): Set<string> {
  const names = new Set<string>();
  for (const binding of importsOf(context, ...modules)) {
    if (binding.defaultName) names.add(binding.defaultName);
    if (binding.namespaceName) names.add(binding.namespaceName);
    for (const local of binding.named.values()) names.add(local);
  }
  return names;
}

export interface ImportedName {
  module: string;
  /** The export it names: `Client` for `import { Client } from "pg"` or `pg.Client`; `default` / `*` for the module itself. */
  name: string;
}

// One index per file (keyed by its bindings array): rules ask this for most identifiers they meet.
const importIndexes = new WeakMap<readonly ImportBinding[], Map<string, ImportedName>>();

function importIndex(imports: readonly ImportBinding[]): Map<string, ImportedName> {
  let index = importIndexes.get(imports);
  if (!index) {
    index = new Map();
    for (const binding of imports) {
      for (const [imported, local] of binding.named) if (!index.has(local)) index.set(local, { module: binding.module, name: imported });
      if (binding.namespaceName && !index.has(binding.namespaceName)) index.set(binding.namespaceName, { module: binding.module, name: "*" });
      if (binding.defaultName && !index.has(binding.defaultName)) index.set(binding.defaultName, { module: binding.module, name: "default" });
    }
    importIndexes.set(imports, index);
  }
  return index;
}

/** The module a local name was imported from, if any. */
export function moduleOfLocal(context: Pick<RuleContext, "imports">, local: string): string | undefined {
  return importIndex(context.imports).get(local)?.module;
}

/**
 * What an identifier or `ns.member` refers to when it comes from an import or require:
 * `Client` (named) → `{ pg, Client }`, `pg.Client` (default/namespace) → `{ pg, Client }`, `knex` (default) → `{ knex, default }`.
 */
export function resolveImport(context: Pick<RuleContext, "imports">, expression: ts.Expression): ImportedName | undefined {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return importIndex(context.imports).get(node.text);
  if (ts.isPropertyAccessExpression(node)) {
    const base = resolveImport(context, node.expression);
    if (base && (base.name === "default" || base.name === "*")) return { module: base.module, name: node.name.text };
  }
  return undefined;
}

/** The whitespace that starts the line containing `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  let lineStart = offset;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
  let end = lineStart;
  while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
  return text.slice(lineStart, end);
}

export function lineStartAt(text: string, offset: number): number {
  let lineStart = offset;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
  return lineStart;
}

/** The end-of-line sequence the file already uses. */
export function newlineOf(text: string): string {
  const index = text.indexOf("\n");
  return index > 0 && text[index - 1] === "\r" ? "\r\n" : "\n";
}

export interface ImportSpec {
  module: string;
  defaultName?: string;
  named?: string[];
}

/**
 * An edit adding an import the fix needs, in the file's own module style, after its last top-level
 * import; `undefined` when the file already imports it.
 */
export function addImportEdit(context: Pick<RuleContext, "imports" | "isCommonJs" | "sourceFile" | "text"> & Partial<Pick<RuleContext, "shared">>, spec: ImportSpec): TextEdit | undefined {
  const existing = importsOf(context, spec.module);
  const missingNamed = (spec.named ?? []).filter((name) => !existing.some((binding) => binding.named.has(name)));
  const missingDefault = spec.defaultName && !existing.some((binding) => binding.defaultName || binding.namespaceName);
  if (!missingDefault && missingNamed.length === 0) return undefined;
  const eol = newlineOf(context.text);
  const quote = quoteOf(context);
  const module = `${quote}${spec.module}${quote}`;
  let statement: string;
  if (context.isCommonJs) {
    statement = missingDefault
      ? `const ${spec.defaultName} = require(${module});`
      : `const { ${missingNamed.join(", ")} } = require(${module});`;
  } else {
    const parts: string[] = [];
    if (missingDefault) parts.push(spec.defaultName!);
    if (missingNamed.length > 0) parts.push(`{ ${missingNamed.join(", ")} }`);
    statement = `import ${parts.join(", ")} from ${module};`;
  }
  const lastImport = context.imports.length > 0 ? topLevelStatementOf(context.imports[context.imports.length - 1].node) : undefined;
  if (lastImport) return { start: lastImport.end, end: lastImport.end, newText: eol + statement };
  const first = context.sourceFile.statements[0];
  const at = first ? first.getStart(context.sourceFile) : 0;
  return { start: at, end: at, newText: statement + eol + (first ? eol : "") };
}

const QUOTE = Symbol("quoteOf");

/** The quote the file's imports use (`'` when any import or require does), searched once per file. */
function quoteOf(context: Pick<RuleContext, "text"> & Partial<Pick<RuleContext, "shared">>): string {
  const known = context.shared?.get(QUOTE) as string | undefined;
  if (known !== undefined) return known;
  const quote = context.text.includes("from '") || context.text.includes("require('") ? "'" : '"';
  context.shared?.set(QUOTE, quote);
  return quote;
}

function topLevelStatementOf(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current;
}

/** Shows at most the first four characters of a secret: `sk_l…`. */
export function redact(secret: string): string {
  return secret.length <= 4 ? "…" : `${secret.slice(0, 4)}…`;
}

/** An edit replacing a node's text. */
export function replaceNode(node: ts.Node, sourceFile: ts.SourceFile, newText: string): TextEdit {
  return { start: node.getStart(sourceFile), end: node.getEnd(), newText };
}

/** `SCREAMING_SNAKE` form of an identifier: `stripeSecretKey` → `STRIPE_SECRET_KEY`. */
export function toEnvName(identifier: string): string {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
}

/** True for a function whose parameters look like an HTTP handler's: `(req, res)`, `(request, reply)`, `(ctx)`, or a NestJS route method. */
export function isRequestHandler(fn: ts.SignatureDeclaration): boolean {
  const names = fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : ""));
  if (names.length >= 1 && /^(req|request)$/.test(names[0])) return true;
  if (names.length >= 1 && names[0] === "ctx" && fn.parameters.length <= 2) return true;
  if (ts.isMethodDeclaration(fn)) {
    const decorators = ts.canHaveDecorators(fn) ? ts.getDecorators(fn) ?? [] : [];
    return decorators.some((decorator) => {
      const expression = decorator.expression;
      const name = ts.isCallExpression(expression) ? calleeName(expression) : undefined;
      return name !== undefined && /^(Get|Post|Put|Patch|Delete|All|Head|Options)$/.test(name);
    });
  }
  return false;
}

/** Deletes a range, together with its whole line when nothing else stands on that line. */
export function deletionEdit(text: string, start: number, end: number): TextEdit {
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === " " || text[lineStart - 1] === "\t")) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === " " || text[lineEnd] === "\t")) lineEnd++;
  const startsLine = lineStart === 0 || text[lineStart - 1] === "\n";
  const endsLine = lineEnd === text.length || text[lineEnd] === "\n" || text[lineEnd] === "\r";
  if (!startsLine || !endsLine) return { start, end, newText: "" };
  const afterBreak = text[lineEnd] === "\r" && text[lineEnd + 1] === "\n" ? lineEnd + 2 : text[lineEnd] === "\n" || text[lineEnd] === "\r" ? lineEnd + 1 : lineEnd;
  return { start: lineStart, end: afterBreak, newText: "" };
}
