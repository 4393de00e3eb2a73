import ts = require("typescript");
import { expressionPath, getPropertyValue, importsOf, replaceNode, unwrap } from "../ast";
import type { Fix, Rule, TextEdit } from "../types";
import { type ContainerUse, containerUseOf, isDynamicKey, looksLikeClientCode, type ModuleContainer, moduleContainerNames, moduleLevelContainer } from "./support/module-state";
import { resolveFrom } from "./support/resolve-from-visited";
import { addOptionsArgumentEdit, addPropertyEdits, importedName, visibleRedisClient } from "./support/redis-client";
import { hasSessionNames, type SessionRegistration, sessionNames, sessionRegistration } from "./support/session-middleware";

const EXTERNAL_STORE = "security.session-store:external-store";
const COOKIE_SESSION = "security.session-store:cookie-session";

const MIDDLEWARE_LABEL: Record<SessionRegistration["kind"], string> = {
  "express-session": "`express-session`",
  "fastify-session": "`@fastify/session`",
  "cookie-session": "`cookie-session`",
  "fastify-secure-session": "`@fastify/secure-session`",
  "koa-session": "`koa-session`",
};

/** Names that are about something other than the state itself: `sessionOptions`, `sessionCache`. */
const NOT_STATE_WORDS = new Set([
  "config", "configs", "configuration", "options", "opts", "settings", "middleware", "middlewares", "handler", "handlers",
  "plugin", "plugins", "route", "routes", "listener", "listeners", "schema", "schemas", "type", "types", "field", "fields",
  "cache", "caches", "metrics", "stats", "count", "counts", "counter", "counters", "keys", "secret", "secrets", "events", "logs",
  // Attempt counters are rate limiting (in-memory-rate-limit reports those).
  "attempt", "attempts", "hit", "hits", "limit", "limits", "limiter", "limiters", "throttle", "rate",
  // Live connections can only live in the process that holds them.
  "socket", "sockets", "ws", "connection", "connections", "transport", "transports", "stream", "streams", "timer", "timers", "timeout", "timeouts", "interval", "intervals",
]);

/** Values that can only live in one process (a Map of sockets keyed by session id is connection bookkeeping). */
const PROCESS_BOUND_TYPE = /Socket|Transport|Connection|Stream|Peer|Channel|Timeout|Timer|Worker|ChildProcess|Response|ServerResponse|Reply/;
const REALTIME_MODULES = /^(?:ws|socket\.io|@socket\.io\/.*|uWebSockets\.js|@modelcontextprotocol\/sdk(?:\/.*)?|@fastify\/websocket|express-ws|@nestjs\/websockets|sockjs|faye-websocket)$/;

function holdsProcessBoundValues(declaration: ts.VariableDeclaration, sourceFile: ts.SourceFile): boolean {
  const parts: string[] = [];
  if (declaration.type) parts.push(declaration.type.getText(sourceFile));
  const initializer = declaration.initializer && unwrap(declaration.initializer);
  if (initializer && ts.isNewExpression(initializer) && initializer.typeArguments) parts.push(...initializer.typeArguments.map((type) => type.getText(sourceFile)));
  return parts.some((text) => PROCESS_BOUND_TYPE.test(text));
}

/** What a module-level container holds, judged by its name; `undefined` when it is not session state. */
function stateHeld(words: string[]): string | undefined {
  if (words.some((word) => NOT_STATE_WORDS.has(word))) return undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const next = words[i + 1];
    if (word === "refresh" && (next === "token" || next === "tokens")) return "refresh tokens";
    if (word === "refreshtoken" || word === "refreshtokens") return "refresh tokens";
    if (word === "session" || word === "sessions") return "sessions";
    if (word === "otp" || word === "otps" || word === "mfa" || word === "2fa" || word === "twofactor" || /^(?:pending)?2fa$/.test(word)) return "one-time codes / MFA state";
    if (word === "two" && next === "factor") return "one-time codes / MFA state";
    if (word === "verification" && (next === "code" || next === "codes")) return "one-time codes / MFA state";
  }
  return undefined;
}

