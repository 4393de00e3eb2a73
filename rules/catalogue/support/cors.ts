/**
 * Shared by `cors-allows-localhost` and `cors-wildcard-origin`: recognising a CORS setup (express `cors`,
 * `@koa/cors`, `koa2-cors`, `hono/cors`, `@fastify/cors` registration, NestJS `enableCors` and
 * `NestFactory.create(…, { cors })`), reading its options, and telling a request's reflected `Origin`.
 */
import ts = require("typescript");
import { bindingSource, calleeName, calleePath, expressionPath, findDescendant, findVariableInitializer, getProperty, localNamesOf, staticString, unwrap } from "../../ast";
import type { RuleContext, Visitors } from "../../types";
import { bindingsOfLocal } from "./resolve-from-visited";

export type CorsLibrary = "express" | "fastify" | "nest" | "koa" | "hono";

export interface CorsSetup {
  /** The call that sets CORS up, or the declaration of a CORS options object (see `detachedCorsOptions`). */
  call: ts.CallExpression | ts.VariableDeclaration | ts.ExportAssignment | ts.BinaryExpression;
  /** `undefined` for an options object whose library this file does not show. */
  library: CorsLibrary | undefined;
  /** The options object, when it is written in this file. */
  options?: ts.ObjectLiteralExpression;
  /** Runs with the library's default origin, which allows every origin: `cors()`, `enableCors()`, `register(cors)`, `{ cors: true }`. */
  defaults: boolean;
  /** Where a finding about the setup as a whole goes. */
  at: ts.Node;
}

const MIDDLEWARE_MODULES: Record<string, CorsLibrary> = {
  cors: "express",
  "@koa/cors": "koa",
  "koa2-cors": "koa",
  "hono/cors": "hono",
};
const FASTIFY_MODULES = ["@fastify/cors", "fastify-cors"];
const MIDDLEWARE_MODULE_NAMES = Object.keys(MIDDLEWARE_MODULES);

