/**
 * Module-level containers (`const hits = new Map()`, `const sessions: Session[] = []`) and how the
 * file's functions use them. Shared by `in-memory-rate-limit` (per-IP counters) and
 * `in-memory-session-store` (sessions, refresh tokens, OTP state kept in process memory).
 *
 * Rules read the names of the containers that matter to them once (`moduleContainerNames`), feed
 * every VariableDeclaration to `moduleLevelContainer`, every CallExpression, ElementAccessExpression
 * and BinaryExpression to `containerUseOf` (with those names), and decide in `onEnd`.
 */
import ts = require("typescript");
import { enclosingFunction, staticString, unwrap } from "../../ast";
import type { RuleContext } from "../../types";

export type ContainerKind = "Map" | "Set" | "array" | "object";

export interface ModuleContainer {
  name: string;
  kind: ContainerKind;
  declaration: ts.VariableDeclaration;
  /** Lower-case words of the name: `pendingMfaCodes` → pending, mfa, codes. */
  words: string[];
}

export interface ContainerUse {
  name: string;
  access: "read" | "write";
  /** The key of `get/set/has/delete(key)` or `x[key]`. */
  key?: ts.Expression;
  node: ts.Node;
  /** True when the use runs inside a function (at request time), not while the module loads. */
  inFunction: boolean;
}

/** `refreshTokens` → refresh, tokens; `OTP_STORE` → otp, store; `pending2faCodes` → pending2fa, codes. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

// Read once: `ts` is a namespace of getters, and these checks run for every top-level declaration.
const Kind = ts.SyntaxKind;
/** What `unwrap` strips. */
const WRAPPER_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([Kind.ParenthesizedExpression, Kind.AsExpression, Kind.SatisfiesExpression, Kind.NonNullExpression, Kind.TypeAssertionExpression]);

export function containerKindOf(initializer: ts.Expression): ContainerKind | undefined {
  const value = WRAPPER_KINDS.has(initializer.kind) ? unwrap(initializer) : initializer;
  switch (value.kind) {
    case Kind.NewExpression: {
      const callee = (value as ts.NewExpression).expression;
      if (callee.kind !== Kind.Identifier) return undefined;
      const name = (callee as ts.Identifier).text;
      return name === "Map" ? "Map" : name === "Set" ? "Set" : name === "Array" ? "array" : undefined;
    }
    case Kind.ArrayLiteralExpression:
      return (value as ts.ArrayLiteralExpression).elements.length === 0 ? "array" : undefined;
    case Kind.ObjectLiteralExpression:
      return (value as ts.ObjectLiteralExpression).properties.length === 0 ? "object" : undefined;
    case Kind.CallExpression: {
      // Object.create(null)
      const call = value as ts.CallExpression;
      const callee = call.expression;
      if (callee.kind !== Kind.PropertyAccessExpression || (callee as ts.PropertyAccessExpression).name.text !== "create") return undefined;
      const target = (callee as ts.PropertyAccessExpression).expression;
      return target.kind === Kind.Identifier && (target as ts.Identifier).text === "Object" && call.arguments[0]?.kind === Kind.NullKeyword ? "object" : undefined;
    }
    default:
      return undefined;
  }
}

/** A container declared at the top level of the module (`const`, `let`, `var`, exported or not). */
export function moduleLevelContainer(declaration: ts.VariableDeclaration): ModuleContainer | undefined {
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  if (!list || !ts.isVariableDeclarationList(list) || !list.parent || !ts.isVariableStatement(list.parent)) return undefined;
  if (!list.parent.parent || !ts.isSourceFile(list.parent.parent)) return undefined;
  const kind = containerKindOf(declaration.initializer);
  if (!kind) return undefined;
  return { name: declaration.name.text, kind, declaration, words: identifierWords(declaration.name.text) };
}

/**
 * The names of a file's module-level containers that `accept` keeps, read from its top-level
 * statements (the same declarations `moduleLevelContainer` accepts, and usable in `create`, before
 * the walk has set parents). Rules pass them to `containerUseOf`, so a use of any other name costs
 * nothing: most files have none.
 */
