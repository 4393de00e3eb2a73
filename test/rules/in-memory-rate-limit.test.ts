import { inMemoryRateLimit } from "../../rules/catalogue/in-memory-rate-limit";
import { testRule } from "../rule-tester";

testRule(inMemoryRateLimit, {
  valid: [
    {
      name: "express-rate-limit with a rate-limit-redis store",
      code: `import express from "express";
import { rateLimit } from "express-rate-limit";
import { RedisStore } from "rate-limit-redis";
import { createClient } from "redis";

const app = express();
const redisClient = createClient({ url: process.env.REDIS_URL });
await redisClient.connect();

app.use(
  rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 100,
    standardHeaders: "draft-7",
    store: new RedisStore({ sendCommand: (...args: string[]) => redisClient.sendCommand(args) }),
  }),
);`,
    },
    {
      name: "express-slow-down with a Memcached store (CommonJS)",
      file: "src/middleware/slow.js",
      code: `const slowDown = require("express-slow-down");
const MemcachedStore = require("rate-limit-memcached");

module.exports = slowDown({
  windowMs: 60 * 1000,
  delayAfter: 5,
  delayMs: (hits) => hits * 100,
  store: new MemcachedStore({ locations: [process.env.MEMCACHED_URL] }),
});`,
    },
    {
      name: "rate-limiter-flexible backed by Redis with an in-memory insurance limiter",
      code: `import Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";

const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
const memoryFallback = new RateLimiterMemory({ points: 5, duration: 60 });

export const loginLimiter = new RateLimiterRedis({
  storeClient: redis,
  keyPrefix: "login",
  points: 5,
  duration: 60,
  insuranceLimiter: memoryFallback,
});

export const apiLimiter = new RateLimiterRedis({
  storeClient: redis,
  points: 100,
  duration: 1,
  insuranceLimiter: new RateLimiterMemory({ points: 100, duration: 1 }),
});`,
    },
    {
      name: "@fastify/rate-limit with an ioredis client",
      code: `import Fastify from "fastify";
import rateLimit from "@fastify/rate-limit";
import Redis from "ioredis";

const fastify = Fastify({ logger: true });
await fastify.register(rateLimit, {
  max: 100,
  timeWindow: "1 minute",
  redis: new Redis({ host: "127.0.0.1" }),
});`,
    },
    {
      name: "koa-ratelimit with the redis driver",
      code: `import Koa from "koa";
import ratelimit from "koa-ratelimit";
import Redis from "ioredis";

const app = new Koa();
app.use(ratelimit({
  driver: "redis",
  db: new Redis(),
  duration: 60000,
  id: (ctx) => ctx.ip,
  max: 100,
}));`,
    },
    {
      name: "NestJS ThrottlerModule with Redis storage",
      code: `import { Module } from "@nestjs/common";
import { ThrottlerModule } from "@nestjs/throttler";
import { ThrottlerStorageRedisService } from "@nest-lab/throttler-storage-redis";
import Redis from "ioredis";

@Module({
  imports: [
    ThrottlerModule.forRoot({
      throttlers: [{ ttl: 60_000, limit: 10 }],
      storage: new ThrottlerStorageRedisService(new Redis(process.env.REDIS_URL)),
    }),
  ],
})
export class AppModule {}`,
    },
    {
      name: "Upstash ratelimit is Redis-backed",
      code: `import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";

export const ratelimit = new Ratelimit({
  redis: Redis.fromEnv(),
  limiter: Ratelimit.slidingWindow(10, "10 s"),
});`,
    },
    {
      name: "a module-level Map used as a cache",
      code: `const userCache = new Map<string, User>();

export async function getUser(req: Request, res: Response) {
  const id = req.params.id;
  if (!userCache.has(id)) userCache.set(id, await db.user.findUnique({ where: { id } }));
  res.json(userCache.get(id));
}`,
    },
    {
      name: "a limits table keyed by route, not by client",
      code: `const routeLimits = new Map<string, number>([["/login", 5], ["/signup", 3]]);

export function limitFor(req: Request) {
  routeLimits.set(req.path, routeLimits.get(req.path) ?? 100);
  return routeLimits.get(req.path);
}`,
    },
    {
      name: "a per-user Map that does not count (pricing rates)",
      code: `const userRates = new Map<string, number>();

export function priceFor(req: Request) {
  if (!userRates.has(req.user.id)) userRates.set(req.user.id, basePrice * discountFor(req.user));
  return userRates.get(req.user.id);
}`,
    },
    {
      name: "a per-IP Map local to one function",
      code: `export function summarize(logs: LogLine[]) {
  const hits = new Map<string, number>();
  for (const line of logs) hits.set(line.ip, (hits.get(line.ip) ?? 0) + 1);
  return hits;
}`,
    },
    {
      name: "a local function that happens to be called rateLimit",
      code: `function rateLimit(options: { max: number }) {
  return (req: Request, res: Response, next: NextFunction) => next();
}

app.use(rateLimit({ max: 5 }));`,
    },
    {
      name: "options spread from a shared config may carry the store",
      code: `import rateLimit from "express-rate-limit";
import { limiterDefaults } from "./config";

export const authLimiter = rateLimit({ ...limiterDefaults, limit: 5 });`,
    },
    {
      name: "tests may use the memory store",
      file: "test/app.test.ts",
      code: `import rateLimit from "express-rate-limit";
app.use(rateLimit({ windowMs: 1000, max: 2 }));`,
    },
  ],
  invalid: [
    {
      name: "express-rate-limit without a store and no Redis client: no fix",
      code: `import express from "express";
import rateLimit from "express-rate-limit";

const app = express();
const limiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  max: 100,
});
app.use("/api/", limiter);`,
      errors: [{ line: 5, column: 17, endLine: 8, endColumn: 3, message: /`express-rate-limit` without a `store` counts requests in process memory.*rate-limit-redis/ }],
      output: null,
    },
    {
      name: "node-redis client in the file: adds a rate-limit-redis store",
      code: `import express from "express";
import { rateLimit } from "express-rate-limit";
import { createClient } from "redis";

const app = express();
const redisClient = createClient({ url: process.env.REDIS_URL });

app.use(
  rateLimit({
    windowMs: 60_000,
    limit: 100, // per IP
  }),
);`,
      errors: [{ line: 9, column: 3, message: /with the `redisClient` client/ }],
      output: `import express from "express";
import { rateLimit } from "express-rate-limit";
import { createClient } from "redis";
import { RedisStore } from "rate-limit-redis";

const app = express();
const redisClient = createClient({ url: process.env.REDIS_URL });

app.use(
  rateLimit({
    windowMs: 60_000,
    limit: 100, // per IP
    store: new RedisStore({ sendCommand: (...args: string[]) => redisClient.sendCommand(args) }),
  }),
);`,
    },
    {
      name: "ioredis client in a TypeScript module: call() with the RedisReply type",
      code: `import rateLimit from "express-rate-limit";
import Redis from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);

export const loginLimiter = rateLimit({ windowMs: 60_000, limit: 5 });`,
      errors: [{ line: 6, column: 29 }],
      output: `import rateLimit from "express-rate-limit";
import Redis from "ioredis";
import { RedisStore, type RedisReply } from "rate-limit-redis";

const redis = new Redis(process.env.REDIS_URL!);

export const loginLimiter = rateLimit({ windowMs: 60_000, limit: 5, store: new RedisStore({ sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> }) });`,
    },
    {
      name: "CommonJS JavaScript with ioredis, rateLimit() without options",
      file: "src/app.js",
      code: `const express = require('express');
const rateLimit = require('express-rate-limit');
const Redis = require('ioredis');

const redis = new Redis();
const app = express();
app.use(rateLimit());`,
      errors: [{ line: 7, column: 9 }],
      output: `const express = require('express');
const rateLimit = require('express-rate-limit');
const Redis = require('ioredis');
const { RedisStore } = require('rate-limit-redis');

const redis = new Redis();
const app = express();
app.use(rateLimit({ store: new RedisStore({ sendCommand: (command, ...args) => redis.call(command, ...args) }) }));`,
    },
    {
      name: "express-session in the same file: the store is imported under another name",
      code: `import session from "express-session";
import { rateLimit } from "express-rate-limit";
import { createClient } from "redis";

const redisClient = createClient();

app.use(session({ secret: "x", resave: false, saveUninitialized: false }));
app.use(rateLimit({ limit: 10 }));`,
      errors: [{ line: 8, column: 9 }],
      output: `import session from "express-session";
import { rateLimit } from "express-rate-limit";
import { createClient } from "redis";
import { RedisStore as RateLimitRedisStore } from "rate-limit-redis";

const redisClient = createClient();

app.use(session({ secret: "x", resave: false, saveUninitialized: false }));
app.use(rateLimit({ limit: 10, store: new RateLimitRedisStore({ sendCommand: (...args: string[]) => redisClient.sendCommand(args) }) }));`,
    },
    {
      name: "express-slow-down and an explicit MemoryStore",
      code: `import { slowDown } from "express-slow-down";
import { rateLimit, MemoryStore } from "express-rate-limit";

export const speedLimiter = slowDown({ windowMs: 15 * 60 * 1000, delayAfter: 50, delayMs: () => 500 });
export const hardLimiter = rateLimit({ windowMs: 60_000, limit: 20, store: new MemoryStore() });`,
      errors: [
        { line: 4, column: 29, message: /`express-slow-down` without a `store`/ },
        { line: 5, column: 28, message: /`express-rate-limit` with an explicit MemoryStore/ },
      ],
      output: null,
    },
    {
      name: "@fastify/rate-limit without redis; an ioredis client is available",
      code: `import Fastify from "fastify";
import fastifyRateLimit from "@fastify/rate-limit";
import { Redis } from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);
const app = Fastify();
await app.register(fastifyRateLimit, {
  max: 100,
  timeWindow: "1 minute",
});`,
      errors: [{ line: 7, column: 7, message: /`@fastify\/rate-limit` without `redis` or `store`/ }],
      output: `import Fastify from "fastify";
import fastifyRateLimit from "@fastify/rate-limit";
import { Redis } from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);
const app = Fastify();
await app.register(fastifyRateLimit, {
  max: 100,
  timeWindow: "1 minute",
  redis: redis,
});`,
    },
    {
      name: "@fastify/rate-limit loaded inline, no client",
      code: `export default async function (fastify: FastifyInstance) {
  await fastify.register(import("@fastify/rate-limit"), { max: 10, timeWindow: 1000 });
}`,
      errors: [{ line: 2, column: 9 }],
      output: null,
    },
    {
      name: "koa-ratelimit with the memory driver",
      code: `const Koa = require("koa");
const ratelimit = require("koa-ratelimit");

const app = new Koa();
const db = new Map();
app.use(ratelimit({
  driver: "memory",
  db: db,
  duration: 60000,
  id: (ctx) => ctx.ip,
  max: 100,
}));`,
      errors: [{ line: 6, column: 9, message: /`koa-ratelimit` with `driver: "memory"`/ }],
    },
    {
      name: "RateLimiterMemory with a node-redis client: becomes RateLimiterRedis",
      code: `import { createClient } from "redis";
import { RateLimiterMemory } from "rate-limiter-flexible";

const redisClient = createClient({ url: process.env.REDIS_URL });

const otpLimiter = new RateLimiterMemory({
  keyPrefix: "otp",
  points: 3,
  duration: 300,
});

export async function verifyOtp(req: Request, res: Response) {
  await otpLimiter.consume(req.body.phone);
}`,
      errors: [{ line: 6, column: 20, message: /`RateLimiterMemory` counts requests in process memory/ }],
      output: `import { createClient } from "redis";
import { RateLimiterRedis } from "rate-limiter-flexible";

const redisClient = createClient({ url: process.env.REDIS_URL });

const otpLimiter = new RateLimiterRedis({
  keyPrefix: "otp",
  points: 3,
  duration: 300,
  storeClient: redisClient,
  useRedisPackage: true,
});

export async function verifyOtp(req: Request, res: Response) {
  await otpLimiter.consume(req.body.phone);
}`,
    },
    {
      name: "RateLimiterMemory through a namespace, no client",
      code: `const { RateLimiterMemory } = require("rate-limiter-flexible");

const limiter = new RateLimiterMemory({ points: 10, duration: 1 });

module.exports = (req, res, next) =>
  limiter.consume(req.ip).then(() => next()).catch(() => res.status(429).send("Too Many Requests"));`,
      file: "src/middleware/rate-limit.js",
      errors: [{ line: 3, column: 17 }],
      output: null,
    },
    {
      name: "NestJS ThrottlerModule.forRoot without storage",
      code: `import { Module } from "@nestjs/common";
import { APP_GUARD } from "@nestjs/core";
import { ThrottlerGuard, ThrottlerModule } from "@nestjs/throttler";

@Module({
  imports: [ThrottlerModule.forRoot([{ ttl: 60000, limit: 10 }])],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}`,
      errors: [{ line: 6, column: 13, message: /`ThrottlerModule.forRoot` without `storage`/ }],
    },
    {
      name: "NestJS ThrottlerModule.forRootAsync whose factory has no storage",
      code: `import { ThrottlerModule } from "@nestjs/throttler";

export const throttler = ThrottlerModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService) => ({
    throttlers: [{ ttl: config.get("THROTTLE_TTL"), limit: config.get("THROTTLE_LIMIT") }],
  }),
});`,
      errors: [{ line: 3, column: 26 }],
    },
    {
      name: "a hand-written per-IP counter Map",
      code: `import type { NextFunction, Request, Response } from "express";

const requestCounts = new Map<string, { count: number; resetAt: number }>();

export function rateLimiter(req: Request, res: Response, next: NextFunction) {
  const key = req.ip ?? "unknown";
  const now = Date.now();
  const entry = requestCounts.get(key);
  if (!entry || entry.resetAt < now) {
    requestCounts.set(key, { count: 1, resetAt: now + 60_000 });
    return next();
  }
  if (++entry.count > 100) return res.status(429).json({ error: "Too many requests" });
  next();
}`,
      errors: [{ line: 3, column: 7, message: /`requestCounts` \(a module-level Map of per-client counters\)/ }],
      output: null,
    },
    {
      name: "OTP attempts per phone number, with \`store: undefined\` elsewhere",
      code: `import rateLimit from "express-rate-limit";

const otpAttempts = new Map<string, number>();
export const limiter = rateLimit({ limit: 3, store: undefined });

export async function verifyOtp(req: Request, res: Response) {
  const phone = req.body.phone;
  otpAttempts.set(phone, (otpAttempts.get(phone) ?? 0) + 1);
  if (otpAttempts.get(phone)! > 3) return res.status(429).end();
}`,
      errors: [{ line: 3, column: 7, message: /`otpAttempts`/ }, { line: 4, column: 24, message: /`express-rate-limit` without a `store`/ }],
    },
    {
      name: "a hand-written login-attempt counter object keyed by IP",
      code: `const loginAttempts: Record<string, number> = {};

router.post("/login", async (req, res) => {
  const ip = req.headers["x-forwarded-for"] as string;
  loginAttempts[ip] = (loginAttempts[ip] || 0) + 1;
  if (loginAttempts[ip] > 5) return res.status(429).send("Try again later");
  res.json(await auth.login(req.body));
});`,
      errors: [{ line: 1, column: 7, message: /`loginAttempts` \(a module-level object of per-client counters\)/ }],
    },
  ],
});