/** The module of `require("m")`, `import("m")` or `await import("m")`. */
export function inlineModule(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  let current = unwrap(expression);
  if (ts.isAwaitExpression(current)) current = unwrap(current.expression);
  if (!ts.isCallExpression(current)) return undefined;
  const isRequire = ts.isIdentifier(current.expression) && current.expression.text === "require";
  if (!isRequire && current.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  return staticString(current.arguments[0]);
}

/** Read once: `ts` is a namespace of getters, and these checks run for every call of a file. */
const Kind = ts.SyntaxKind;

/**
 * Cheap pre-check for `moduleOfExpression(context, expression, modules)`, reading only kinds and
 * names: false when the expression surely stands for none of `modules` (a name not in `locals`, the
 * names this file imports them as, see `localNamesOf`; a property access; a call other than
 * `require(…)`/`import(…)`).
 */
export function mayBeModuleExpression(locals: ReadonlySet<string>, expression: ts.Expression): boolean {
  switch (expression.kind) {
    case Kind.Identifier:
      return locals.has((expression as ts.Identifier).text);
    case Kind.PropertyAccessExpression:
    case Kind.ElementAccessExpression:
      return false;
    case Kind.CallExpression: {
      const callee = (expression as ts.CallExpression).expression;
      return callee.kind === Kind.ImportKeyword || (callee.kind === Kind.Identifier && (callee as ts.Identifier).text === "require");
    }
    default:
      return true; // parentheses, `await import(…)`…: the full check decides
  }
}

const DEFAULT_NAMED_EXPORTS: readonly string[] = ["default", "cors", "fastifyCors"];

/**
 * The module a called or passed identifier stands for (`cors` → "cors"), or an inline `require`/`import()`:
 * its default or namespace import, or one of `namedExports`.
 */
export function moduleOfExpression(
  context: Pick<RuleContext, "imports">,
  expression: ts.Expression | undefined,
  modules: readonly string[],
  namedExports: readonly string[] = DEFAULT_NAMED_EXPORTS,
): string | undefined {
  if (!expression) return undefined;
  const inline = inlineModule(expression);
  if (inline !== undefined) return modules.includes(inline) ? inline : undefined;
  const value = unwrap(expression);
  if (!ts.isIdentifier(value)) return undefined;
  // Only the bindings of this name can match (same order as scanning every import of `modules`).
  const candidates = bindingsOfLocal(context, value.text);
  if (!candidates) return undefined;
  for (const binding of candidates) {
    if (!modules.includes(binding.module)) continue;
    if (binding.defaultName === value.text || binding.namespaceName === value.text) return binding.module;
    for (const [imported, local] of binding.named) {
      if (local === value.text && namedExports.includes(imported)) return binding.module;
    }
  }
  return undefined;
}

/** An options argument written in this file: the object literal itself or a same-file `const` holding one. */
export function objectOf(expression: ts.Expression | undefined, scope: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (!expression) return undefined;
  let value = unwrap(expression);
  if (ts.isIdentifier(value)) {
    const initializer = findVariableInitializer(scope, value.text);
    if (!initializer) return undefined;
    value = unwrap(initializer);
  }
  return ts.isObjectLiteralExpression(value) ? value : undefined;
}

const SETUP_METHODS = new Set(["register", "enableCors"]);

/**
 * Cheap pre-check for `….NestFactory.create(…)` on the receiver of `create` (`prisma.user.create` is
 * far more common): false when its last name is surely not `NestFactory`.
 */
export function mayBeNestFactory(receiver: ts.Expression): boolean {
  if (receiver.kind === Kind.Identifier) return (receiver as ts.Identifier).text === "NestFactory";
  if (receiver.kind === Kind.PropertyAccessExpression) return (receiver as ts.PropertyAccessExpression).name.text === "NestFactory";
  return receiver.kind !== Kind.CallExpression; // parentheses, element access…: the full check decides
}

/**
 * Cheap pre-check for `corsSetupOf` over the calls of one file (visitors call it for every call),
 * reading only the callee's kind and names: false for a `x.method(…)` whose method can't set CORS up,
 * or a callee that surely stands for no CORS middleware module. Build it once per file.
 */
export function corsSetupFilter(context: Pick<RuleContext, "imports">): (call: ts.CallExpression) => boolean {
  const locals = localNamesOf(context, ...MIDDLEWARE_MODULE_NAMES);
  return (call) => {
    const callee = call.expression;
    if (callee.kind === Kind.PropertyAccessExpression) {
      const method = (callee as ts.PropertyAccessExpression).name.text;
      return method === "create" ? mayBeNestFactory((callee as ts.PropertyAccessExpression).expression) : SETUP_METHODS.has(method);
    }
    if (callee.kind === Kind.ElementAccessExpression) return true; // `NestFactory["create"]`: the full check decides
    return mayBeModuleExpression(locals, callee);
  };
}

/** The CORS setup a call makes, if it makes one. */
export function corsSetupOf(context: Pick<RuleContext, "imports">, call: ts.CallExpression): CorsSetup | undefined {
  const name = calleeName(call);
  const callee = unwrap(call.expression);
  // cors(options), require("cors")(options)
  const middleware = moduleOfExpression(context, callee, MIDDLEWARE_MODULE_NAMES);
  if (middleware !== undefined) {
    return withOptions(call, MIDDLEWARE_MODULES[middleware], call.arguments[0], call.arguments.length === 0, call);
  }
  // fastify.register(cors, options)
  if (name === "register" && ts.isPropertyAccessExpression(callee) && moduleOfExpression(context, call.arguments[0], FASTIFY_MODULES) !== undefined) {
    return withOptions(call, "fastify", call.arguments[1], call.arguments.length < 2, call);
  }
  // app.enableCors(options)
  if (name === "enableCors" && ts.isPropertyAccessExpression(callee)) {
    return withOptions(call, "nest", call.arguments[0], call.arguments.length === 0, call);
  }
  // NestFactory.create(AppModule, { cors }) / NestFactory.create(AppModule, adapter, { cors })
  if (name === "create" && /(^|\.)NestFactory\.create$/.test(calleePath(call) ?? "")) {
    for (const argument of call.arguments.slice(1)) {
      const appOptions = objectOf(argument, call);
      const property = appOptions && getProperty(appOptions, "cors");
      if (!property || !ts.isPropertyAssignment(property)) continue;
      const value = unwrap(property.initializer);
      if (value.kind === ts.SyntaxKind.TrueKeyword) return { call, library: "nest", defaults: true, at: property };
      if (value.kind === ts.SyntaxKind.FalseKeyword) return undefined;
      return withOptions(call, "nest", property.initializer, false, property);
    }
  }
  return undefined;
}

function withOptions(call: ts.CallExpression, library: CorsLibrary, argument: ts.Expression | undefined, defaults: boolean, at: ts.Node): CorsSetup {
  return { call, library, options: defaults ? undefined : objectOf(argument, call), defaults, at };
}

/**
 * A CORS options object defined apart from its use (often in `config/cors.ts`): a variable named like
 * `corsOptions`/`CORS_CONFIG` or typed `CorsOptions`, or the default export of a file named `*cors*`,
 * holding an object literal with an `origin` property.
 */
export function detachedCorsOptions(node: ts.Node, file: string): CorsSetup | undefined {
  let object: ts.Expression | undefined;
  let named = false;
  // The value must be an object literal: checked first, it rejects almost every declaration cheaply.
  if (ts.isVariableDeclaration(node) && node.initializer) {
    if (!ts.isObjectLiteralExpression(unwrap(node.initializer))) return undefined;
    const type = node.type && ts.isTypeReferenceNode(node.type) ? node.type.typeName : undefined;
    const typeName = type ? (ts.isIdentifier(type) ? type.text : type.right.text) : "";
    named = (ts.isIdentifier(node.name) && /cors/i.test(node.name.text)) || /^Cors(Options|Config)$/.test(typeName);
    object = node.initializer;
  } else if (ts.isExportAssignment(node) && !node.isExportEquals) {
    named = /cors[^/]*$/i.test(file);
    object = node.expression;
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && /cors[^/]*$/i.test(file) && expressionPath(node.left) === "module.exports") {
    named = /cors[^/]*$/i.test(file);
    object = node.right;
  }
  if (!named || !object) return undefined;
  const value = unwrap(object);
  if (!ts.isObjectLiteralExpression(value) || !getProperty(value, "origin")) return undefined;
  return { call: node as CorsSetup["call"], library: undefined, options: value, defaults: false, at: value };
}

/** True when an options object may carry properties this file cannot see (`...base`). */
export function hasSpread(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((property) => ts.isSpreadAssignment(property));
}

/** `credentials: true` in the options. */
export function allowsCredentials(options: ts.ObjectLiteralExpression | undefined): boolean {
  const property = options && getProperty(options, "credentials");
  return property !== undefined && ts.isPropertyAssignment(property) && unwrap(property.initializer).kind === ts.SyntaxKind.TrueKeyword;
}

/** The request's own `Origin` header: `req.headers.origin`, `req.get("origin")`, `ctx.get("Origin")`, `ctx.request.header.origin`… */
export function isRequestOrigin(expression: ts.Expression): boolean {
  const value = unwrap(expression);
  const path = expressionPath(value);
  if (path && /\.(headers?)\.origin$/i.test(path)) return true;
  if (ts.isCallExpression(value)) {
    const method = calleeName(value);
    if ((method === "get" || method === "header") && staticString(value.arguments[0])?.toLowerCase() === "origin") return true;
  }
  return false;
}

/** The request's Origin, directly or through a same-file local (`const origin = req.headers.origin`, `const { origin } = req.headers`). */
export function isReflectedOrigin(expression: ts.Expression, depth = 0): boolean {
  const value = unwrap(expression);
  if (isRequestOrigin(value)) return true;
  if (depth < 3 && ts.isIdentifier(value)) {
    const source = bindingSource(value, value.text);
    if (!source) return false;
    if (source.property === undefined) return isReflectedOrigin(source.initializer, depth + 1);
    const path = expressionPath(unwrap(source.initializer));
    return source.property.toLowerCase() === "origin" && path !== undefined && /(^|\.)headers?$/i.test(path);
  }
  return false;
}

/**
 * The conditions a statement runs under, inside its function: enclosing `if`/`?:`/`&&` conditions and
 * the conditions of `if` statements that come before it in the enclosing blocks (early returns).
 */
export function guardingConditions(node: ts.Node): ts.Expression[] {
  const conditions: ts.Expression[] = [];
  let child: ts.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (ts.isIfStatement(current) && child !== current.expression) conditions.push(current.expression);
    else if (ts.isConditionalExpression(current) && child !== current.condition) conditions.push(current.condition);
    else if (ts.isBinaryExpression(current) && child === current.right && current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) conditions.push(current.left);
    else if (ts.isSwitchStatement(current)) conditions.push(current.expression);
    else if (ts.isBlock(current) || ts.isSourceFile(current)) {
      for (const statement of current.statements) {
        if (statement === child) break;
        if (ts.isIfStatement(statement)) conditions.push(statement.expression);
      }
    }
    if (ts.isFunctionLike(current)) break;
  }
  return conditions;
}

