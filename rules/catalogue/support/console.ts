/**
 * Shared by `console-logging` and `swallowed-error`: recognising calls on the global `console`, and a
 * cheap "is this name declared in an enclosing scope" check (parameters of enclosing functions,
 * declarations in enclosing blocks, catch variables, loop variables, imports).
 *
 * `isDeclaredInScope` is general enough for rules/ast.ts; it lives here because that file is not ours.
 */
import ts = require("typescript");
import { expressionPath, unwrap } from "../../ast";
import type { RuleContext } from "../../types";

/** The `console` methods that print (the ones a structured logger replaces). */
export const CONSOLE_PRINT_METHODS: ReadonlySet<string> = new Set(["log", "info", "warn", "error", "debug", "trace", "dir"]);

/** Adds every identifier a binding name (`a`, `{ a, b: [c] }`, `...rest`) binds. */
export function bindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) {
    into.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) bindingNames(element.name, into);
  }
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((element) => ts.isBindingElement(element) && bindsName(element.name, wanted));
}

// Names a statement list declares, computed once per list: console calls ask for every call.
const declaredByStatements = new WeakMap<ts.NodeArray<ts.Statement>, Set<string>>();

function declaredNames(statements: ts.NodeArray<ts.Statement>): Set<string> {
  let names = declaredByStatements.get(statements);
  if (names) return names;
  names = new Set();
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, names);
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) names.add(statement.name.text);
    else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isImportEqualsDeclaration(statement)) names.add(statement.name.text);
  }
  declaredByStatements.set(statements, names);
  return names;
}

/**
 * True when `name` is declared in a scope enclosing `node` (so it is not the global of that name).
 * Looks only at the declarations those scopes hold directly: cheap, and enough for shadowing.
 */
export function isDeclaredInScope(node: ts.Node, name: string): boolean {
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      if (scope.parameters.some((parameter) => bindsName(parameter.name, name))) return true;
      if ((ts.isFunctionExpression(scope) || ts.isFunctionDeclaration(scope)) && scope.name?.text === name) return true;
    } else if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
      if (declaredNames(scope.statements).has(name)) return true;
    } else if (ts.isCatchClause(scope)) {
      if (scope.variableDeclaration && bindsName(scope.variableDeclaration.name, name)) return true;
    } else if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
      const initializer = scope.initializer;
      if (initializer && ts.isVariableDeclarationList(initializer) && initializer.declarations.some((d) => bindsName(d.name, name))) return true;
    } else if (ts.isClassExpression(scope)) {
      if (scope.name?.text === name) return true;
    }
  }
  return false;
}

/**
 * The method name when `call` invokes a method of the global console: `console.log(…)`,
 * `console["warn"](…)`, `globalThis.console.error(…)`. `undefined` when `console` is a local.
 */
export function globalConsoleMethod(call: ts.CallExpression, context: Pick<RuleContext, "imports">): string | undefined {
  const path = expressionPath(unwrap(call.expression));
  if (!path) return undefined;
  const parts = path.split(".");
  let method: string;
  if (parts.length === 2 && parts[0] === "console") method = parts[1];
  else if (parts.length === 3 && (parts[0] === "globalThis" || parts[0] === "global") && parts[1] === "console") method = parts[2];
  else return undefined;
  if (parts[0] === "console") {
    if (context.imports.some((binding) => binding.defaultName === "console" || binding.namespaceName === "console" || [...binding.named.values()].includes("console"))) {
      // `import console from "console"` is still Node's console; anything else is a custom object.
      if (!context.imports.some((binding) => binding.module === "console" || binding.module === "node:console")) return undefined;
    } else if (isDeclaredInScope(call, "console")) {
      return undefined;
    }
  }
  return method;
}

/** True when a block holds a `//` or `/* *\/` comment between its statements (or is empty but for one). */
export function hasCommentBetweenStatements(text: string, block: ts.Block): boolean {
  const positions: number[] = block.statements.map((statement) => statement.pos);
  positions.push(block.statements.end);
  for (const position of positions) {
    if ((ts.getLeadingCommentRanges(text, position)?.length ?? 0) > 0) return true;
    if ((ts.getTrailingCommentRanges(text, position)?.length ?? 0) > 0) return true;
  }
  return false;
}
