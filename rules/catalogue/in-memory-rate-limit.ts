import ts = require("typescript");
import {
  addImportEdit,
  calleeName,
  enclosingFunction,
  expressionPath,
  findDescendant,
  findVariableInitializer,
  forEachDescendant,
  getProperty,
  getPropertyValue,
  importsOf,
  propertyNameText,
  replaceNode,
  staticString,
  unwrap,
} from "../ast";
import type { Fix, ImportBinding, Rule, RuleContext, TextEdit } from "../types";
import { type ContainerKind, type ContainerUse, containerUseOf, isCompoundUse, looksLikeClientCode, type ModuleContainer, moduleContainerNames, moduleLevelContainer } from "./support/module-state";
import { resolveFrom } from "./support/resolve-from-visited";
import { addOptionsArgumentEdit, addPropertyEdits, importedName, isTypeScriptFile, nameIsUsed, type RedisClient, visibleRedisClient } from "./support/redis-client";

const RATE_LIMITER = "security.rate-limit-redis:rate-limiter";
const SHARED_STORE = "security.rate-limit-redis:shared-store";

/** rate-limiter-flexible classes that keep their counters outside the process. */
const SHARED_LIMITERS = /^RateLimiter(?:Redis|Mongo|Postgres|MySQL|Memcache|DynamoDB|Dynamo|Prisma|Drizzle|Valkey|ValkeyGlide|Etcd|EtcdNonAtomic|Sequelize|Knex|Unstorage)$/;
/** In-process or wrappers: not evidence of a shared store. */
const LOCAL_LIMITERS = /^(?:RateLimiterMemory|RateLimiterCluster|RateLimiterClusterMaster|RateLimiterClusterMasterPM2|RateLimiterQueue|RateLimiterUnion|BurstyRateLimiter|RLWrapperBlackAndWhite|RLWrapperTimeouts|RateLimiterSQLite)$/;

/** Words a per-client counter's name is made of: `requestCounts`, `loginAttempts`, `ipHits`, `rateLimits`, `throttle`. */
const COUNTER_WORDS = new Set(["request", "requests", "req", "reqs", "attempt", "attempts", "hit", "hits", "rate", "ratelimit", "ratelimits", "limit", "limits", "limiter", "limiters", "throttle", "throttles", "throttled", "throttling", "bucket", "buckets"]);

const IP_NAME = /^(?:ip|ips|ip_?addr(?:ess)?|client_?ip|remote_?ip|remote_?addr(?:ess)?|real_?ip|user_?ip|request_?ip|forwarded_?for|x_?forwarded_?for|user_?id|uid|account_?id|client_?id|api_?key|e_?mail|username|user_?name|phone|phone_?number|msisdn)$/i;
const IP_SUFFIX = /[a-z0-9](?:Ip|IP|Ips)$/;
const IP_HEADER = /^(?:x-forwarded-for|x-real-ip|cf-connecting-ip|true-client-ip|x-client-ip|fastly-client-ip|forwarded)$/i;
const USER_OBJECT = /(?:^|\.)(?:user|currentUser|account|auth|principal|jwt|payload|decoded|claims|session)$/i;

/** Every method name a limiter call can have: `rl.rateLimit(…)`, `fastify.register(…)`, `ThrottlerModule.forRoot(…)`. */
const LIMITER_METHODS: ReadonlySet<string> = new Set(["rateLimit", "slowDown", "default", "register", "forRoot", "forRootAsync"]);

/** Read once: `ts` is a namespace of getters, and the call visitor checks kinds for every call. */
const Kind = ts.SyntaxKind;

/** A Map or object named like per-client counters. */
function isCounterContainer(kind: ContainerKind, words: string[]): boolean {
  return (kind === "Map" || kind === "object") && words.some((word) => COUNTER_WORDS.has(word));
}

