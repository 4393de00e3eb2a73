/**
 * Shared by `missing-security-headers` and `hsts-disabled`: recognising helmet (`helmet`, `koa-helmet`,
 * `@fastify/helmet`, `fastify-helmet`) and its single-header middlewares (`helmet.hsts(…)`).
 */
import ts = require("typescript");
import { calleeName, importsOf, unwrap } from "../../ast";
import type { RuleContext } from "../../types";
import { moduleOfExpression, objectOf } from "./cors";

export const HELMET_MODULES = ["helmet", "koa-helmet"];
export const FASTIFY_HELMET_MODULES = ["@fastify/helmet", "fastify-helmet"];

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
  if (moduleOfExpression(context, expression, HELMET_MODULES, ["default"]) !== undefined) return true;
  const value = unwrap(expression);
  return ts.isIdentifier(value) && /^helmet$/i.test(value.text);
}

/** The helmet use a call makes, if any. */
export function helmetUseOf(context: Pick<RuleContext, "imports">, call: ts.CallExpression): HelmetUse | undefined {
  const callee = unwrap(call.expression);
  const make = (kind: HelmetUse["kind"], argument: ts.Expression | undefined, part?: string): HelmetUse => ({
    call,
    kind,
    part,
    argument,
    options: objectOf(argument, call),
  });
  if (isHelmetFactory(context, callee)) return make("main", call.arguments[0]);
  if (calleeName(call) === "register" && ts.isPropertyAccessExpression(callee) && call.arguments.length > 0) {
    const plugin = call.arguments[0];
    const value = unwrap(plugin);
    if (
      moduleOfExpression(context, plugin, FASTIFY_HELMET_MODULES, ["default", "fastifyHelmet", "helmet"]) !== undefined ||
      (ts.isIdentifier(value) && /helmet/i.test(value.text))
    ) {
      return make("main", call.arguments[1]);
    }
  }
  if (ts.isPropertyAccessExpression(callee) && isHelmetFactory(context, callee.expression)) return make("part", call.arguments[0], callee.name.text);
  if (ts.isIdentifier(callee)) {
    for (const binding of importsOf(context, ...HELMET_MODULES)) {
      for (const [imported, local] of binding.named) {
        if (local === callee.text && imported !== "default") return make("part", call.arguments[0], imported);
      }
    }
  }
  return undefined;
}
