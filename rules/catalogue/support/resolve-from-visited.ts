/**
 * Resolving names from a visitor (candidates for rules/ast.ts).
 *
 * `pathRoot` / `quickCalleeName`: the first name of a callee's path and the name it calls, read
 * without building the path or unwrapping (visitors ask them of every call of a file).
 *
 * `resolveFrom`: `resolveIdentifier` for expressions *inside* the node being visited. Descendants of
 * the visited node have no `parent` yet, so `resolveIdentifier(call.arguments[0])` cannot climb to
 * the enclosing scopes and silently resolves nothing; this resolves from the visited node
 * (`anchor`), whose ancestors are set.
 *
 * `bindingsOfLocal` / `isLocalOf`: the import bindings of a local name, from an index built once
 * per file (visitors ask for many calls of a file; scanning every import each time made them
 * quadratic in file size).
 */
import ts = require("typescript");
import { calleeName, findVariableInitializer, unwrap } from "../../ast";
import type { ImportBinding, RuleContext } from "../../types";

// Read once: `ts` is a namespace of getters (each `ts.x` is a lookup and a call).
const Kind = ts.SyntaxKind;

/**
 * The first name of an identifier/property-access chain (`console` for `console.log`, `this` for
 * `this.db.query`), found without building the path: a cheap pre-check before `expressionPath`.
 * `undefined` when the chain starts with anything else (a call, a literal…), where `expressionPath`
 * is `undefined` too.
 */
export function pathRoot(expression: ts.Expression): string | undefined {
  let current: ts.Expression = expression;
  for (;;) {
    switch (current.kind) {
      case Kind.Identifier:
        return (current as ts.Identifier).text;
      case Kind.ThisKeyword:
        return "this";
      case Kind.PropertyAccessExpression:
      case Kind.ElementAccessExpression:
      case Kind.ParenthesizedExpression:
      case Kind.AsExpression:
      case Kind.SatisfiesExpression:
      case Kind.NonNullExpression:
      case Kind.TypeAssertionExpression:
        current = (current as ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.ParenthesizedExpression).expression;
        break;
      default:
        return undefined;
    }
  }
}

/**
 * `calleeName` (rules/ast.ts), reading the usual `fn(…)` and `x.method(…)` shapes directly: visitors
 * ask it of every call of a file, and unwrapping first costs more than the rest of their check.
 */
export function quickCalleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = call.expression;
  if (callee.kind === Kind.PropertyAccessExpression) return (callee as ts.PropertyAccessExpression).name.text;
  if (callee.kind === Kind.Identifier) return (callee as ts.Identifier).text;
  return calleeName(call);
}

export function resolveFrom(anchor: ts.Node, expression: ts.Expression): ts.Expression {
  const value = unwrap(expression);
  if (ts.isIdentifier(value)) return findVariableInitializer(anchor, value.text) ?? value;
  return value;
}

// Per file (keyed by its bindings array): local name → positions in that array of the bindings that
// bind it, in import order. Positions, not bindings: a WeakMap value that references the tree keeps
// the whole tree alive through the next garbage collections, which costs more than the index saves.
const bindingsByLocal = new WeakMap<readonly ImportBinding[], Map<string, number[]>>();

function localIndex(imports: readonly ImportBinding[]): Map<string, number[]> {
  let index = bindingsByLocal.get(imports);
  if (!index) {
    const built = new Map<string, number[]>();
    const add = (name: string, position: number) => {
      const list = built.get(name);
      if (!list) built.set(name, [position]);
      else if (list[list.length - 1] !== position) list.push(position);
    };
    imports.forEach((binding, position) => {
      if (binding.defaultName) add(binding.defaultName, position);
      if (binding.namespaceName) add(binding.namespaceName, position);
      for (const name of binding.named.values()) add(name, position);
    });
    bindingsByLocal.set(imports, (index = built));
  }
  return index;
}

/** The import bindings (in import order) that bind `local` as a default, namespace or named import. */
export function bindingsOfLocal(context: Pick<RuleContext, "imports">, local: string): ImportBinding[] | undefined {
  return localIndex(context.imports).get(local)?.map((position) => context.imports[position]);
}

/** True when an import of one of `modules` binds `local` (as a default, namespace or named import). */
export function isLocalOf(context: Pick<RuleContext, "imports">, local: string, modules: readonly string[]): boolean {
  const positions = localIndex(context.imports).get(local);
  return positions !== undefined && positions.some((position) => modules.includes(context.imports[position].module));
}