/** Records the name an assignment (`x = …`, `x += …`) writes to, so its declared value is no longer trusted. */
export function recordReassignment(node: ts.BinaryExpression, into: Set<string>): void {
  const operator = node.operatorToken.kind;
  if (operator < ts.SyntaxKind.FirstAssignment || operator > ts.SyntaxKind.LastAssignment) return;
  const target = unwrap(node.left);
  if (ts.isIdentifier(target)) into.add(target.text);
}

/** The same-file initializer of a name that is never reassigned in the file. */
export function constantInitializer(identifier: ts.Identifier, reassigned: ReadonlySet<string>): ts.Expression | undefined {
  return reassigned.has(identifier.text) ? undefined : findVariableInitializer(identifier, identifier.text);
}

const ORIGIN_CHECKER = /origin|cors|allow/i;

/**
 * The conditions (see `guardingConditions`) that look at the request's origin: they mention an `origin`
 * (identifier, property or header name), one of `names` (the local holding the origin), or call a
 * function named like `isAllowedOrigin`/`checkCors`.
 */
export function originChecks(node: ts.Node, names: ReadonlySet<string>): ts.Expression[] {
  const mentionsOrigin = (candidate: ts.Node): boolean => {
    if (ts.isIdentifier(candidate)) return /origin/i.test(candidate.text) || names.has(candidate.text);
    if (ts.isStringLiteral(candidate)) return candidate.text.toLowerCase() === "origin";
    if (ts.isCallExpression(candidate)) return ORIGIN_CHECKER.test(calleeName(candidate) ?? "");
    return false;
  };
  return guardingConditions(node).filter((condition) => mentionsOrigin(condition) || findDescendant(condition, mentionsOrigin) !== undefined);
}


