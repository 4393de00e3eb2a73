/**
 * Recognises session middleware registrations (express-session, cookie-session, @fastify/session,
 * @fastify/secure-session, koa-session) and reads their options. Shared by `in-memory-session-store`
 * and `missing-csrf-protection`.
 */
import ts = require("typescript");
import { calleeName, getPropertyValue, staticString, unwrap } from "../../ast";
import type { RuleContext } from "../../types";
import { resolveFrom } from "./resolve-from-visited";

export type SessionKind = "express-session" | "cookie-session" | "fastify-session" | "fastify-secure-session" | "koa-session";

export interface SessionRegistration {
  kind: SessionKind;
  /** The middleware call (`session({...})`) or the plugin registration (`fastify.register(...)`). */
  call: ts.CallExpression;
  /** The options object when it is visible; `undefined` with `known` when there are none. */
  options?: ts.ObjectLiteralExpression;
  /** True when the options are an inline literal (a fix may edit them). */
  inline: boolean;
  /** False when options exist but cannot be read (an imported config, a spread). */
  known: boolean;
  /** Option paths assigned after the declaration of a same-file options variable (`sess.cookie.secure = true` → `cookie.secure`). */
  mutated: ReadonlySet<string>;
}

const FASTIFY_PLUGINS: Record<string, SessionKind> = {
  "@fastify/session": "fastify-session",
  "fastify-session": "fastify-session",
  "@fastify/secure-session": "fastify-secure-session",
  "fastify-secure-session": "fastify-secure-session",
};

/** Local names of the session packages in one file; compute once per file. */
export interface SessionNames {
  expressSession: Set<string>;
  cookieSession: Set<string>;
  koaSession: Set<string>;
  fastifyPlugins: Map<string, SessionKind>;
}

export function sessionNames(context: Pick<RuleContext, "imports">): SessionNames {
  // One pass over the imports (this runs for every file).
  const expressSession = new Set<string>();
  const cookieSession = new Set<string>();
  const koaSession = new Set<string>();
  const defaultsOf = new Map([
    ["express-session", expressSession],
    ["cookie-session", cookieSession],
    ["koa-session", koaSession],
  ]);
  const pluginLocals = new Map<string, string[]>();
  for (const binding of context.imports) {
    const defaults = defaultsOf.get(binding.module);
    if (defaults) {
      if (binding.defaultName) defaults.add(binding.defaultName);
      if (binding.namespaceName) defaults.add(binding.namespaceName);
      const named = binding.named.get("default");
      if (named) defaults.add(named);
    }
    if (Object.hasOwn(FASTIFY_PLUGINS, binding.module)) {
      let locals = pluginLocals.get(binding.module);
      if (!locals) pluginLocals.set(binding.module, (locals = []));
      if (binding.defaultName) locals.push(binding.defaultName);
      if (binding.namespaceName) locals.push(binding.namespaceName);
      locals.push(...binding.named.values());
    }
  }
  // In the order of FASTIFY_PLUGINS: a name bound by two of them gets the later one's kind.
  const fastifyPlugins = new Map<string, SessionKind>();
  for (const [module, kind] of Object.entries(FASTIFY_PLUGINS)) {
    for (const name of pluginLocals.get(module) ?? []) fastifyPlugins.set(name, kind);
  }
  return { expressSession, cookieSession, koaSession, fastifyPlugins };
}

export function hasSessionNames(names: SessionNames): boolean {
  return names.expressSession.size + names.cookieSession.size + names.koaSession.size + names.fastifyPlugins.size > 0;
}

