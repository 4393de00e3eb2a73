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

/** Every method name that can set a header: rejects every other call before any other work. */
export const HEADER_METHODS: ReadonlySet<string> = new Set([...PAIR_SETTERS, ...OBJECT_SETTERS, "writeHead", "Header"]);
const NONE: readonly HeaderAssignment[] = [];
/** Read once: `ts` is a namespace of getters, and these checks run for every call of a file. */
const Kind = ts.SyntaxKind;

/**
 * Cheap pre-check for `headerAssignments`, reading only the callee's kind and name (visitors call it
 * for every call of a file): false for a plain `x.method(…)` or `fn(…)` that can't set a header.
 */
export function maySetHeaders(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (callee.kind === Kind.PropertyAccessExpression) return HEADER_METHODS.has((callee as ts.PropertyAccessExpression).name.text);
  if (callee.kind === Kind.Identifier) return (callee as ts.Identifier).text === "Header";
  return true; // parentheses, element access…: the full check decides
}

/** Every header a call sets by hand (empty for any other call). */
export function headerAssignments(call: ts.CallExpression): readonly HeaderAssignment[] {
  const method = calleeName(call);
  if (!method || !HEADER_METHODS.has(method)) return NONE;
  const callee = unwrap(call.expression);
  const onReceiver = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee);
  const isDecorator = method === "Header" && ts.isIdentifier(callee) && call.parent !== undefined && ts.isDecorator(call.parent);
  if (!onReceiver && !isDecorator) return NONE;
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
  return NONE;
}

function fromObject(call: ts.CallExpression, argument: ts.Expression): readonly HeaderAssignment[] {
  let value = unwrap(argument);
  if (ts.isIdentifier(value)) {
    const initializer = findVariableInitializer(call, value.text);
    if (initializer) value = unwrap(initializer);
  }
  if (!ts.isObjectLiteralExpression(value)) return NONE;
  const found: HeaderAssignment[] = [];
  for (const property of value.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = propertyNameText(property.name);
    if (name !== undefined) found.push({ name: name.toLowerCase(), value: property.initializer, call });
  }
  return found;
}
