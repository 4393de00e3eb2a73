import ts = require("typescript");
import { calleeName, expressionPath, getPropertyValue, importsOf, isRequestHandler, objectArgument, staticString, unwrap } from "../ast";
import type { Rule, WorkspaceFacts } from "../types";
import { resolveFrom } from "./support/resolve-from-visited";
import { hasSessionNames, sameSiteOf, type SessionRegistration, sessionNames, sessionRegistration, sessionSameSite } from "./support/session-middleware";

const PROTECTION = "security.csrf:protection";
const STATE_CHANGING_ROUTE = "security.csrf:state-changing-route";
const AUTH_COOKIE = "security.csrf:auth-cookie";
const SAME_SITE_STRICT = "security.csrf:same-site-strict";

/** Importing one of these means CSRF tokens are issued and checked somewhere (lusca is checked by its call). */
const CSRF_MODULES = new Set([
  "csurf",
  "@dr.pogodin/csurf",
  "csrf-csrf",
  "csrf-sync",
  "csrf",
  "@fastify/csrf-protection",
  "fastify-csrf",
  "koa-csrf",
  "tiny-csrf",
  "@edge-csrf/express",
  "@edge-csrf/node",
  "@edge-csrf/core",
]);

const STATE_METHODS = new Set(["post", "put", "patch", "delete"]);
const ROUTE_CHAIN = new Set(["get", "post", "put", "patch", "delete", "all", "head", "options"]);
const NEST_DECORATORS = new Set(["Post", "Put", "Patch", "Delete"]);
/** Receivers that send requests rather than route them. */
const HTTP_CLIENT = /^(?:axios|https?|got|ky|superagent|request|fetch|fetcher|client|httpClient|apiClient|api|agent|supertest|instance|httpService|ofetch|wretch|needle|undici|nock|msw|rest|\$http)$/i;
const ROUTER = /^(?:app|server|router|fastify|routes?|[a-z][\w$]*(?:Router|Routes|App|Server))$/;
const AUTH_COOKIE_NAME = /session|sess\b|sid|token|auth|jwt|access|refresh|remember|login/i;
const CSRF_COOKIE_NAME = /csrf|xsrf/i;
const CSRF_HEADER = /^x-(?:csrf|xsrf)-token$/i;

const LABEL: Record<SessionRegistration["kind"], string> = {
  "express-session": "`express-session`",
  "fastify-session": "`@fastify/session`",
  "cookie-session": "`cookie-session`",
  "fastify-secure-session": "`@fastify/secure-session`",
  "koa-session": "`koa-session`",
};

function isPathLike(node: ts.Expression): boolean {
  const value = unwrap(node);
  const text = staticString(value);
  if (text !== undefined) return text.startsWith("/") || text === "*";
  if (ts.isTemplateExpression(value)) return value.head.text.startsWith("/");
  if (ts.isRegularExpressionLiteral(value)) return true;
  if (ts.isArrayLiteralExpression(value)) return value.elements.length > 0 && value.elements.every((element) => isPathLike(element as ts.Expression));
  return false;
}