/** `require("@fastify/session")` / `import("@fastify/session")` used inline as a plugin. */
function inlinePluginModule(expression: ts.Expression): string | undefined {
  let value = unwrap(expression);
  if (ts.isAwaitExpression(value)) value = unwrap(value.expression);
  if (ts.isPropertyAccessExpression(value) && value.name.text === "default") value = unwrap(value.expression);
  if (!ts.isCallExpression(value)) return undefined;
  const isRequire = ts.isIdentifier(value.expression) && value.expression.text === "require";
  if (!isRequire && value.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  return staticString(value.arguments[0]);
}

const NO_MUTATIONS: ReadonlySet<string> = new Set();

/** Reads an options argument: inline literal, same-file variable, or unknown. */
function readOptions(anchor: ts.Node, argument: ts.Expression | undefined, text: string): { options?: ts.ObjectLiteralExpression; inline: boolean; known: boolean; mutated: ReadonlySet<string> } {
  if (!argument) return { inline: false, known: true, mutated: NO_MUTATIONS };
  const value = unwrap(argument);
  if (ts.isObjectLiteralExpression(value)) return { options: value, inline: true, known: !value.properties.some(ts.isSpreadAssignment), mutated: NO_MUTATIONS };
  if (ts.isIdentifier(value)) {
    const resolved = resolveFrom(anchor, value);
    if (ts.isObjectLiteralExpression(resolved)) {
      // `sess.cookie.secure = true` after the declaration (the express-session README's shape).
      const mutated = new Set<string>();
      const assignment = new RegExp(`(?<![\\w$.])${value.text}((?:\\s*\\.\\s*[\\w$]+|\\s*\\[\\s*["'][^"']+["']\\s*\\])+)\\s*=(?!=)`, "g");
      for (const match of text.matchAll(assignment)) mutated.add(match[1].replace(/[\s\[\]"']/g, "").replace(/^\./, ""));
      return { options: resolved, inline: false, known: !resolved.properties.some(ts.isSpreadAssignment), mutated };
    }
  }
  return { inline: false, known: false, mutated: NO_MUTATIONS };
}

/** Read once: `ts` is a namespace of getters, and `sessionRegistration` runs for every call. */
const Kind = ts.SyntaxKind;

function isSessionName(names: SessionNames, name: string): boolean {
  return names.expressSession.has(name) || names.cookieSession.has(name) || names.koaSession.has(name);
}

/** The session registration this call is, if any. */
export function sessionRegistration(names: SessionNames, call: ts.CallExpression, text: string): SessionRegistration | undefined {
  // Most calls are rejected on the callee's kind and name, before unwrapping: `x.method(…)` other
  // than `register`, or a plain call of a name no session package is imported as.
  const direct = call.expression;
  if (direct.kind === Kind.PropertyAccessExpression && (direct as ts.PropertyAccessExpression).name.text !== "register") return undefined;
  if (direct.kind === Kind.Identifier && !isSessionName(names, (direct as ts.Identifier).text)) return undefined;
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) {
    if (names.expressSession.has(callee.text)) return { kind: "express-session", call, ...readOptions(call, call.arguments[0], text) };
    if (names.cookieSession.has(callee.text)) return { kind: "cookie-session", call, ...readOptions(call, call.arguments[0], text) };
    if (names.koaSession.has(callee.text)) {
      // `session(app)` or `session(CONFIG, app)`.
      if (call.arguments.length <= 1) {
        const only = call.arguments[0] && resolveFrom(call, call.arguments[0]);
        if (!only || ts.isNewExpression(only) || (ts.isIdentifier(only) && /^(?:app|koa|server)$/i.test(only.text))) return { kind: "koa-session", call, inline: false, known: true, mutated: NO_MUTATIONS };
      }
      return { kind: "koa-session", call, ...readOptions(call, call.arguments[0], text) };
    }
    return undefined;
  }
  if (calleeName(call) !== "register" || !ts.isPropertyAccessExpression(callee)) return undefined;
  const plugin = call.arguments[0];
  if (!plugin) return undefined;
  const pluginValue = unwrap(plugin);
  let kind: SessionKind | undefined;
  if (ts.isIdentifier(pluginValue)) kind = names.fastifyPlugins.get(pluginValue.text);
  else {
    const module = inlinePluginModule(pluginValue);
    if (module) kind = FASTIFY_PLUGINS[module];
  }
  if (!kind) return undefined;
  return { kind, call, ...readOptions(call, call.arguments[1], text) };
}

/** The session cookie's `sameSite` value: `"strict"`, another string, `undefined` when unset, `null` when not readable. */
export function sessionSameSite(registration: SessionRegistration): string | undefined | null {
  if (!registration.known) return null;
  for (const path of registration.mutated) if (/^(?:cookie|sameSite|cookie\.sameSite)$/.test(path)) return null;
  const options = registration.options;
  if (!options) return undefined;
  let holder: ts.ObjectLiteralExpression | undefined = options;
  if (registration.kind === "express-session" || registration.kind === "fastify-session" || registration.kind === "fastify-secure-session") {
    const cookie = getPropertyValue(options, "cookie");
    if (!cookie) return undefined;
    const resolved = resolveFrom(registration.call, cookie);
    if (!ts.isObjectLiteralExpression(resolved)) return null;
    if (resolved.properties.some(ts.isSpreadAssignment)) return null;
    holder = resolved;
  }
  return sameSiteOf(holder);
}

/** `sameSite` of a cookie options object: `true` (express/cookie) means strict. */
export function sameSiteOf(options: ts.ObjectLiteralExpression | undefined): string | undefined | null {
  if (!options) return undefined;
  const value = getPropertyValue(options, "sameSite");
  if (!value) return options.properties.some(ts.isSpreadAssignment) ? null : undefined;
  const resolved = unwrap(value);
  if (resolved.kind === ts.SyntaxKind.TrueKeyword) return "strict";
  if (resolved.kind === ts.SyntaxKind.FalseKeyword) return "none";
  const literal = staticString(resolved);
  if (literal !== undefined) return literal.toLowerCase();
  return null;
}