export function moduleContainerNames(sourceFile: ts.SourceFile, accept: (kind: ContainerKind, words: string[]) => boolean): ReadonlySet<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (statement.kind !== Kind.VariableStatement) continue;
    for (const declaration of (statement as ts.VariableStatement).declarationList.declarations) {
      if (declaration.name.kind !== Kind.Identifier || !declaration.initializer) continue;
      const kind = containerKindOf(declaration.initializer);
      if (kind && accept(kind, identifierWords(declaration.name.text))) names.add(declaration.name.text);
    }
  }
  return names;
}

const READ_METHODS = new Set(["get", "has", "includes", "indexOf", "find", "findIndex", "some", "filter"]);
const WRITE_METHODS = new Set(["set", "add", "delete", "clear", "push", "unshift", "splice", "pop", "shift"]);

function isWriteTarget(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isBinaryExpression(parent) && parent.left === node) {
    const kind = parent.operatorToken.kind;
    return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
  }
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  }
  if (ts.isDeleteExpression(parent)) return true;
  return false;
}

function isCompoundUpdate(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) return true;
  return ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken;
}

/**
 * What a node does to a container named by a plain identifier: `x.get(k)`, `x.set(k, v)`, `x.push(v)`,
 * `x[k] = v`, `x[k]++`, `delete x[k]`, `x = [...]`. A compound update (`x[k]++`, `x[k] += 1`) is
 * reported as a write; callers wanting its read half call `isCompoundUse`. Only uses of `names`
 * (from `moduleContainerNames`) are returned.
 */
export function containerUseOf(node: ts.Node, names: ReadonlySet<string>): ContainerUse | undefined {
  // Uses of other names are never asked about (see `moduleContainerNames`).
  if (names.size === 0) return undefined;
  if (ts.isCallExpression(node)) {
    // `x.method(…)` on another name: rejected before unwrapping (this runs for every call).
    const direct = node.expression;
    if (ts.isPropertyAccessExpression(direct) && ts.isIdentifier(direct.expression) && !names.has(direct.expression.text)) return undefined;
    const callee = unwrap(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || !names.has(callee.expression.text)) return undefined;
    const method = callee.name.text;
    const access = WRITE_METHODS.has(method) ? "write" : READ_METHODS.has(method) ? "read" : undefined;
    if (!access) return undefined;
    const keyed = method === "get" || method === "has" || method === "set" || method === "delete";
    return { name: callee.expression.text, access, key: keyed ? node.arguments[0] : undefined, node, inFunction: enclosingFunction(node) !== undefined };
  }
  if (ts.isElementAccessExpression(node)) {
    const target = unwrap(node.expression);
    if (!ts.isIdentifier(target) || !names.has(target.text)) return undefined;
    return { name: target.text, access: isWriteTarget(node) ? "write" : "read", key: node.argumentExpression, node, inFunction: enclosingFunction(node) !== undefined };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = unwrap(node.left);
    if (!ts.isIdentifier(target) || !names.has(target.text)) return undefined;
    return { name: target.text, access: "write", node, inFunction: enclosingFunction(node) !== undefined };
  }
  return undefined;
}

/** `x[k]++`, `x[k] += 1`: a write that also reads. */
export function isCompoundUse(use: ContainerUse): boolean {
  return ts.isElementAccessExpression(use.node) && isCompoundUpdate(use.node);
}

/** True when an element-access key is dynamic (`x[ip]`), not a fixed property (`x["cookie"]`). */
export function isDynamicKey(key: ts.Expression | undefined): boolean {
  if (!key) return false;
  const value = unwrap(key);
  return staticString(value) === undefined && !ts.isNumericLiteral(value);
}

const UI_MODULES = /^(?:react|react-dom|react-native|vue|svelte|preact|solid-js|@angular\/core|expo|next\/(?:router|navigation|link|image))$/;

/** Files that are clearly not server code: JSX/TSX components and modules importing a UI framework. */
export function looksLikeClientCode(context: Pick<RuleContext, "file" | "imports">): boolean {
  if (/\.[jt]sx$/.test(context.file)) return true;
  return context.imports.some((binding) => UI_MODULES.test(binding.module));
}
