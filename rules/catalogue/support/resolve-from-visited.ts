/**
 * Resolving names from a visitor (candidates for rules/ast.ts).
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
import { findVariableInitializer, unwrap } from "../../ast";
import type { ImportBinding, RuleContext } from "../../types";

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
