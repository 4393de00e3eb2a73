/**
 * `resolveIdentifier` for expressions *inside* the node being visited. Descendants of the visited
 * node have no `parent` yet, so `resolveIdentifier(call.arguments[0])` cannot climb to the enclosing
 * scopes and silently resolves nothing; this resolves from the visited node (`anchor`), whose
 * ancestors are set. (A candidate for rules/ast.ts.)
 */
import ts = require("typescript");
import { findVariableInitializer, unwrap } from "../../ast";

export function resolveFrom(anchor: ts.Node, expression: ts.Expression): ts.Expression {
  const value = unwrap(expression);
  if (ts.isIdentifier(value)) return findVariableInitializer(anchor, value.text) ?? value;
  return value;
}