/** An expression that names the client a request comes from: `req.ip`, `ip`, `req.user.id`, an `x-forwarded-for` header, `getClientIp(req)`. */
function namesClient(node: ts.Node): boolean {
  if (ts.isIdentifier(node)) return IP_NAME.test(node.text) || IP_SUFFIX.test(node.text);
  if (ts.isPropertyAccessExpression(node)) {
    const name = node.name.text;
    if (IP_NAME.test(name) || IP_SUFFIX.test(name)) return true;
    if (name === "id" || name === "_id" || name === "sub") {
      const path = expressionPath(node.expression);
      return path !== undefined && USER_OBJECT.test(path);
    }
    return false;
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return IP_HEADER.test(node.text);
  if (ts.isCallExpression(node)) {
    const name = calleeName(node);
    return name !== undefined && /^(?:get)?(?:client|remote|real|request)?ip(?:address)?$/i.test(name);
  }
  return false;
}

/** `n + 1`, `count++`, `hits += 1`, `Date.now()` (sliding-window timestamps): the function counts. */
function isCounting(node: ts.Node): boolean {
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    return node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
  }
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.PlusEqualsToken || operator === ts.SyntaxKind.MinusEqualsToken) return true;
    if (operator === ts.SyntaxKind.PlusToken && (ts.isNumericLiteral(unwrap(node.right)) || ts.isNumericLiteral(unwrap(node.left)))) return true;
  }
  if (ts.isCallExpression(node)) {
    const path = expressionPath(node.expression);
    return path === "Date.now" || path === "performance.now";
  }
  return false;
}

function isClientKey(expression: ts.Expression): boolean {
  const value = unwrap(expression);
  if (namesClient(value) || findDescendant(value, namesClient)) return true;
  // `const key = req.ip` / `const key = \`${req.ip}:${route}\`` then `hits.get(key)`.
  let resolved = false;
  const check = (node: ts.Node) => {
    if (!ts.isIdentifier(node)) return;
    const initializer = findVariableInitializer(node, node.text);
    if (initializer && (namesClient(unwrap(initializer)) || findDescendant(initializer, namesClient))) resolved = true;
  };
  check(value);
  if (!resolved) forEachDescendant(value, (node) => (check(node), resolved ? false : true));
  return resolved;
}

interface Names {
  /** express-rate-limit / express-slow-down callables. */
  expressCallables: Map<string, string>;
  /** Namespaces of those modules: `rl.rateLimit(...)`. */
  expressNamespaces: Map<string, string>;
  fastifyPlugins: Set<string>;
  koa: Set<string>;
  /** rate-limiter-flexible: local name → class name. */
  flexibleClasses: Map<string, string>;
  flexibleNamespaces: Set<string>;
  throttlerModule: Set<string>;
  upstash: Set<string>;
}

function collectNames(context: RuleContext): Names {
  // The bindings of each module, in import order: one pass over the imports instead of one per module.
  const byModule = new Map<string, ImportBinding[]>();
  for (const binding of context.imports) {
    const list = byModule.get(binding.module);
    if (list) list.push(binding);
    else byModule.set(binding.module, [binding]);
  }
  const bindingsOf = (module: string): readonly ImportBinding[] => byModule.get(module) ?? [];
  const expressCallables = new Map<string, string>();
  const expressNamespaces = new Map<string, string>();
  for (const [module, exported] of [
    ["express-rate-limit", "rateLimit"],
    ["express-slow-down", "slowDown"],
  ] as const) {
    for (const binding of bindingsOf(module)) {
      if (binding.defaultName) {
        expressCallables.set(binding.defaultName, module);
        expressNamespaces.set(binding.defaultName, module);
      }
      if (binding.namespaceName) expressNamespaces.set(binding.namespaceName, module);
      for (const name of [exported, "default"]) {
        const local = binding.named.get(name);
        if (local) expressCallables.set(local, module);
      }
    }
  }
  const flexibleClasses = new Map<string, string>();
  const flexibleNamespaces = new Set<string>();
  for (const binding of bindingsOf("rate-limiter-flexible")) {
    for (const [exported, local] of binding.named) flexibleClasses.set(local, exported);
    if (binding.defaultName) flexibleNamespaces.add(binding.defaultName);
    if (binding.namespaceName) flexibleNamespaces.add(binding.namespaceName);
  }
  // `const RateLimiterMemory = require("rate-limiter-flexible/lib/RateLimiterMemory")`.
  for (const binding of context.imports) {
    if (!binding.module.startsWith("rate-limiter-flexible/")) continue;
    const deep = /^rate-limiter-flexible\/lib\/(\w+)(?:\.js)?$/.exec(binding.module);
    if (deep && binding.defaultName) flexibleClasses.set(binding.defaultName, deep[1]);
  }
  const throttlerModule = new Set<string>();
  for (const binding of bindingsOf("@nestjs/throttler")) {
    const local = binding.named.get("ThrottlerModule");
    if (local) throttlerModule.add(local);
  }
  const upstash = new Set<string>();
  for (const binding of bindingsOf("@upstash/ratelimit")) {
    const local = binding.named.get("Ratelimit");
    if (local) upstash.add(local);
    if (binding.defaultName) upstash.add(binding.defaultName);
  }
  const koa = new Set<string>();
  for (const binding of bindingsOf("koa-ratelimit")) if (binding.defaultName) koa.add(binding.defaultName);
  const fastifyPlugins = new Set<string>();
  for (const binding of [...bindingsOf("@fastify/rate-limit"), ...bindingsOf("fastify-rate-limit")]) {
    if (binding.defaultName) fastifyPlugins.add(binding.defaultName);
    if (binding.namespaceName) fastifyPlugins.add(binding.namespaceName);
    for (const local of binding.named.values()) fastifyPlugins.add(local);
  }
  return {
    expressCallables,
    expressNamespaces,
    fastifyPlugins,
    koa,
    flexibleClasses,
    flexibleNamespaces,
    throttlerModule,
    upstash,
  };
}