function isHandlerFunction(node: ts.Expression): boolean {
  const value = unwrap(node);
  return (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && isRequestHandler(value);
}

/** `app.post("/x", handler)`, `router.route("/x").put(handler)`, `fastify.route({ method: "POST", url })`. */
function isStateChangingRoute(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  const receiver = unwrap(callee.expression);
  if (method === "route") {
    const options = objectArgument(call);
    if (!options || (!getPropertyValue(options, "url") && !getPropertyValue(options, "path"))) return false;
    const methods = getPropertyValue(options, "method");
    if (!methods) return false;
    const value = unwrap(methods);
    const list = ts.isArrayLiteralExpression(value) ? value.elements.map((element) => staticString(element)) : [staticString(value)];
    return list.some((name) => name !== undefined && STATE_METHODS.has(name.toLowerCase()));
  }
  if (!STATE_METHODS.has(method) || call.arguments.length === 0) return false;
  // `router.route("/items/:id").get(show).delete(remove)`.
  let chain: ts.Expression = receiver;
  while (ts.isCallExpression(chain) && ROUTE_CHAIN.has(calleeName(chain) ?? "") && ts.isPropertyAccessExpression(unwrap(chain.expression))) {
    chain = unwrap((unwrap(chain.expression) as ts.PropertyAccessExpression).expression);
  }
  if (ts.isCallExpression(chain) && calleeName(chain) === "route" && chain.arguments.length === 1 && isPathLike(chain.arguments[0])) return true;
  if (call.arguments.length < 2) return false;
  const path = expressionPath(receiver);
  const name = path?.split(".").pop();
  if (name && HTTP_CLIENT.test(name)) return false;
  if (call.arguments.slice(1).some(isHandlerFunction)) return true;
  return name !== undefined && ROUTER.test(name) && (isPathLike(call.arguments[0]) || ts.isIdentifier(unwrap(call.arguments[0])) || ts.isPropertyAccessExpression(unwrap(call.arguments[0])));
}

/** Every method name a call below reacts to: lusca's `csrf`, plugin registration, routes, cookie writes. */
const CALLED_METHODS: ReadonlySet<string> = new Set(["csrf", "register", "route", ...STATE_METHODS, "cookie", "setCookie", "set"]);

/** Read once: `ts` is a namespace of getters, and the call visitor checks kinds for every call. */
const Kind = ts.SyntaxKind;

const protectedOrNoRoutes = (facts: WorkspaceFacts) => facts.signals.has(PROTECTION) || !facts.signals.has(STATE_CHANGING_ROUTE);
// At module level, like the one above: a closure made in `create` would keep the file's whole tree alive
// (through the rule context) for as long as the finding waits for the workspace facts.
const protectedOrNoRoutesOrNoAuthCookie = (facts: WorkspaceFacts) => protectedOrNoRoutes(facts) || !facts.signals.has(AUTH_COOKIE);

export const missingCsrfProtection: Rule = {
  meta: {
    id: "missing-csrf-protection",
    checklistItem: "security.csrf",
    defaultSeverity: "warning",
    description: "Cookie-based sessions on an app with state-changing routes and no CSRF protection.",
    scope: "production",
    triggers: [
      "session", "Session", "cookie", "Cookie", "csrf", "Csrf", "CSRF", "xsrf", "XSRF", "lusca",
      ".post(", ".put(", ".patch(", ".delete(", "@Post", "@Put", "@Patch", "@Delete", "method:",
    ],
    messages: {
      session:
        "{{what}} authenticates requests by cookie, which the browser also attaches to requests a malicious site makes it send, and this app has state-changing routes but no CSRF protection{{sameSite}}. Add CSRF tokens (csrf-csrf's `doubleCsrf`) or set `sameSite: \"strict\"` on the session cookie.",
      cookie:
        "{{what}} with auth cookies set by the app (e.g. `res.cookie(\"token\", …)`): the browser attaches them to requests a malicious site makes it send, and this app has state-changing routes but no CSRF protection. Add CSRF tokens (csrf-csrf's `doubleCsrf`) or set `sameSite: \"strict\"` on the auth cookie.",
    },
    docs: {
      why:
        "With cookie-based authentication the browser attaches the session cookie to every request to your domain, including a form a malicious page auto-submits or a `fetch` it fires. Without a CSRF token check, that request changes the password, transfers the money or deletes the account as the logged-in user. `SameSite=Lax` (the browsers' default) is not enough: it still sends the cookie on top-level navigations, so any state-changing GET is exposed; it treats every subdomain (including a compromised or user-content one) as same-site; Chrome's Lax-by-default exempts cookies without an explicit attribute for their first two minutes on cross-site POSTs; and older browsers ignore it. `SameSite=Strict` on the session cookie does block cross-site requests, so it counts as protection. Token-only APIs (an `Authorization: Bearer` header, no session or auth cookie) are not affected and are not reported.",
      howToFix:
        "Add a CSRF token check for every state-changing request. With [csrf-csrf](https://www.npmjs.com/package/csrf-csrf) (double-submit cookie, the maintained successor of the deprecated `csurf`):\n\n" +
        "```ts\nimport { doubleCsrf } from \"csrf-csrf\";\n\nconst { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({\n  getSecret: () => process.env.CSRF_SECRET!,\n  getSessionIdentifier: (req) => req.session.id,\n  cookieName: \"__Host-psifi.x-csrf-token\",\n  cookieOptions: { sameSite: \"strict\", secure: true },\n});\n\napp.use(session({ /* ... */ }));\napp.get(\"/csrf-token\", (req, res) => res.json({ token: generateCsrfToken(req, res) }));\napp.use(doubleCsrfProtection); // checks the x-csrf-token header on POST/PUT/PATCH/DELETE\n```\n\n" +
        "(csrf-csrf v3 names it `generateToken` and has no `getSessionIdentifier`.) The client sends the token back in the `x-csrf-token` header. Fastify: `@fastify/csrf-protection`; Koa: `koa-csrf`; NestJS: the same csrf-csrf middleware in `main.ts`. Alternatively, set `cookie: { sameSite: \"strict\" }` on the session cookie when users never need to arrive logged in from links on other sites.",
      valid: [
        {
          note: "CSRF tokens checked with csrf-csrf.",
          code: `import session from "express-session";\nimport { doubleCsrf } from "csrf-csrf";\n\nconst { doubleCsrfProtection } = doubleCsrf({ getSecret: () => process.env.CSRF_SECRET!, getSessionIdentifier: (req) => req.session.id });\n\napp.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));\napp.use(doubleCsrfProtection);\napp.post("/account/email", updateEmail);`,
        },
        {
          note: "A strict same-site session cookie is not sent on cross-site requests.",
          code: `import session from "express-session";\n\napp.use(session({\n  secret: process.env.SESSION_SECRET!,\n  resave: false,\n  saveUninitialized: false,\n  cookie: { httpOnly: true, secure: true, sameSite: "strict" },\n}));\napp.post("/transfer", transfer);`,
        },
        {
          note: "A token-only API: no session or auth cookie.",
          code: `import express from "express";\n\nconst app = express();\napp.use(express.json());\napp.use(requireBearerToken);\napp.post("/orders", createOrder);`,
        },
      ],
      invalid: [
        {
          note: "express-session with lax cookies and POST routes, no CSRF check.",
          code: `import express from "express";\nimport session from "express-session";\n\nconst app = express();\napp.use(session({\n  secret: process.env.SESSION_SECRET!,\n  cookie: { sameSite: "lax", secure: true },\n}));\napp.post("/account/delete", deleteAccount);`,
        },
        {
          note: "cookie-session on a Koa-style router with state-changing routes.",
          code: `import cookieSession from "cookie-session";\n\napp.use(cookieSession({ name: "session", keys: [process.env.COOKIE_KEY!] }));\n\nrouter.put("/profile", (req, res) => {\n  saveProfile(req.session!.userId, req.body);\n  res.sendStatus(204);\n});`,
        },
        {
          note: "@fastify/secure-session with a POST route.",
          code: `import Fastify from "fastify";\nimport secureSession from "@fastify/secure-session";\n\nconst fastify = Fastify();\nfastify.register(secureSession, { key: Buffer.from(process.env.SESSION_KEY!, "hex") });\nfastify.post("/settings", async (request, reply) => saveSettings(request.session.get("userId"), request.body));`,
        },
      ],
    },
  },
  create(context) {
    const names = sessionNames(context);
    const sessionsImported = hasSessionNames(names);
    const cookieParsers = new Set<string>();
    for (const binding of importsOf(context, "cookie-parser")) if (binding.defaultName) cookieParsers.add(binding.defaultName);
    const fastifyCookies = new Set<string>();
    for (const binding of importsOf(context, "@fastify/cookie", "fastify-cookie")) {
      if (binding.defaultName) fastifyCookies.add(binding.defaultName);
      for (const local of binding.named.values()) fastifyCookies.add(local);
    }
    const luscaNames = new Set<string>();
    const luscaCsrf = new Set<string>();
    for (const binding of importsOf(context, "lusca")) {
      if (binding.defaultName) luscaNames.add(binding.defaultName);
      if (binding.namespaceName) luscaNames.add(binding.namespaceName);
      const csrf = binding.named.get("csrf");
      if (csrf) luscaCsrf.add(csrf);
    }
    const nestDecorators = new Set<string>();
    for (const binding of importsOf(context, "@nestjs/common")) {
      for (const [exported, local] of binding.named) if (NEST_DECORATORS.has(exported)) nestDecorators.add(local);
    }
    for (const binding of context.imports) {
      if (CSRF_MODULES.has(binding.module)) context.signal(PROTECTION, binding.node, binding.module);
    }

    let routeSeen = false;
    let sessionSeen = false;
    const cookieMiddleware: { node: ts.CallExpression; what: string }[] = [];

    const route = (node: ts.Node, detail: string) => {
      if (routeSeen) return;
      routeSeen = true;
      context.signal(STATE_CHANGING_ROUTE, node, detail);
    };

    const checkSession = (registration: SessionRegistration) => {
      sessionSeen = true;
      const sameSite = sessionSameSite(registration);
      if (sameSite === null) return;
      if (sameSite === "strict") {
        context.signal(SAME_SITE_STRICT, registration.call, registration.kind);
        return;
      }
      context.report({
        node: registration.call,
        messageId: "session",
        data: { what: LABEL[registration.kind], sameSite: sameSite ? ` (\`sameSite: "${sameSite}"\` does not stop it)` : "" },
        unless: protectedOrNoRoutes,
      });
    };

    /** `res.cookie("token", jwt, opts)`, `reply.setCookie("session", …)`, `ctx.cookies.set("sid", …)`. */
    const checkCookieWrite = (node: ts.CallExpression) => {
      const name = calleeName(node);
      const path = name === "set" ? expressionPath(node.expression) : undefined;
      const isWrite = name === "cookie" || name === "setCookie" || (name === "set" && path !== undefined && /(?:^|\.)cookies\.set$/.test(path));
      if (!isWrite || !ts.isPropertyAccessExpression(unwrap(node.expression))) return;
      const cookieName = staticString(node.arguments[0]);
      if (cookieName === undefined) return;
      if (CSRF_COOKIE_NAME.test(cookieName)) {
        context.signal(PROTECTION, node, `csrf cookie "${cookieName}"`);
        return;
      }
      if (!AUTH_COOKIE_NAME.test(cookieName)) return;
      const optionsArgument = node.arguments[2];
      const options = optionsArgument && resolveFrom(node, optionsArgument);
      const sameSite = options && ts.isObjectLiteralExpression(options) ? sameSiteOf(options) : optionsArgument ? null : undefined;
      if (sameSite === "strict") context.signal(SAME_SITE_STRICT, node, `cookie "${cookieName}"`);
      else if (sameSite !== null) context.signal(AUTH_COOKIE, node, cookieName);
    };

    // Every plain name a call below reacts to (session middleware, cookie-parser, lusca).
    const calledNames = new Set([...cookieParsers, ...luscaCsrf, ...luscaNames]);
    if (sessionsImported) for (const set of [names.expressSession, names.cookieSession, names.koaSession]) for (const name of set) calledNames.add(name);

    return {
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        // Most calls are rejected on the callee's kind and name alone.
        const direct = node.expression;
        if (direct.kind === Kind.PropertyAccessExpression ? !CALLED_METHODS.has((direct as ts.PropertyAccessExpression).name.text) : direct.kind === Kind.Identifier && !calledNames.has((direct as ts.Identifier).text)) return;
        if (sessionsImported) {
          const registration = sessionRegistration(names, node, context.text);
          if (registration) return checkSession(registration);
        }
        const callee = unwrap(node.expression);
        if (ts.isIdentifier(callee)) {
          if (cookieParsers.has(callee.text)) cookieMiddleware.push({ node, what: "`cookie-parser`" });
          else if (luscaCsrf.has(callee.text)) context.signal(PROTECTION, node, "lusca.csrf");
          else if (luscaNames.has(callee.text)) {
            const options = objectArgument(node);
            const csrf = options && getPropertyValue(options, "csrf");
            if (csrf && unwrap(csrf).kind !== ts.SyntaxKind.FalseKeyword) context.signal(PROTECTION, node, "lusca({ csrf })");
          }
          return;
        }
        if (!ts.isPropertyAccessExpression(callee)) return;
        if (callee.name.text === "csrf" && ts.isIdentifier(callee.expression) && luscaNames.has(callee.expression.text)) {
          context.signal(PROTECTION, node, "lusca.csrf");
          return;
        }
        if (callee.name.text === "register" && node.arguments[0]) {
          const plugin = unwrap(node.arguments[0]);
          if (ts.isIdentifier(plugin) && fastifyCookies.has(plugin.text)) cookieMiddleware.push({ node, what: "`@fastify/cookie`" });
          return;
        }
        if (!routeSeen && isStateChangingRoute(node)) {
          route(node, `${expressionPath(callee) ?? callee.name.text}`);
          return;
        }
        checkCookieWrite(node);
      },
      [ts.SyntaxKind.Decorator](node: ts.Decorator) {
        if (routeSeen || nestDecorators.size === 0) return;
        const expression = node.expression;
        if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && nestDecorators.has(expression.expression.text)) {
          route(node, `@${expression.expression.text}()`);
        }
      },
      [ts.SyntaxKind.StringLiteral](node: ts.StringLiteral) {
        if (CSRF_HEADER.test(node.text)) context.signal(PROTECTION, node, `"${node.text}" header`);
      },
      onEnd() {
        // With session middleware in the same file, the session finding already covers the cookies.
        if (sessionSeen) return;
        for (const { node, what } of cookieMiddleware) {
          context.report({
            node,
            messageId: "cookie",
            data: { what },
            unless: protectedOrNoRoutesOrNoAuthCookie,
          });
        }
      },
    };
  },
};
