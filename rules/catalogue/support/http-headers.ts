/**
 * Response headers set by hand: `res.setHeader(name, value)`, `res.header(name, value)`, `res.set(name, value)`,
 * `res.set({ … })`, `reply.header(name, value)`, `reply.headers({ … })`, `ctx.set(name, value)`,
 * `res.writeHead(200, { … })`, `res.append(name, value)` and NestJS's `@Header(name, value)` decorator.
 */
import ts = require("typescript");
import { calleeName, findVariableInitializer, propertyNameText, staticString, unwrap } from "../../ast";

export interface HeaderAssignment {
  /** Lower-case header name. */
  name: string;
  /** The value expression, when there is one. */
  value: ts.Expression | undefined;
  /** The call (or decorator call) that sets it. */
  call: ts.CallExpression;
}

const PAIR_SETTERS = new Set(["setHeader", "header", "set", "append"]);
const OBJECT_SETTERS = new Set(["set", "header", "headers", "setHeaders"]);

/** Every header a call sets by hand (empty for any other call). */
export function headerAssignments(call: ts.CallExpression): HeaderAssignment[] {
  const method = calleeName(call);
  if (!method) return [];
  const callee = unwrap(call.expression);
  const onReceiver = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee);
  const isDecorator = method === "Header" && ts.isIdentifier(callee) && call.parent !== undefined && ts.isDecorator(call.parent);
  if (!onReceiver && !isDecorator) return [];
  if (isDecorator || PAIR_SETTERS.has(method)) {
    const name = staticString(call.arguments[0]);
    if (name !== undefined) return call.arguments.length >= 2 ? [{ name: name.toLowerCase(), value: call.arguments[1], call }] : [];
  }
  if (OBJECT_SETTERS.has(method) && call.arguments.length === 1) return fromObject(call, call.arguments[0]);
  if (method === "writeHead") {
    for (const argument of call.arguments.slice(1)) {
      const found = fromObject(call, argument);
      if (found.length > 0) return found;
    }
  }
  return [];
}

function fromObject(call: ts.CallExpression, argument: ts.Expression): HeaderAssignment[] {
  let value = unwrap(argument);
  if (ts.isIdentifier(value)) {
    const initializer = findVariableInitializer(call, value.text);
    if (initializer) value = unwrap(initializer);
  }
  if (!ts.isObjectLiteralExpression(value)) return [];
  const found: HeaderAssignment[] = [];
  for (const property of value.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = propertyNameText(property.name);
    if (name !== undefined) found.push({ name: name.toLowerCase(), value: property.initializer, call });
  }
  return found;
}