/** `express-rate-limit` / `express-slow-down` when this call (or `new`) invokes one. */
function expressLimiterModule(names: Names, call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return names.expressCallables.get(callee.text);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const module = names.expressNamespaces.get(callee.expression.text);
    if (module && ["rateLimit", "slowDown", "default"].includes(callee.name.text)) return module;
  }
  return undefined;
}

function isFastifyRateLimitPlugin(names: Names, expression: ts.Expression): boolean {
  let value = unwrap(expression);
  if (ts.isIdentifier(value)) return names.fastifyPlugins.has(value.text);
  if (ts.isAwaitExpression(value)) value = unwrap(value.expression);
  if (ts.isPropertyAccessExpression(value) && value.name.text === "default") value = unwrap(value.expression);
  if (!ts.isCallExpression(value)) return false;
  const isLoader = (ts.isIdentifier(value.expression) && value.expression.text === "require") || value.expression.kind === ts.SyntaxKind.ImportKeyword;
  const module = isLoader ? staticString(value.arguments[0]) : undefined;
  return module === "@fastify/rate-limit" || module === "fastify-rate-limit";
}

/** The rate-limiter-flexible class a `new` expression constructs. */
function flexibleClass(names: Names, node: ts.NewExpression): string | undefined {
  const callee = unwrap(node.expression);
  if (ts.isIdentifier(callee)) return names.flexibleClasses.get(callee.text);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && names.flexibleNamespaces.has(callee.expression.text)) return callee.name.text;
  return undefined;
}

/** Options object of a call, resolved through a same-file variable; `null` when it cannot be read. */
function readOptions(anchor: ts.Node, argument: ts.Expression | undefined): { object?: ts.ObjectLiteralExpression; inline: boolean } | null {
  if (!argument) return { inline: false };
  const value = unwrap(argument);
  if (ts.isObjectLiteralExpression(value)) return { object: value, inline: true };
  const resolved = resolveFrom(anchor, value);
  if (ts.isObjectLiteralExpression(resolved)) return { object: resolved, inline: false };
  return null;
}

function hasSpread(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some(ts.isSpreadAssignment);
}

