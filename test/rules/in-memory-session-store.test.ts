import { inMemorySessionStore } from "../../rules/catalogue/in-memory-session-store";
import { testRule } from "../rule-tester";

testRule(inMemorySessionStore, {
  valid: [
    {
      name: "express-session with connect-redis v8",
      code: `import express from "express";
import session from "express-session";
import { RedisStore } from "connect-redis";
import { createClient } from "redis";

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);

const app = express();
app.use(
  session({
    store: new RedisStore({ client: redisClient, prefix: "myapp:" }),
    secret: process.env.SESSION_SECRET!,
    resave: false,
    saveUninitialized: false,
  }),
);`,
    },
    {
      name: "connect-redis v6 factory (CommonJS)",
      file: "src/app.js",
      code: `const session = require("express-session");
const RedisStore = require("connect-redis")(session);
const redisClient = require("./redis");

app.use(session({
  store: new RedisStore({ client: redisClient }),
  secret: process.env.SESSION_SECRET,
  resave: false,
  saveUninitialized: false,
}));`,
    },
    {
      name: "connect-pg-simple and connect-mongo stores",
      code: `import session from "express-session";
import connectPgSimple from "connect-pg-simple";
import MongoStore from "connect-mongo";

const PgSession = connectPgSimple(session);

export const pgSessions = session({ store: new PgSession({ pool, tableName: "user_sessions" }), secret: SECRET, resave: false, saveUninitialized: false });
export const mongoSessions = session({ store: MongoStore.create({ mongoUrl: process.env.MONGO_URL }), secret: SECRET, resave: false, saveUninitialized: false });`,
    },
    {
      name: "NestJS with the Prisma session store",
      file: "src/main.ts",
      code: `import { NestFactory } from "@nestjs/core";
import * as session from "express-session";
import { PrismaSessionStore } from "@quixo3/prisma-session-store";
import { PrismaClient } from "@prisma/client";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(
    session({
      secret: process.env.SESSION_SECRET!,
      resave: false,
      saveUninitialized: false,
      store: new PrismaSessionStore(new PrismaClient(), { checkPeriod: 2 * 60 * 1000 }),
    }),
  );
  await app.listen(3000);
}
bootstrap();`,
    },
    {
      name: "the store is assigned after the options object (express-session README shape)",
      code: `import session from "express-session";
import { RedisStore } from "connect-redis";

const sess: session.SessionOptions = { secret: "keyboard cat", cookie: {} };
if (process.env.NODE_ENV === "production") {
  sess.store = new RedisStore({ client: redisClient });
}
app.use(session(sess));`,
    },
    {
      name: "cookie-backed sessions: cookie-session, @fastify/secure-session, koa-session",
      code: `import cookieSession from "cookie-session";
import fastifySecureSession from "@fastify/secure-session";
import koaSession from "koa-session";

expressApp.use(cookieSession({ name: "session", keys: [process.env.KEY_1!, process.env.KEY_2!] }));
fastify.register(fastifySecureSession, { key: Buffer.from(process.env.SESSION_KEY!, "hex"), cookie: { path: "/" } });
koaApp.use(koaSession({ key: "koa.sess", maxAge: 86_400_000 }, koaApp));`,
    },
    {
      name: "options imported from another module cannot be judged",
      code: `import session from "express-session";
import { sessionConfig } from "./config/session";

app.use(session(sessionConfig));`,
    },
    {
      name: "a Map local to a function",
      code: `export function activeByUser(rows: SessionRow[]) {
  const sessions = new Map<string, SessionRow[]>();
  for (const row of rows) sessions.set(row.userId, [...(sessions.get(row.userId) ?? []), row]);
  return sessions;
}`,
    },
    {
      name: "a session options object written with fixed keys, a cache and a never-mutated table",
      code: `const sessionOptions: Record<string, unknown> = {};
const sessionCache = new Map<string, Session>();
const sessionTimeoutsByPlan = new Map([["free", 3600], ["pro", 86400]]);

export function configure(secret: string) {
  sessionOptions["secret"] = secret;
  sessionOptions.resave = false;
  sessionCache.set("warm", defaultSession);
  return sessionTimeoutsByPlan.get("free");
}`,
    },
    {
      name: "connection bookkeeping keyed by session id (MCP transports, WebSockets) and attempt counters",
      code: `const transports: Record<string, StreamableHTTPServerTransport> = {};
const sessions = new Map<string, WebSocket>();
const otpAttempts = new Map<string, number>();

app.post("/mcp", async (req, res) => {
  const sessionId = req.headers["mcp-session-id"] as string;
  transports[sessionId] = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  sessions.set(sessionId, req.socket as unknown as WebSocket);
  otpAttempts.set(req.body.phone, (otpAttempts.get(req.body.phone) ?? 0) + 1);
});`,
    },
    {
      name: "React component state is not server state",
      file: "src/components/SessionList.tsx",
      code: `const sessions = new Map<string, SessionView>();

export function SessionList({ items }: Props) {
  for (const item of items) sessions.set(item.id, item);
  return <ul>{[...sessions.values()].map((s) => <li key={s.id}>{s.device}</li>)}</ul>;
}`,
    },
    {
      name: "tests may keep sessions in memory",
      file: "test/auth.spec.ts",
      code: `import session from "express-session";
const refreshTokens: string[] = [];
app.use(session({ secret: "test", resave: false, saveUninitialized: false }));
export function remember(token: string) { refreshTokens.push(token); }`,
    },
  ],
  invalid: [
    {
      name: "express-session without a store, no Redis client in the file",
      code: `import express from "express";
import session from "express-session";

const app = express();
app.use(session({
  secret: process.env.SESSION_SECRET!,
  resave: false,
  saveUninitialized: false,
}));`,
      errors: [{ line: 5, column: 9, endLine: 9, endColumn: 3, message: /^`express-session` without a `store` keeps sessions in process memory.*connect-redis/ }],
      output: null,
    },
    {
      name: "node-redis client in the file: adds a connect-redis store",
      code: `import express from "express";
import session from "express-session";
import { createClient } from "redis";

const redisClient = createClient({ url: process.env.REDIS_URL });
await redisClient.connect();

const app = express();
app.use(
  session({
    secret: process.env.SESSION_SECRET!,
    resave: false,
    saveUninitialized: false,
    cookie: { secure: true, maxAge: 86_400_000 },
  }),
);`,
      errors: [{ line: 10, column: 3, message: /Use a Redis store \(connect-redis\)/ }],
      output: `import express from "express";
import session from "express-session";
import { createClient } from "redis";
import { RedisStore } from "connect-redis";

const redisClient = createClient({ url: process.env.REDIS_URL });
await redisClient.connect();

const app = express();
app.use(
  session({
    secret: process.env.SESSION_SECRET!,
    resave: false,
    saveUninitialized: false,
    cookie: { secure: true, maxAge: 86_400_000 },
    store: new RedisStore({ client: redisClient }),
  }),
);`,
    },
    {
      name: "CommonJS with a Redis client imported from the project",
      file: "src/app.js",
      code: `const session = require('express-session');
const { redisClient } = require('./lib/redis');

module.exports = session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false });`,
      errors: [{ line: 4, column: 18 }],
      output: `const session = require('express-session');
const { redisClient } = require('./lib/redis');
const { RedisStore } = require('connect-redis');

module.exports = session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false, store: new RedisStore({ client: redisClient }) });`,
    },
    {
      name: "an explicit MemoryStore is replaced; rate-limit-redis already owns the name RedisStore",
      code: `import session from "express-session";
import { RedisStore } from "rate-limit-redis";
import Redis from "ioredis";

const redis = new Redis();

app.use(session({ store: new session.MemoryStore(), secret: SECRET, resave: false, saveUninitialized: false }));`,
      errors: [{ line: 7, column: 9, message: /`express-session` with `session.MemoryStore`/ }],
      output: `import session from "express-session";
import { RedisStore } from "rate-limit-redis";
import Redis from "ioredis";
import { RedisStore as ConnectRedisStore } from "connect-redis";

const redis = new Redis();

app.use(session({ store: new ConnectRedisStore({ client: redis }), secret: SECRET, resave: false, saveUninitialized: false }));`,
    },
    {
      name: "the memorystore package is still in-process",
      file: "src/server.js",
      code: `const session = require("express-session");
const MemoryStore = require("memorystore")(session);

app.use(session({
  cookie: { maxAge: 86400000 },
  store: new MemoryStore({ checkPeriod: 86400000 }),
  resave: false,
  secret: "keyboard cat",
}));`,
      errors: [{ line: 4, column: 9, message: /`express-session` with `MemoryStore \(memorystore\)`/ }],
      output: null,
    },
    {
      name: "the express-session README shape: options in a variable, cookie tweaked later",
      code: `import session from "express-session";

const sess = { secret: "keyboard cat", cookie: {} as session.CookieOptions };
if (app.get("env") === "production") {
  app.set("trust proxy", 1);
  sess.cookie.secure = true;
}
app.use(session(sess));`,
      errors: [{ line: 8, column: 9 }],
    },
    {
      name: "@fastify/session without a store",
      code: `import Fastify from "fastify";
import fastifyCookie from "@fastify/cookie";
import fastifySession from "@fastify/session";

const app = Fastify();
app.register(fastifyCookie);
app.register(fastifySession, {
  secret: process.env.SESSION_SECRET!,
  cookie: { secure: "auto" },
});`,
      errors: [{ line: 7, column: 1, message: /`@fastify\/session` without a `store`/ }],
      output: null,
    },
    {
      name: "NestJS main.ts with a namespace import of express-session",
      file: "src/main.ts",
      code: `import { NestFactory } from "@nestjs/core";
import * as session from "express-session";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(session({ secret: "my-secret", resave: false, saveUninitialized: false }));
  await app.listen(3000);
}
bootstrap();`,
      errors: [{ line: 7, column: 11 }],
    },
    {
      name: "refresh tokens in a module-level array",
      code: `import jwt from "jsonwebtoken";

let refreshTokens: string[] = [];

app.post("/token", (req, res) => {
  const refreshToken = jwt.sign({ sub: req.body.userId }, process.env.REFRESH_SECRET!);
  refreshTokens.push(refreshToken);
  res.json({ refreshToken });
});

app.delete("/logout", (req, res) => {
  refreshTokens = refreshTokens.filter((token) => token !== req.body.token);
  res.sendStatus(204);
});`,
      errors: [{ line: 3, column: 5, message: "`refreshTokens` keeps refresh tokens in a module-level array: they are lost on every restart or deploy, invisible to the other instances behind the load balancer, and grow without bound. Keep them in Redis or the database, with an expiry." }],
    },
    {
      name: "OTP codes and pending MFA challenges in module-level containers",
      code: `const otpStore: Record<string, { code: string; expiresAt: number }> = {};
const pendingMfa = new Map<string, string>();

export async function sendOtp(req: Request, res: Response) {
  const code = String(crypto.randomInt(100000, 999999));
  otpStore[req.body.email] = { code, expiresAt: Date.now() + 5 * 60_000 };
  pendingMfa.set(req.body.email, req.sessionID);
  await mailer.send(req.body.email, code);
  res.sendStatus(202);
}`,
      errors: [
        { line: 1, column: 7, message: /`otpStore` keeps one-time codes \/ MFA state in a module-level object/ },
        { line: 2, column: 7, message: /`pendingMfa` keeps one-time codes \/ MFA state in a module-level Map/ },
      ],
    },
    {
      name: "active sessions in a module-level Set (CommonJS)",
      file: "src/auth/sessions.js",
      code: `let activeSessions = new Set();

exports.login = (req, res) => {
  const id = crypto.randomUUID();
  activeSessions.add(id);
  res.cookie("sid", id, { httpOnly: true });
};`,
      errors: [{ line: 1, column: 5, message: /`activeSessions` keeps sessions in a module-level Set/ }],
    },
  ],
});