/** `new session.MemoryStore()`, `new MemoryStore()` (express-session's or the `memorystore` package's). */
function memoryStoreName(anchor: ts.Node, value: ts.Expression, memorystore: ReadonlySet<string>): string | undefined {
  const resolved = resolveFrom(anchor, value);
  if (!ts.isNewExpression(resolved)) return undefined;
  const callee = unwrap(resolved.expression);
  if (ts.isIdentifier(callee) && memorystore.has(callee.text)) return `${callee.text} (memorystore)`;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name === "MemoryStore" ? (expressionPath(callee) ?? "MemoryStore") : undefined;
}

function describeStore(anchor: ts.Node, value: ts.Expression): string {
  const resolved = resolveFrom(anchor, value);
  const target = ts.isNewExpression(resolved) || ts.isCallExpression(resolved) ? resolved.expression : resolved;
  return expressionPath(target) ?? "custom store";
}

export const inMemorySessionStore: Rule = {
  meta: {
    id: "in-memory-session-store",
    checklistItem: "security.session-store",
    defaultSeverity: "warning",
    description: "Sessions, refresh tokens or MFA state are kept in process memory instead of Redis or a database.",
    scope: "production",
    fixable: true,
    triggers: ["session", "Session", "SESSION", "refresh", "Refresh", "REFRESH", "otp", "Otp", "OTP", "mfa", "Mfa", "MFA", "2fa", "2FA", "twoFactor", "TwoFactor", "TWO_FACTOR", "two_factor", "erification"],
    messages: {
      session:
        "{{what}} keeps sessions in process memory: every restart or deploy logs every user out, the other instances behind the load balancer don't know the session, and the store grows without bound. {{advice}}",
      state:
        "`{{name}}` keeps {{held}} in a module-level {{kind}}: they are lost on every restart or deploy, invisible to the other instances behind the load balancer, and grow without bound. Keep them in Redis or the database, with an expiry.",
    },
    docs: {
      why:
        "`express-session` and `@fastify/session` default to a MemoryStore that lives inside one Node process (express-session's own docs say it is not meant for production: it leaks memory and does not scale past a single process). With it, every deploy, crash or autoscaling event logs every user out; with two or more instances a user is logged in on one and anonymous on the next request the load balancer routes elsewhere (sticky sessions only hide this until an instance dies). The `memorystore` package fixes the leak but is still in-process. The same goes for hand-rolled module-level `Map`s of sessions, refresh tokens or pending OTP/MFA codes: revocations and pending challenges disappear on restart and are never shared.",
      howToFix:
        "Store sessions in Redis or the database. With express-session and [connect-redis](https://www.npmjs.com/package/connect-redis) (v8+, whose export is the named `RedisStore`; it accepts a node-redis or an ioredis client):\n\n" +
        "```ts\nimport session from \"express-session\";\nimport { RedisStore } from \"connect-redis\";\nimport { createClient } from \"redis\";\n\nconst redisClient = createClient({ url: process.env.REDIS_URL });\nawait redisClient.connect();\n\napp.use(session({\n  store: new RedisStore({ client: redisClient, prefix: \"sess:\" }),\n  secret: process.env.SESSION_SECRET!,\n  resave: false,\n  saveUninitialized: false,\n}));\n```\n\n" +
        "Other stores: `connect-pg-simple`, `connect-mongo` (`MongoStore.create({ mongoUrl })`), `@quixo3/prisma-session-store`, `connect-session-sequelize`, `connect-typeorm`. `@fastify/session` takes the same `store` option. Cookie-backed sessions (`cookie-session`, `@fastify/secure-session`, `koa-session`'s default) keep nothing on the server and are not reported.\n\n" +
        "For refresh tokens and OTP/MFA challenges, write them to Redis with an expiry (`SET key value EX 300`) or to a database table, and delete them when used.\n\n" +
        "The automatic fix adds `store: new RedisStore({ client })` to express-session only when the file already has a Redis client (`createClient()` of `redis`, `new Redis()` of `ioredis`, or an imported `redis`/`redisClient`); install `connect-redis` afterwards.",
      valid: [
        {
          note: "express-session with a Redis store (connect-redis v8).",
          code: `import session from "express-session";\nimport { RedisStore } from "connect-redis";\nimport { createClient } from "redis";\n\nconst redisClient = createClient({ url: process.env.REDIS_URL });\n\napp.use(session({\n  store: new RedisStore({ client: redisClient }),\n  secret: process.env.SESSION_SECRET!,\n  resave: false,\n  saveUninitialized: false,\n}));`,
        },
        {
          note: "Cookie-backed sessions keep nothing in server memory.",
          code: `import cookieSession from "cookie-session";\n\napp.use(cookieSession({\n  name: "session",\n  keys: [process.env.COOKIE_KEY!],\n  maxAge: 24 * 60 * 60 * 1000,\n}));`,
        },
        {
          note: "A Map local to one function is not shared state.",
          code: `export function groupSessionsByUser(rows: SessionRow[]) {\n  const sessions = new Map<string, SessionRow[]>();\n  for (const row of rows) sessions.set(row.userId, [...(sessions.get(row.userId) ?? []), row]);\n  return sessions;\n}`,
        },
      ],
      invalid: [
        {
          note: "express-session without a store: the default MemoryStore.",
          code: `import express from "express";\nimport session from "express-session";\n\nconst app = express();\napp.use(session({\n  secret: process.env.SESSION_SECRET!,\n  resave: false,\n  saveUninitialized: false,\n}));`,
        },
        {
          note: "@fastify/session without a store.",
          code: `import Fastify from "fastify";\nimport fastifyCookie from "@fastify/cookie";\nimport fastifySession from "@fastify/session";\n\nconst app = Fastify();\napp.register(fastifyCookie);\napp.register(fastifySession, { secret: process.env.SESSION_SECRET! });`,
        },
        {
          note: "Refresh tokens in a module-level array.",
          code: `let refreshTokens: string[] = [];\n\napp.post("/token", (req, res) => {\n  const refreshToken = jwt.sign({ sub: req.body.userId }, REFRESH_SECRET);\n  refreshTokens.push(refreshToken);\n  res.json({ refreshToken });\n});`,
        },
      ],
    },
  },
  create(context) {
    const names = sessionNames(context);
    const sessionsImported = hasSessionNames(names);
    const memorystore = new Set<string>();
    for (const binding of importsOf(context, "memorystore")) if (binding.defaultName) memorystore.add(binding.defaultName);
    const containers: { container: ModuleContainer; held: string }[] = [];
    const uses: ContainerUse[] = [];
    // The only names whose uses matter (usually none).
    const stateNames = moduleContainerNames(context.sourceFile, (_kind, words) => stateHeld(words) !== undefined);

    const redisFix = (registration: SessionRegistration, memoryStore?: ts.Expression): Fix | undefined => {
      if (registration.kind !== "express-session") return undefined;
      const options = registration.options;
      const client = visibleRedisClient(context, registration.inline || !options ? registration.call : options);
      if (!client) return undefined;
      // connect-redis v6 exports a factory (`require("connect-redis")(session)`): only reuse the v7+/v8 named export.
      const bindings = importsOf(context, "connect-redis");
      if (bindings.some((binding) => !binding.named.has("RedisStore"))) return undefined;
      const store = importedName(context, "connect-redis", "RedisStore", { alias: "ConnectRedisStore" });
      if (!store) return undefined;
      const storeText = `new ${store.local}({ client: ${client.name} })`;
      const edits: TextEdit[] = [];
      if (memoryStore) edits.push(replaceNode(unwrap(memoryStore), context.sourceFile, storeText));
      else if (options) edits.push(...addPropertyEdits(context.text, context.sourceFile, options, [`store: ${storeText}`]));
      else {
        const edit = addOptionsArgumentEdit(registration.call, [`store: ${storeText}`]);
        if (!edit) return undefined;
        edits.push(edit);
      }
      if (store.edit) edits.push(store.edit);
      return { title: `Store sessions in Redis (connect-redis with \`${client.name}\`)`, edits, preferred: true };
    };

    const check = (registration: SessionRegistration) => {
      const { kind, call, options } = registration;
      if (kind === "cookie-session" || kind === "fastify-secure-session") {
        context.signal(COOKIE_SESSION, call, kind);
        return;
      }
      if (!registration.known) return;
      const store = options && getPropertyValue(options, "store");
      if (kind === "koa-session") {
        if (store || registration.mutated.has("store")) context.signal(EXTERNAL_STORE, call, `koa-session: ${store ? describeStore(call, store) : "store"}`);
        else context.signal(COOKIE_SESSION, call, kind);
        return;
      }
      if (registration.mutated.has("store")) {
        context.signal(EXTERNAL_STORE, call, `${kind}: store assigned later`);
        return;
      }
      const memory = store && memoryStoreName(call, store, memorystore);
      if (store && !memory) {
        context.signal(EXTERNAL_STORE, call, `${kind}: ${describeStore(call, store)}`);
        return;
      }
      const fix = redisFix(registration, memory ? store : undefined);
      const what = memory ? `${MIDDLEWARE_LABEL[kind]} with \`${memory}\`` : `${MIDDLEWARE_LABEL[kind]} without a \`store\``;
      const advice = fix
        ? "Use a Redis store (connect-redis) with the Redis client of this file."
        : "Configure a `store` backed by Redis or the database (connect-redis, connect-pg-simple, connect-mongo, @quixo3/prisma-session-store).";
      context.report({ node: call, messageId: "session", data: { what, advice }, fixes: fix ? [fix] : [] });
    };

    return {
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        if (sessionsImported) {
          const registration = sessionRegistration(names, node, context.text);
          if (registration) return check(registration);
        }
        const use = containerUseOf(node, stateNames);
        if (use) uses.push(use);
      },
      [ts.SyntaxKind.ElementAccessExpression](node: ts.ElementAccessExpression) {
        const use = containerUseOf(node, stateNames);
        if (use) uses.push(use);
      },
      [ts.SyntaxKind.BinaryExpression](node: ts.BinaryExpression) {
        if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const use = containerUseOf(node, stateNames);
        if (use) uses.push(use);
      },
      [ts.SyntaxKind.VariableDeclaration](node: ts.VariableDeclaration) {
        if (!ts.isIdentifier(node.name) || !stateNames.has(node.name.text)) return;
        const container = moduleLevelContainer(node);
        if (!container) return;
        const held = stateHeld(container.words);
        if (held) containers.push({ container, held });
      },
      onEnd() {
        if (containers.length === 0 || looksLikeClientCode(context)) return;
        if (context.imports.some((binding) => REALTIME_MODULES.test(binding.module))) return;
        for (const { container, held } of containers) {
          const mutated = uses.some((use) => {
            if (use.name !== container.name || use.access !== "write" || !use.inFunction) return false;
            if (container.kind === "object") return ts.isElementAccessExpression(use.node) && isDynamicKey(use.key);
            return true;
          });
          if (!mutated || holdsProcessBoundValues(container.declaration, context.sourceFile)) continue;
          context.report({
            node: container.declaration,
            messageId: "state",
            data: { name: container.name, held, kind: container.kind === "array" ? "array" : container.kind === "object" ? "object" : container.kind },
          });
        }
      },
    };
  },
};
