/**
 * Shared by `missing-security-headers` and `hsts-disabled`: recognising helmet (`helmet`, `koa-helmet`,
 * `@fastify/helmet`, `fastify-helmet`) and its single-header middlewares (`helmet.hsts(…)`).
 */
import ts = require("typescript");
import { calleeName, localNamesOf, unwrap } from "../../ast";
import type { RuleContext } from "../../types";
import { mayBeModuleExpression, moduleOfExpression, objectOf } from "./cors";
import { bindingsOfLocal } from "./resolve-from-visited";

export const HELMET_MODULES = ["helmet", "koa-helmet"];
export const FASTIFY_HELMET_MODULES = ["@fastify/helmet", "fastify-helmet"];
const DEFAULT_EXPORT = ["default"];
const FASTIFY_HELMET_EXPORTS = ["default", "fastifyHelmet", "helmet"];

export interface HelmetUse {
  call: ts.CallExpression;
  /** `main`: the whole helmet (`helmet(…)`, `register(helmet, …)`); `part`: one header (`helmet.hsts(…)`). */
  kind: "main" | "part";
  /** The middleware's name for a part: `hsts`, `contentSecurityPolicy`… */
  part?: string;
  /** The options argument as written. */
  argument?: ts.Expression;
  /** The options object, when this file holds it. */
  options?: ts.ObjectLiteralExpression;
}

/** The helmet factory itself: its import (default or namespace), an inline `require("helmet")`, or a local named `helmet`. */
function isHelmetFactory(context: Pick<RuleContext, "imports">, expression: ts.Expression): boolean {
  if (moduleOfExpression(context, expression, HELMET_MODULES, DEFAULT_EXPORT) !== undefined) return true;
  const value = unwrap(expression);
  return ts.isIdentifier(value) && /^helmet$/i.test(value.text);
}

/** Read once: `ts` is a namespace of getters, and these checks run for every call of a file. */
const Kind = ts.SyntaxKind;

/** `/^helmet$/i` only matches six characters: the length is checked first (this runs for most calls). */
function isNamedHelmet(name: string): boolean {
  return name.length === 6 && /^helmet$/i.test(name);
}

/**
 * Cheap pre-check for `helmetUseOf` over the calls of one file (visitors call it for every call),
 * reading only the callee's kind and names: false for a `fn(…)` or `x.method(…)` (other than
 * `register`) whose `fn`/`x` surely is not helmet (nor a named import of it). Build it once per file.
 */
export function helmetUseFilter(context: Pick<RuleContext, "imports">): (call: ts.CallExpression) => boolean {
  const locals = localNamesOf(context, ...HELMET_MODULES);
  const mayBeHelmetFactory = (expression: ts.Expression) =>
    mayBeModuleExpression(locals, expression) || (expression.kind === Kind.Identifier && isNamedHelmet((expression as ts.Identifier).text));
  return (call) => {
    const callee = call.expression;
    if (callee.kind === Kind.PropertyAccessExpression) {
      const { expression: receiver, name } = callee as ts.PropertyAccessExpression;
      return name.text === "register" || mayBeHelmetFactory(receiver);
    }
    return mayBeHelmetFactory(callee);
  };
}

function makeUse(call: ts.CallExpression, kind: HelmetUse["kind"], argument: ts.Expression | undefined, part?: string): HelmetUse {
  return { call, kind, part, argument, options: objectOf(argument, call) };
}

/** The helmet use a call makes, if any. */
export function helmetUseOf(context: Pick<RuleContext, "imports">, call: ts.CallExpression): HelmetUse | undefined {
  const callee = unwrap(call.expression);
  if (isHelmetFactory(context, callee)) return makeUse(call, "main", call.arguments[0]);
  if (calleeName(call) === "register" && ts.isPropertyAccessExpression(callee) && call.arguments.length > 0) {
    const plugin = call.arguments[0];
    const value = unwrap(plugin);
    if (
      moduleOfExpression(context, plugin, FASTIFY_HELMET_MODULES, FASTIFY_HELMET_EXPORTS) !== undefined ||
      (ts.isIdentifier(value) && /helmet/i.test(value.text))
    ) {
      return makeUse(call, "main", call.arguments[1]);
    }
  }
  if (ts.isPropertyAccessExpression(callee) && isHelmetFactory(context, callee.expression)) return makeUse(call, "part", call.arguments[0], callee.name.text);
  if (ts.isIdentifier(callee)) {
    // Only the bindings of this name can match (same order as scanning every helmet import).
    for (const binding of bindingsOfLocal(context, callee.text) ?? []) {
      if (!HELMET_MODULES.includes(binding.module)) continue;
      for (const [imported, local] of binding.named) {
        if (local === callee.text && imported !== "default") return makeUse(call, "part", call.arguments[0], imported);
      }
    }
  }
  return undefined;
}
