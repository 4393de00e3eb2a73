/**
 * Shared by `console-logging` and `swallowed-error`: recognising calls on the global `console`, and a
 * cheap "is this name declared in an enclosing scope" check (parameters of enclosing functions,
 * declarations in enclosing blocks, catch variables, loop variables, imports).
 *
 * `isDeclaredInScope` is general enough for rules/ast.ts; it lives here because that file is not ours.
 */
import ts = require("typescript");
import { expressionPath, moduleOfLocal, unwrap } from "../../ast";
import type { RuleContext } from "../../types";
import { pathRoot } from "./resolve-from-visited";

// Read once: `ts` is a namespace of getters (each `ts.x` is a lookup and a call), and these run for
// every call of a file and every scope above it.
const Kind = ts.SyntaxKind;
const {
  isBindingElement,
  isClassDeclaration,
  isEnumDeclaration,
  isFunctionDeclaration,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isNamedImports,
  isNamespaceImport,
  isVariableDeclarationList,
  isVariableStatement,
} = ts;

/** The `console` methods that print (the ones a structured logger replaces). */
export const CONSOLE_PRINT_METHODS: ReadonlySet<string> = new Set(["log", "info", "warn", "error", "debug", "trace", "dir"]);

/** Adds every identifier a binding name (`a`, `{ a, b: [c] }`, `...rest`) binds. */
export function bindingNames(name: ts.BindingName, into: Set<string>): void {
  if (isIdentifier(name)) {
    into.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (isBindingElement(element)) bindingNames(element.name, into);
  }
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (isIdentifier(name)) return name.text === wanted;
  return name.elements.some((element) => isBindingElement(element) && bindsName(element.name, wanted));
}

// Per statement list: name → whether the list declares it, decided the first time a name is asked
// about (console calls all ask about `console`: building every name of a large module was the cost).
// Booleans only: a WeakMap value that referenced the tree would keep the tree alive.
const declaredByStatements = new WeakMap<ts.NodeArray<ts.Statement>, Map<string, boolean>>();

function declares(statements: ts.NodeArray<ts.Statement>, name: string): boolean {
  // Short lists (most blocks) are cheaper to rescan than to cache.
  if (statements.length <= 16) return statementsDeclare(statements, name);
  let answers = declaredByStatements.get(statements);
  if (!answers) declaredByStatements.set(statements, (answers = new Map()));
  let answer = answers.get(name);
  if (answer === undefined) answers.set(name, (answer = statementsDeclare(statements, name)));
  return answer;
}

function statementsDeclare(statements: ts.NodeArray<ts.Statement>, name: string): boolean {
  for (const statement of statements) {
    if (isVariableStatement(statement)) {
      if (statement.declarationList.declarations.some((declaration) => bindsName(declaration.name, name))) return true;
    } else if ((isFunctionDeclaration(statement) || isClassDeclaration(statement) || isEnumDeclaration(statement)) && statement.name) {
      if (statement.name.text === name) return true;
    } else if (isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name?.text === name) return true;
      const bindings = clause.namedBindings;
      if (bindings && isNamespaceImport(bindings) && bindings.name.text === name) return true;
      if (bindings && isNamedImports(bindings) && bindings.elements.some((element) => element.name.text === name)) return true;
    } else if (isImportEqualsDeclaration(statement)) {
      if (statement.name.text === name) return true;
    }
  }
  return false;
}

/**
 * True when `name` is declared in a scope enclosing `node` (so it is not the global of that name).
 * Looks only at the declarations those scopes hold directly: cheap, and enough for shadowing.
 */
export function isDeclaredInScope(node: ts.Node, name: string): boolean {
  // A switch on the kind: this runs for every node above every console call.
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    switch (scope.kind) {
      case Kind.SourceFile:
      case Kind.Block:
      case Kind.ModuleBlock:
      case Kind.CaseClause:
      case Kind.DefaultClause:
        if (declares((scope as ts.SourceFile | ts.Block | ts.ModuleBlock | ts.CaseOrDefaultClause).statements, name)) return true;
        break;
      case Kind.CatchClause: {
        const variable = (scope as ts.CatchClause).variableDeclaration;
        if (variable && bindsName(variable.name, name)) return true;
        break;
      }
      case Kind.ForStatement:
      case Kind.ForOfStatement:
      case Kind.ForInStatement: {
        const initializer = (scope as ts.ForStatement | ts.ForOfStatement | ts.ForInStatement).initializer;
        if (initializer && isVariableDeclarationList(initializer) && initializer.declarations.some((d) => bindsName(d.name, name))) return true;
        break;
      }
      case Kind.ClassExpression:
        if ((scope as ts.ClassExpression).name?.text === name) return true;
        break;
      default:
        if (isFunctionLike(scope)) {
          if (scope.parameters.some((parameter) => bindsName(parameter.name, name))) return true;
          if ((isFunctionExpression(scope) || isFunctionDeclaration(scope)) && scope.name?.text === name) return true;
        }
    }
  }
  return false;
}

/**
 * The method name when `call` invokes a method of the global console: `console.log(…)`,
 * `console["warn"](…)`, `globalThis.console.error(…)`. `undefined` when `console` is a local.
 */
export function globalConsoleMethod(call: ts.CallExpression, context: Pick<RuleContext, "imports">): string | undefined {
  // The first name decides most calls before any path is built.
  const root = pathRoot(call.expression);
  if (root !== "console" && root !== "globalThis" && root !== "global") return undefined;
  const callee = unwrap(call.expression);
  let method: string;
  if (callee.kind === Kind.PropertyAccessExpression && (callee as ts.PropertyAccessExpression).expression.kind === Kind.Identifier && root === "console") {
    // `console.log`: the usual shape, named without building its path.
    method = (callee as ts.PropertyAccessExpression).name.text;
  } else {
    const path = expressionPath(callee);
    if (!path) return undefined;
    const parts = path.split(".");
    if (parts.length === 2 && parts[0] === "console") method = parts[1];
    else if (parts.length === 3 && (parts[0] === "globalThis" || parts[0] === "global") && parts[1] === "console") method = parts[2];
    else return undefined;
  }
  if (root === "console") {
    if (moduleOfLocal(context, "console") !== undefined) {
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