/** The local names an expression reads directly (`origin` in `origin`, `origin ?? "*"`). */
export function localNames(expression: ts.Expression): Set<string> {
  const names = new Set<string>();
  const value = unwrap(expression);
  if (ts.isIdentifier(value)) names.add(value.text);
  else if (ts.isBinaryExpression(value)) {
    for (const side of [unwrap(value.left), unwrap(value.right)]) if (ts.isIdentifier(side)) names.add(side.text);
  }
  return names;
}

/** True when a spread after the property (`{ origin: "*", ...overrides }`) may replace its value. */
export function overriddenBySpread(object: ts.ObjectLiteralExpression, property: ts.ObjectLiteralElementLike): boolean {
  const index = object.properties.indexOf(property);
  return object.properties.some((other, i) => i > index && ts.isSpreadAssignment(other));
}

/**
 * The visitors both CORS rules need besides their calls: CORS options defined apart from the call
 * that uses them (`const corsOptions = {…}`, `export default {…}`), collected into `setups`, and the
 * names reassigned anywhere in the file, collected into `reassigned` (never trusted as constants).
 */
export function detachedOptionsVisitors(file: string, setups: CorsSetup[], reassigned: Set<string>): Visitors {
  return {
    [ts.SyntaxKind.BinaryExpression](node: ts.BinaryExpression) {
      recordReassignment(node, reassigned);
      const detached = detachedCorsOptions(node, file);
      if (detached) setups.push(detached);
    },
    [ts.SyntaxKind.VariableDeclaration](node: ts.VariableDeclaration) {
      const detached = detachedCorsOptions(node, file);
      if (detached) setups.push(detached);
    },
    [ts.SyntaxKind.ExportAssignment](node: ts.ExportAssignment) {
      const detached = detachedCorsOptions(node, file);
      if (detached) setups.push(detached);
    },
  };
}