/** `new MemoryStore()`, `new rateLimit.MemoryStore()`. */
function isMemoryStore(anchor: ts.Node, value: ts.Expression): boolean {
  const resolved = resolveFrom(anchor, value);
  if (ts.isIdentifier(resolved) && resolved.text === "undefined") return true;
  if (!ts.isNewExpression(resolved)) return false;
  const callee = unwrap(resolved.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name === "MemoryStore";
}

function storeName(anchor: ts.Node, value: ts.Expression): string {
  const resolved = resolveFrom(anchor, value);
  if (ts.isNewExpression(resolved)) return expressionPath(resolved.expression) ?? "a custom store";
  return expressionPath(resolved) ?? "a custom store";
}

export const inMemoryRateLimit: Rule = {
  meta: {
    id: "in-memory-rate-limit",
    checklistItem: "security.rate-limit-redis",
    defaultSeverity: "warning",
    description: "A rate limiter keeps its counters in process memory instead of a shared store such as Redis.",
    scope: "production",
    fixable: true,
    triggers: ["rate-limit", "ratelimit", "slow-down", "rate-limiter", "@nestjs/throttler", ".ip", "{ ip", "ip }", "remoteAddress", "forwarded", "userId", "user.id", "user?.id", "user!.id"],
    messages: {
      inMemory:
        "{{what}} counts requests in process memory: every instance behind the load balancer keeps its own counts (a client gets the limit once per instance) and every restart or deploy resets them. {{advice}}",
    },
    docs: {
      why:
        "An in-memory rate limiter only sees the requests that reach its own process. Run three instances (or a cluster, or serverless functions) and an attacker gets three times the limit, spread across them by the load balancer; every deploy, crash or autoscaling event wipes the counters, so a brute-force run simply continues after a restart. The memory store also grows with the number of distinct keys (IPs, users) until the process runs out of memory under a spoofed-IP flood. Login throttling, OTP attempt limits and API quotas only hold when all instances share one counter.",
      howToFix:
        "Keep the counters in Redis (or another shared store) so every instance reads and increments the same key.\n\n" +
        "express-rate-limit / express-slow-down with [rate-limit-redis](https://www.npmjs.com/package/rate-limit-redis):\n\n" +
        "```ts\nimport { rateLimit } from \"express-rate-limit\";\nimport { RedisStore } from \"rate-limit-redis\";\nimport { createClient } from \"redis\";\n\nconst redisClient = createClient({ url: process.env.REDIS_URL });\nawait redisClient.connect();\n\napp.use(rateLimit({\n  windowMs: 15 * 60 * 1000,\n  limit: 100,\n  store: new RedisStore({ sendCommand: (...args: string[]) => redisClient.sendCommand(args) }),\n}));\n```\n\n" +
        "With ioredis: `sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>`.\n\n" +
        "- `@fastify/rate-limit`: `fastify.register(rateLimit, { max: 100, timeWindow: \"1 minute\", redis: new Redis(process.env.REDIS_URL) })` (an ioredis client).\n" +
        "- rate-limiter-flexible: `new RateLimiterRedis({ storeClient: redis, points: 10, duration: 1 })` instead of `RateLimiterMemory` (add `useRedisPackage: true` for a node-redis client). A `RateLimiterMemory` passed as `insuranceLimiter` of a Redis limiter is fine: it only answers while Redis is down.\n" +
        "- koa-ratelimit: `driver: \"redis\", db: new Redis()`.\n" +
        "- NestJS: `ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 10 }], storage: new ThrottlerStorageRedisService(redis) })` from `@nest-lab/throttler-storage-redis`.\n" +
        "- A hand-written `Map` of counters: replace it with Redis `INCR` + `EXPIRE` (or one of the libraries above).\n\n" +
        "The automatic fix adds the store only when the file already has a Redis client it can use (`createClient()` of `redis`, `new Redis()` of `ioredis`); install `rate-limit-redis` afterwards.",
      valid: [
        {
          note: "A Redis store shared by every instance.",
          code: `import { rateLimit } from "express-rate-limit";\nimport { RedisStore } from "rate-limit-redis";\nimport { createClient } from "redis";\n\nconst redisClient = createClient({ url: process.env.REDIS_URL });\n\nexport const limiter = rateLimit({\n  windowMs: 60_000,\n  limit: 100,\n  store: new RedisStore({ sendCommand: (...args: string[]) => redisClient.sendCommand(args) }),\n});`,
        },
        {
          note: "rate-limiter-flexible backed by Redis, with an in-memory insurance limiter for Redis outages.",
          code: `import Redis from "ioredis";\nimport { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";\n\nconst redis = new Redis(process.env.REDIS_URL);\n\nexport const loginLimiter = new RateLimiterRedis({\n  storeClient: redis,\n  points: 5,\n  duration: 60,\n  insuranceLimiter: new RateLimiterMemory({ points: 5, duration: 60 }),\n});`,
        },
        {
          note: "A Map used as a cache, not as a request counter.",
          code: `const userCache = new Map<string, User>();\n\nexport async function getUser(id: string) {\n  if (!userCache.has(id)) userCache.set(id, await db.user.findUnique({ where: { id } }));\n  return userCache.get(id);\n}`,
        },
      ],
      invalid: [
        {
          note: "express-rate-limit with its default MemoryStore.",
          code: `import express from "express";\nimport rateLimit from "express-rate-limit";\n\nconst app = express();\napp.use("/api", rateLimit({ windowMs: 15 * 60 * 1000, max: 100 }));`,
        },
        {
          note: "rate-limiter-flexible's memory limiter guarding a login route.",
          code: `import { RateLimiterMemory } from "rate-limiter-flexible";\n\nconst loginLimiter = new RateLimiterMemory({ points: 5, duration: 60 });\n\napp.post("/login", async (req, res, next) => {\n  try {\n    await loginLimiter.consume(req.ip);\n  } catch {\n    return res.status(429).send("Too many attempts");\n  }\n  next();\n});`,
        },
        {
          note: "A hand-written per-IP counter in a module-level Map.",
          code: `const requestCounts = new Map<string, number>();\n\nexport function throttle(req: Request, res: Response, next: NextFunction) {\n  const count = (requestCounts.get(req.ip) ?? 0) + 1;\n  requestCounts.set(req.ip, count);\n  if (count > 100) return res.status(429).end();\n  next();\n}`,
        },
      ],
    },
  },
  create(context) {
    const names = collectNames(context);
    const containers: ModuleContainer[] = [];
    const uses: ContainerUse[] = [];
    // The only names whose uses matter: module-level Maps/objects named like counters (usually none).
    const counterNames = moduleContainerNames(context.sourceFile, isCounterContainer);
    const memoryLimiters: ts.NewExpression[] = [];
    const insuranceNames = new Set<string>();
    const typeScript = isTypeScriptFile(context.file);

    const report = (node: ts.Node, what: string, advice: string, fix?: Fix) =>
      context.report({ node, messageId: "inMemory", data: { what, advice }, fixes: fix ? [fix] : [] });

    /** `store: new RedisStore({ sendCommand })` for rate-limit-redis, when a usable client is visible. */
    const redisStoreProperty = (client: RedisClient): { text: string; importEdit?: TextEdit } | undefined => {
      if (client.library === "unknown") return undefined;
      const esmTypeScript = typeScript && !context.isCommonJs;
      let replyType: string | undefined;
      const extraNamed: string[] = [];
      if (client.library === "ioredis" && esmTypeScript) {
        for (const binding of importsOf(context, "rate-limit-redis")) replyType ??= binding.named.get("RedisReply");
        if (!replyType) {
          if (nameIsUsed(context.text, "RedisReply")) return undefined;
          replyType = "RedisReply";
          extraNamed.push("type RedisReply");
        }
      }
      // The session rule's fix may add connect-redis's `RedisStore` to the same file: never collide.
      const sessionsHere = /express-session|connect-redis|@fastify\/session/.test(context.text);
      const store = importedName(context, "rate-limit-redis", "RedisStore", { acceptDefault: true, alias: "RateLimitRedisStore", forceAlias: sessionsHere, extraNamed });
      if (!store) return undefined;
      const send =
        client.library === "redis"
          ? typeScript
            ? `(...args: string[]) => ${client.name}.sendCommand(args)`
            : `(...args) => ${client.name}.sendCommand(args)`
          : typeScript
            ? `(command: string, ...args: string[]) => ${client.name}.call(command, ...args)${replyType ? ` as Promise<${replyType}>` : ""}`
            : `(command, ...args) => ${client.name}.call(command, ...args)`;
      return { text: `new ${store.local}({ sendCommand: ${send} })`, importEdit: store.edit };
    };

    const checkExpressLimiter = (node: ts.CallExpression | ts.NewExpression, module: string) => {
      context.signal(RATE_LIMITER, node, module);
      const options = readOptions(node, node.arguments?.[0]);
      if (!options) return;
      const store = options.object && getPropertyValue(options.object, "store");
      if (store && !isMemoryStore(node, store)) {
        context.signal(SHARED_STORE, node, `${module}: ${storeName(node, store)}`);
        return;
      }
      if (!store && options.object && hasSpread(options.object)) return;
      const explicit = store !== undefined && !(ts.isIdentifier(unwrap(store)) && (unwrap(store) as ts.Identifier).text === "undefined");
      const what = explicit ? `\`${module}\` with an explicit MemoryStore` : `\`${module}\` without a \`store\``;
      const client = visibleRedisClient(context, node);
      let fix: Fix | undefined;
      const property = client && redisStoreProperty(client);
      if (client && property) {
        const edits: TextEdit[] = [];
        if (store) edits.push(replaceNode(unwrap(store), context.sourceFile, property.text));
        else if (options.object && options.inline) edits.push(...addPropertyEdits(context.text, context.sourceFile, options.object, [`store: ${property.text}`]));
        else {
          const edit = addOptionsArgumentEdit(node, [`store: ${property.text}`]);
          if (edit) edits.push(edit);
        }
        if (edits.length > 0) {
          if (property.importEdit) edits.push(property.importEdit);
          fix = { title: `Keep the counters in Redis (rate-limit-redis with \`${client.name}\`)`, edits, preferred: true };
        }
      }
      report(
        node,
        what,
        fix
          ? `Use a Redis store (rate-limit-redis) with the \`${client!.name}\` client.`
          : "Configure a shared store: `store: new RedisStore({ sendCommand })` from rate-limit-redis (or a Memcached/database store).",
        fix,
      );
    };

    const checkFastify = (node: ts.CallExpression) => {
      context.signal(RATE_LIMITER, node, "@fastify/rate-limit");
      const argument = node.arguments[1];
      const options = readOptions(node, argument);
      if (!options) return;
      if (options.object) {
        const shared = getPropertyValue(options.object, "redis") ?? getPropertyValue(options.object, "store");
        if (shared) {
          context.signal(SHARED_STORE, node, `@fastify/rate-limit: ${getProperty(options.object, "redis") ? "redis" : "store"}`);
          return;
        }
        if (hasSpread(options.object)) return;
      }
      const client = visibleRedisClient(context, node);
      let fix: Fix | undefined;
      // @fastify/rate-limit's `redis` option takes an ioredis client.
      if (client?.library === "ioredis") {
        const property = `redis: ${client.name}`;
        const edits: TextEdit[] = [];
        if (options.object && options.inline) edits.push(...addPropertyEdits(context.text, context.sourceFile, options.object, [property]));
        else if (!argument) edits.push({ start: node.arguments[0].end, end: node.arguments[0].end, newText: `, { ${property} }` });
        if (edits.length > 0) fix = { title: `Keep the counters in Redis (\`${client.name}\`)`, edits, preferred: true };
      }
      report(
        node,
        "`@fastify/rate-limit` without `redis` or `store`",
        fix ? `Pass the \`${client!.name}\` ioredis client as \`redis\`.` : "Pass an ioredis client as `redis` (or a custom shared `store`).",
        fix,
      );
    };

    const checkKoa = (node: ts.CallExpression) => {
      context.signal(RATE_LIMITER, node, "koa-ratelimit");
      const options = readOptions(node, node.arguments[0]);
      if (!options?.object) return;
      const driver = getPropertyValue(options.object, "driver");
      const driverName = driver ? staticString(driver) : "redis";
      if (driverName === undefined) return;
      if (driverName !== "memory") {
        context.signal(SHARED_STORE, node, `koa-ratelimit: ${driverName}`);
        return;
      }
      report(node, '`koa-ratelimit` with `driver: "memory"`', 'Use `driver: "redis"` with an ioredis client as `db`.');
    };

    const checkThrottler = (node: ts.CallExpression, method: string) => {
      context.signal(RATE_LIMITER, node, "@nestjs/throttler");
      const argument = node.arguments[0];
      if (method === "forRootAsync") {
        if (!argument) return;
        const storage = findDescendant(argument, (n) => ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n) ? propertyNameText(n.name) === "storage" : false);
        if (storage) {
          context.signal(SHARED_STORE, node, "@nestjs/throttler: storage");
          return;
        }
        const options = readOptions(node, argument);
        const factory = options?.object && getPropertyValue(options.object, "useFactory");
        if (!factory) return;
        const fn = unwrap(factory);
        if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return;
        let returned: ts.Expression | undefined;
        if (ts.isBlock(fn.body)) {
          const statements = fn.body.statements.filter(ts.isReturnStatement);
          if (statements.length !== 1 || !statements[0].expression) return;
          returned = unwrap(statements[0].expression);
        } else returned = unwrap(fn.body);
        if (!ts.isArrayLiteralExpression(returned) && !(ts.isObjectLiteralExpression(returned) && !hasSpread(returned))) return;
      } else if (argument) {
        const value = resolveFrom(node, argument);
        if (ts.isObjectLiteralExpression(value)) {
          if (getPropertyValue(value, "storage")) {
            context.signal(SHARED_STORE, node, "@nestjs/throttler: storage");
            return;
          }
          if (hasSpread(value)) return;
        } else if (!ts.isArrayLiteralExpression(value)) return;
      }
      report(node, `\`ThrottlerModule.${method}\` without \`storage\``, "Add `storage: new ThrottlerStorageRedisService(redis)` (@nest-lab/throttler-storage-redis).");
    };

    const flexibleFix = (node: ts.NewExpression): Fix | undefined => {
      const client = visibleRedisClient(context, node);
      if (!client || client.library === "unknown") return undefined;
      const argument = node.arguments?.[0];
      const object = argument && unwrap(argument);
      if (argument && (!object || !ts.isObjectLiteralExpression(object) || hasSpread(object))) return undefined;
      if (object && ts.isObjectLiteralExpression(object) && getProperty(object, "storeClient")) return undefined;
      const added = client.library === "redis" ? [`storeClient: ${client.name}`, "useRedisPackage: true"] : [`storeClient: ${client.name}`];
      const edits: TextEdit[] = [];
      const callee = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(callee)) edits.push(replaceNode(callee.name, context.sourceFile, "RateLimiterRedis"));
      else if (ts.isIdentifier(callee)) {
        let local: string | undefined;
        for (const binding of importsOf(context, "rate-limiter-flexible")) local ??= binding.named.get("RateLimiterRedis");
        if (!local) {
          if (nameIsUsed(context.text, "RateLimiterRedis")) return undefined;
          local = "RateLimiterRedis";
          // The only other mention is the import: rename it rather than leave an unused import.
          const mentions = context.text.match(new RegExp(`(?<![\\w$])${callee.text}(?![\\w$])`, "g"))?.length ?? 0;
          const binding = importsOf(context, "rate-limiter-flexible").find((b) => b.named.get("RateLimiterMemory") === callee.text);
          const element = binding && callee.text === "RateLimiterMemory" && mentions === 2
            ? findDescendant(binding.node, (n) => (ts.isImportSpecifier(n) || ts.isBindingElement(n)) && !n.propertyName && ts.isIdentifier(n.name) && n.name.text === "RateLimiterMemory")
            : undefined;
          if (element && (ts.isImportSpecifier(element) || ts.isBindingElement(element))) edits.push(replaceNode(element.name, context.sourceFile, local));
          else {
            const edit = addImportEdit(context, { module: "rate-limiter-flexible", named: ["RateLimiterRedis"] });
            if (edit) edits.push(edit);
          }
        }
        edits.push(replaceNode(callee, context.sourceFile, local));
      } else return undefined;
      if (object && ts.isObjectLiteralExpression(object)) edits.push(...addPropertyEdits(context.text, context.sourceFile, object, added));
      else {
        const edit = addOptionsArgumentEdit(node, added);
        if (!edit) return undefined;
        edits.push(edit);
      }
      return { title: `Use RateLimiterRedis with \`${client.name}\``, edits, preferred: true };
    };

    return {
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        const use = containerUseOf(node, counterNames);
        if (use) uses.push(use);
        // The limiter calls below are rejected on the callee's kind and name, before unwrapping.
        const direct = node.expression;
        if (direct.kind === Kind.PropertyAccessExpression ? !LIMITER_METHODS.has((direct as ts.PropertyAccessExpression).name.text) : direct.kind === Kind.Identifier && !names.expressCallables.has((direct as ts.Identifier).text) && !names.koa.has((direct as ts.Identifier).text)) return;
        const module = expressLimiterModule(names, node);
        if (module) return checkExpressLimiter(node, module);
        const callee = unwrap(node.expression);
        if (ts.isPropertyAccessExpression(callee)) {
          if (callee.name.text === "register" && node.arguments[0] && isFastifyRateLimitPlugin(names, node.arguments[0])) return checkFastify(node);
          if ((callee.name.text === "forRoot" || callee.name.text === "forRootAsync") && ts.isIdentifier(callee.expression) && names.throttlerModule.has(callee.expression.text)) {
            return checkThrottler(node, callee.name.text);
          }
        } else if (ts.isIdentifier(callee) && names.koa.has(callee.text)) return checkKoa(node);
      },
      [ts.SyntaxKind.NewExpression](node: ts.NewExpression) {
        const module = expressLimiterModule(names, node);
        if (module) return checkExpressLimiter(node, module);
        const callee = unwrap(node.expression);
        if (ts.isIdentifier(callee) && names.upstash.has(callee.text)) {
          context.signal(RATE_LIMITER, node, "@upstash/ratelimit");
          context.signal(SHARED_STORE, node, "@upstash/ratelimit: redis");
          return;
        }
        const limiterClass = flexibleClass(names, node);
        if (!limiterClass || (!SHARED_LIMITERS.test(limiterClass) && !LOCAL_LIMITERS.test(limiterClass))) return;
        context.signal(RATE_LIMITER, node, `rate-limiter-flexible: ${limiterClass}`);
        if (SHARED_LIMITERS.test(limiterClass)) context.signal(SHARED_STORE, node, `rate-limiter-flexible: ${limiterClass}`);
        else if (limiterClass === "RateLimiterMemory") memoryLimiters.push(node);
      },
      [ts.SyntaxKind.PropertyAssignment](node: ts.PropertyAssignment) {
        if (propertyNameText(node.name) !== "insuranceLimiter") return;
        const value = unwrap(node.initializer);
        if (ts.isIdentifier(value)) insuranceNames.add(value.text);
      },
      [ts.SyntaxKind.ShorthandPropertyAssignment](node: ts.ShorthandPropertyAssignment) {
        if (node.name.text === "insuranceLimiter") insuranceNames.add(node.name.text);
      },
      [ts.SyntaxKind.VariableDeclaration](node: ts.VariableDeclaration) {
        if (!ts.isIdentifier(node.name) || !counterNames.has(node.name.text)) return;
        const container = moduleLevelContainer(node);
        if (container && isCounterContainer(container.kind, container.words)) containers.push(container);
      },
      [ts.SyntaxKind.ElementAccessExpression](node: ts.ElementAccessExpression) {
        const use = containerUseOf(node, counterNames);
        if (use) uses.push(use);
      },
      onEnd() {
        for (const node of memoryLimiters) {
          // The fallback of a Redis limiter (`insuranceLimiter: new RateLimiterMemory(...)`) only answers while Redis is down.
          const parent = node.parent;
          if (parent && ts.isPropertyAssignment(parent) && propertyNameText(parent.name) === "insuranceLimiter") continue;
          if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && insuranceNames.has(parent.name.text)) continue;
          const fix = flexibleFix(node);
          const client = fix ? visibleRedisClient(context, node) : undefined;
          report(
            node,
            "`RateLimiterMemory`",
            client ? `Use \`RateLimiterRedis\` with the \`${client.name}\` client.` : "Use `RateLimiterRedis` (or another shared store) with `storeClient: <redis client>`.",
            fix,
          );
        }
        if (containers.length === 0 || looksLikeClientCode(context)) return;
        for (const container of containers) {
          const own = uses.filter((use) => use.name === container.name && use.inFunction);
          if (!own.some((use) => use.key !== undefined && isClientKey(use.key))) continue;
          const reads = own.some((use) => use.access === "read" || isCompoundUse(use));
          const writes = own.some((use) => use.access === "write" && (container.kind === "Map" ? ts.isCallExpression(use.node) : ts.isElementAccessExpression(use.node)));
          if (!reads || !writes) continue;
          const counts = own.some((use) => {
            const fn = enclosingFunction(use.node);
            return fn !== undefined && (isCounting(use.node) || findDescendant(fn, isCounting) !== undefined);
          });
          if (!counts) continue;
          context.signal(RATE_LIMITER, container.declaration, `module-level ${container.kind}: ${container.name}`);
          report(
            container.declaration,
            `\`${container.name}\` (a module-level ${container.kind === "Map" ? "Map" : "object"} of per-client counters)`,
            "Count in Redis (`INCR` + `EXPIRE`) or use a rate limiter with a shared store.",
          );
        }
      },
    };
  },
};
