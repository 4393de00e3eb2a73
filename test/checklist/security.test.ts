import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { securityDetectors } from "../../rules/checklist/detectors/security";
import { evidenceFor } from "../checklist-fixture";
import { assertPlaces, packageJson, withoutSignals, withSignals } from "./critical-support";

const detect = (id: string, files: Record<string, string>, now?: Date) => securityDetectors[id](evidenceFor(files, now));

const EXPRESS_APP = `import express from "express";

const app = express();
app.use(express.json());
app.post("/orders", (req, res) => res.json(req.body));
export default app;
`;

describe("security detectors", () => {
  it("covers the critical security items", () => {
    assert.deepEqual(Object.keys(securityDetectors).sort(), [
      "security.csrf",
      "security.hardcoded-mfa",
      "security.hsts",
      "security.input-validation",
      "security.rate-limit-redis",
      "security.secrets-management",
      "security.security-headers",
      "security.security-txt",
    ].concat("security.session-store").sort());
  });
});

describe("security.hardcoded-mfa", () => {
  it("passes when a TOTP library is imported", () => {
    const result = detect("security.hardcoded-mfa", {
      "package.json": packageJson(["express", "otplib"]),
      "src/app.ts": EXPRESS_APP,
      "src/auth/mfa.ts": `import { authenticator } from "otplib";\n\nexport const verifyTotp = (token: string, secret: string) => authenticator.verify({ token, secret });\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /TOTP library in use: otplib/);
    assertPlaces(result, ["src/auth/mfa.ts:1"]);
  });

  it("accepts scoped otplib packages", () => {
    const result = detect("security.hardcoded-mfa", {
      "package.json": packageJson(["@otplib/preset-default"]),
      "src/mfa.js": `const { authenticator } = require("@otplib/preset-default");\nmodule.exports = authenticator;\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /@otplib\/preset-default/);
  });

  it("is open without a TOTP library, and ignores one used only by tests", () => {
    const result = detect("security.hardcoded-mfa", {
      "package.json": packageJson(["express"]),
      "src/app.ts": `const DEV_MFA_CODE = "123456";\n${EXPRESS_APP}`,
      "test/mfa.test.ts": `import { authenticator } from "otplib";\n`,
    });
    assert.equal(result.status, "open");
    assert.equal(result.note, "no TOTP library found; if the product has MFA, implement TOTP");
    assert.deepEqual(result.evidence, []);
  });

  it("is open, pointing at package.json, when the library is only declared", () => {
    const result = detect("security.hardcoded-mfa", { "package.json": packageJson(["express", "speakeasy"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "open");
    assert.match(result.note, /speakeasy declared in package.json but not imported/);
    assertPlaces(result, ["package.json:6"]);
  });
});

describe("security.rate-limit-redis", () => {
  it("passes with express-rate-limit and rate-limit-redis", () => {
    const result = detect("security.rate-limit-redis", {
      "package.json": packageJson(["express", "express-rate-limit", "rate-limit-redis", "ioredis"]),
      "src/middleware/rate-limit.ts": `import { rateLimit } from "express-rate-limit";
import { RedisStore } from "rate-limit-redis";
import Redis from "ioredis";

const client = new Redis(process.env.REDIS_URL!);
export const limiter = rateLimit({ windowMs: 60_000, limit: 100, store: new RedisStore({ sendCommand: (...args: string[]) => client.call(...args) as any }) });
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /shared store: rate-limit-redis/);
    assertPlaces(result, ["src/middleware/rate-limit.ts:2"]);
  });

  it("passes with rate-limiter-flexible's RateLimiterRedis", () => {
    const result = detect("security.rate-limit-redis", {
      "package.json": packageJson(["koa", "rate-limiter-flexible", "ioredis"]),
      "src/limiter.ts": `import Redis from "ioredis";
import { RateLimiterRedis } from "rate-limiter-flexible";

const storeClient = new Redis();
export const limiter = new RateLimiterRedis({ storeClient, points: 10, duration: 1 });
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /RateLimiterRedis/);
    assertPlaces(result, ["src/limiter.ts:5"]);
  });

  it("passes with @fastify/rate-limit's redis option", () => {
    const result = detect("security.rate-limit-redis", {
      "package.json": packageJson(["fastify", "@fastify/rate-limit", "ioredis"]),
      "src/server.ts": `import Fastify from "fastify";
import rateLimit from "@fastify/rate-limit";
import Redis from "ioredis";

const app = Fastify();
await app.register(rateLimit, {
  max: 100,
  redis: new Redis({ host: "redis" }),
});
`,
    });
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/server.ts:8"]);
  });

  it("passes on the shared-store signal", () => {
    const context = withSignals(evidenceFor({ "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP }), [
      { name: "security.rate-limit-redis:shared-store", file: "src/app.ts", line: 4, detail: "express-rate-limit: RedisStore" },
    ]);
    const result = securityDetectors["security.rate-limit-redis"](context);
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/app.ts:4"]);
    assert.equal(result.evidence[0].note, "express-rate-limit: RedisStore");
  });

  it("fails with an in-memory rate limiter", () => {
    const result = detect("security.rate-limit-redis", {
      "package.json": packageJson(["express", "express-rate-limit"]),
      "src/app.ts": `import express from "express";
import rateLimit from "express-rate-limit";

const app = express();
app.use(rateLimit({ windowMs: 15 * 60 * 1000, limit: 100 }));
`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /Rate limiting found \(express-rate-limit\) but it keeps its counters in process memory/);
    assertPlaces(result, ["src/app.ts:2"]);
  });

  it("fails with koa-ratelimit's memory driver", () => {
    const result = detect("security.rate-limit-redis", {
      "package.json": packageJson(["koa", "koa-ratelimit"]),
      "src/app.js": `const Koa = require("koa");
const ratelimit = require("koa-ratelimit");
const app = new Koa();
app.use(ratelimit({ driver: "memory", db: new Map(), duration: 60000, max: 100 }));
`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /koa-ratelimit/);
  });

  it("fails without any rate limiting", () => {
    const result = detect("security.rate-limit-redis", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "no rate limiting found");
  });
});

describe("security.session-store", () => {
  it("passes with connect-redis", () => {
    const result = detect("security.session-store", {
      "package.json": packageJson(["express", "express-session", "connect-redis", "redis"]),
      "src/session.ts": `import session from "express-session";
import { RedisStore } from "connect-redis";
import { createClient } from "redis";

const client = createClient({ url: process.env.REDIS_URL });
export const sessions = session({ store: new RedisStore({ client }), secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false });
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /external store: connect-redis/);
    assertPlaces(result, ["src/session.ts:2"]);
  });

  it("passes with cookie sessions", () => {
    const result = detect("security.session-store", {
      "package.json": packageJson(["express", "cookie-session"]),
      "src/app.js": `const express = require("express");\nconst cookieSession = require("cookie-session");\nconst app = express();\napp.use(cookieSession({ name: "session", keys: [process.env.COOKIE_KEY] }));\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Cookie-backed sessions/);
    assertPlaces(result, ["src/app.js:2"]);
  });

  it("passes when the session middleware is given a custom store", () => {
    const result = detect("security.session-store", {
      "package.json": packageJson(["express", "express-session"]),
      "src/session.ts": `import session from "express-session";
import { FirestoreSessionStore } from "./firestore-store";

export default session({
  secret: process.env.SESSION_SECRET!,
  store: new FirestoreSessionStore(),
});
`,
    });
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/session.ts:6"]);
  });

  it("passes on the external-store signal", () => {
    const context = withSignals(evidenceFor({ "package.json": packageJson(["express", "express-session"]), "src/app.ts": EXPRESS_APP }), [
      { name: "security.session-store:external-store", file: "src/app.ts", line: 3, detail: "express-session: PrismaSessionStore" },
    ]);
    const result = securityDetectors["security.session-store"](context);
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/app.ts:3"]);
  });

  it("is open for express-session without a store", () => {
    const result = detect("security.session-store", {
      "package.json": packageJson(["express", "express-session"]),
      "src/app.ts": `import express from "express";
import session from "express-session";

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
`,
    });
    assert.equal(result.status, "open");
    assert.match(result.note, /express-session in use but no external session store found/);
    assertPlaces(result, ["src/app.ts:2"]);
  });

  it("is open for a MemoryStore", () => {
    const result = detect("security.session-store", {
      "package.json": packageJson(["express", "express-session"]),
      "src/app.ts": `import session from "express-session";\nexport default session({ secret: "s", store: new session.MemoryStore() });\n`,
    });
    assert.equal(result.status, "open");
  });

  it("passes for token-based auth without sessions", () => {
    const result = detect("security.session-store", {
      "package.json": packageJson(["express", "jsonwebtoken"]),
      "src/app.ts": EXPRESS_APP,
      "src/auth.ts": `import express from "express";\nimport jwt from "jsonwebtoken";\n\nexport const verify = (token: string) => jwt.verify(token, process.env.JWT_SECRET!);\n`,
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "no server-side sessions (token-based auth)");
    assertPlaces(result, ["src/auth.ts:2"]);
  });

  it("is open without sessions or auth", () => {
    const result = detect("security.session-store", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "open");
    assert.match(result.note, /no sessions and no authentication library/);
  });
});

describe("security.secrets-management", () => {
  it("passes with AWS Secrets Manager", () => {
    const result = detect("security.secrets-management", {
      "package.json": packageJson(["@aws-sdk/client-secrets-manager"]),
      "src/config/secrets.ts": `import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";

const client = new SecretsManagerClient({});
export const loadSecrets = () => client.send(new GetSecretValueCommand({ SecretId: "prod/api" }));
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /@aws-sdk\/client-secrets-manager/);
    assertPlaces(result, ["src/config/secrets.ts:1"]);
  });

  it("passes with aws-sdk v2's SecretsManager", () => {
    const result = detect("security.secrets-management", {
      "package.json": packageJson(["aws-sdk"]),
      "src/secrets.js": `const AWS = require("aws-sdk");\n\nconst client = new AWS.SecretsManager({ region: "eu-west-1" });\nmodule.exports = client;\n`,
    });
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/secrets.js:3"]);
  });

  it("passes with doppler run in a package.json script", () => {
    const result = detect("security.secrets-management", {
      "package.json": JSON.stringify({ name: "api", scripts: { build: "tsc", start: "doppler run -- node dist/server.js" } }, null, 2),
      "src/server.ts": EXPRESS_APP,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /doppler run/);
    assertPlaces(result, ["package.json:5"]);
  });

  it("passes on the secret-manager signal", () => {
    const context = withSignals(evidenceFor({ "package.json": packageJson([]), "src/vault.ts": `export {};\n` }), [
      { name: "security.secrets-management:secret-manager", file: "src/vault.ts", line: 1, detail: "node-vault" },
    ]);
    const result = securityDetectors["security.secrets-management"](context);
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/vault.ts:1"]);
  });

  it("is open with only dotenv", () => {
    const result = detect("security.secrets-management", {
      "package.json": packageJson(["express", "dotenv"]),
      "src/server.ts": `import "dotenv/config";\n${EXPRESS_APP}`,
    });
    assert.equal(result.status, "open");
    assert.equal(result.note, "environment variables via dotenv; no secrets manager found");
    assertPlaces(result, ["src/server.ts:1"]);
  });

  it("is open with nothing", () => {
    const result = detect("security.secrets-management", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "open");
    assert.equal(result.note, "no secrets manager found");
  });
});

describe("security.input-validation", () => {
  it("passes with zod", () => {
    const result = detect("security.input-validation", {
      "package.json": packageJson(["express", "zod"]),
      "src/app.ts": EXPRESS_APP,
      "src/schemas/order.ts": `import { z } from "zod";\n\nexport const Order = z.object({ sku: z.string(), quantity: z.number().int().positive() });\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Input validation library in use: zod/);
    assertPlaces(result, ["src/schemas/order.ts:1"]);
  });

  it("passes with Fastify route schemas", () => {
    const result = detect("security.input-validation", {
      "package.json": packageJson(["fastify"]),
      "src/routes.ts": `import Fastify from "fastify";

const app = Fastify();
app.post("/orders", {
  schema: {
    body: { type: "object", required: ["sku"], properties: { sku: { type: "string" } } },
  },
}, async (request) => request.body);
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Fastify route schemas/);
    assertPlaces(result, ["src/routes.ts:5"]);
  });

  it("passes on the validator signal", () => {
    const context = withSignals(evidenceFor({ "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP }), [
      { name: "security.input-validation:validator", file: "src/app.ts", line: 5, detail: "ValidationPipe" },
    ]);
    assert.equal(securityDetectors["security.input-validation"](context).status, "pass");
  });

  it("fails for HTTP routes without a validation library", () => {
    const result = detect("security.input-validation", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "no input validation library found");
    assertPlaces(result, ["src/app.ts:1"]);
  });

  it("is open without an HTTP framework", () => {
    const result = detect("security.input-validation", { "package.json": packageJson([]), "src/worker.ts": `export const run = () => 1;\n` });
    assert.equal(result.status, "open");
  });
});

describe("security.csrf", () => {
  const SESSION_APP = (options: string) => `import express from "express";
import session from "express-session";

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false${options} }));
app.post("/account/email", (req, res) => res.sendStatus(204));
`;

  it("passes with csrf-csrf", () => {
    const result = detect("security.csrf", {
      "package.json": packageJson(["express", "express-session", "csrf-csrf"]),
      "src/app.ts": SESSION_APP(""),
      "src/csrf.ts": `import { doubleCsrf } from "csrf-csrf";\n\nexport const { doubleCsrfProtection } = doubleCsrf({ getSecret: () => process.env.CSRF_SECRET! });\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /CSRF protection in use: csrf-csrf/);
    assertPlaces(result, ["src/csrf.ts:1"]);
  });

  it("passes with a sameSite strict session cookie", () => {
    const result = detect("security.csrf", {
      "package.json": packageJson(["express", "express-session"]),
      "src/app.ts": SESSION_APP(`,\n  cookie: { httpOnly: true, secure: true, sameSite: "strict" }`),
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /sameSite: "strict"/);
    assertPlaces(result, ["src/app.ts:6"]);
  });

  it("passes on the protection signal", () => {
    const context = withSignals(evidenceFor({ "package.json": packageJson(["express", "express-session"]), "src/app.ts": SESSION_APP("") }), [
      { name: "security.csrf:protection", file: "src/app.ts", line: 7, detail: '"x-csrf-token" header' },
    ]);
    const result = securityDetectors["security.csrf"](context);
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/app.ts:7"]);
  });

  it("passes for a token API without cookie auth", () => {
    const result = detect("security.csrf", {
      "package.json": packageJson(["express", "jsonwebtoken"]),
      "src/app.ts": EXPRESS_APP,
      "src/auth.ts": `import jwt from "jsonwebtoken";\nexport const sign = (sub: string) => jwt.sign({ sub }, process.env.JWT_SECRET!);\n`,
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "no cookie-based auth: CSRF does not apply");
    assertPlaces(result, ["src/auth.ts:1"]);
  });

  it("fails for session cookies without protection", () => {
    const result = detect("security.csrf", { "package.json": packageJson(["express", "express-session"]), "src/app.ts": SESSION_APP("") });
    assert.equal(result.status, "fail");
    assert.match(result.note, /Cookie-based auth \(express-session\) without CSRF protection/);
    assertPlaces(result, ["src/app.ts:2"]);
  });

  it("fails for an auth cookie set by the app", () => {
    const result = detect("security.csrf", {
      "package.json": packageJson(["express", "cookie-parser", "jsonwebtoken"]),
      "src/routes/login.ts": `import { Router } from "express";
import jwt from "jsonwebtoken";

export const router = Router();
router.post("/login", (req, res) => {
  res.cookie("access_token", jwt.sign({ sub: req.body.user }, process.env.JWT_SECRET!), { httpOnly: true });
  res.sendStatus(204);
});
`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^Cookie-based auth \(.*access_token.*\) without CSRF protection/);
    assertPlaces(result, ["src/routes/login.ts:6"]);
  });
});

describe("security detectors without rule signals", () => {
  it("finds an auth cookie by text", () => {
    const context = withoutSignals(
      evidenceFor({
        "package.json": packageJson(["express", "cookie-parser"]),
        "src/routes/login.ts": `import { Router } from "express";\n\nexport const router = Router();\nrouter.post("/login", (req, res) => {\n  res.cookie("session_id", req.body.sid, { httpOnly: true });\n  res.sendStatus(204);\n});\n`,
      }),
    );
    const result = securityDetectors["security.csrf"](context);
    assert.equal(result.status, "fail");
    assert.match(result.note, /sets auth cookie "session_id"/);
    assert.deepEqual(result.evidence.map((site) => `${site.file}:${site.line}`), ["src/routes/login.ts:5"]);
  });

  it("finds an in-memory limiter and a shared store by imports and text", () => {
    const files = {
      "package.json": packageJson(["fastify", "@fastify/rate-limit"]),
      "src/server.ts": `import Fastify from "fastify";\nimport rateLimit from "@fastify/rate-limit";\n\nconst app = Fastify();\nawait app.register(rateLimit, { max: 100 });\n`,
    };
    const memory = securityDetectors["security.rate-limit-redis"](withoutSignals(evidenceFor(files)));
    assert.equal(memory.status, "fail");
    assert.deepEqual(memory.evidence.map((site) => `${site.file}:${site.line}`), ["src/server.ts:2"]);
    const redis = securityDetectors["security.rate-limit-redis"](
      withoutSignals(evidenceFor({ ...files, "src/server.ts": files["src/server.ts"].replace("{ max: 100 }", "{ max: 100, redis }") })),
    );
    assert.equal(redis.status, "pass");
    assert.deepEqual(redis.evidence.map((site) => `${site.file}:${site.line}`), ["src/server.ts:5"]);
  });
});

describe("security.security-txt", () => {
  const SECURITY_TXT = "Contact: mailto:security@example.com\nExpires: 2027-06-30T23:00:00.000Z\nPreferred-Languages: en\n";

  it("passes with a valid .well-known/security.txt", () => {
    const result = detect("security.security-txt", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP, "public/.well-known/security.txt": SECURITY_TXT });
    assert.equal(result.status, "pass");
    assert.match(result.note, /public\/\.well-known\/security\.txt found: Contact mailto:security@example\.com, expires 2027-06-30/);
    assertPlaces(result, ["public/.well-known/security.txt:1"]);
  });

  it("fails when Expires is in the past", () => {
    const result = detect("security.security-txt", { "static/.well-known/security.txt": SECURITY_TXT }, new Date("2027-07-01T00:00:00Z"));
    assert.equal(result.status, "fail");
    assert.equal(result.note, "static/.well-known/security.txt expired on 2027-06-30 (Expires:)");
    assertPlaces(result, ["static/.well-known/security.txt:2"]);
  });

  it("fails without Contact", () => {
    const result = detect("security.security-txt", { "public/.well-known/security.txt": "Expires: 2027-06-30T23:00:00.000Z\r\nPolicy: https://example.com/policy\r\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /has no Contact: field/);
  });

  it("fails without Expires", () => {
    const result = detect("security.security-txt", { "public/.well-known/security.txt": "contact: https://example.com/security\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /no Expires: field/);
  });

  it("passes for a route that serves it", () => {
    const result = detect("security.security-txt", {
      "package.json": packageJson(["express"]),
      "src/app.ts": `import express from "express";

const app = express();
app.get("/.well-known/security.txt", (_req, res) => {
  res.type("text/plain").send("Contact: mailto:security@example.com\\nExpires: 2027-12-31T00:00:00Z\\n");
});
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /A route serves \/\.well-known\/security\.txt: Contact mailto:security@example\.com, expires 2027-12-31/);
    assertPlaces(result, ["src/app.ts:4", "src/app.ts:5"]);
  });

  it("fails when absent", () => {
    const result = detect("security.security-txt", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.match(result.note, /no security\.txt found/);
  });
});

describe("security.hsts", () => {
  it("passes with helmet's default HSTS", () => {
    const result = detect("security.hsts", {
      "package.json": packageJson(["express", "helmet"]),
      "src/app.ts": `import express from "express";\nimport helmet from "helmet";\n\nconst app = express();\napp.use(helmet());\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /helmet's default HSTS/);
    assertPlaces(result, ["src/app.ts:2"]);
  });

  it("passes with a Strict-Transport-Security header of a year", () => {
    const result = detect("security.hsts", {
      "package.json": packageJson(["express"]),
      "src/middleware/security.ts": `import type { Request, Response, NextFunction } from "express";

export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /max-age=31536000/);
    assertPlaces(result, ["src/middleware/security.ts:4"]);
  });

  it("passes with HSTS in vercel.json", () => {
    const result = detect("security.hsts", {
      "vercel.json": JSON.stringify({ headers: [{ source: "/(.*)", headers: [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" }] }] }, null, 2),
    });
    assert.equal(result.status, "pass");
    assert.equal(result.evidence[0].file, "vercel.json");
  });

  it("passes on the hsts signal", () => {
    const context = withSignals(evidenceFor({ "src/app.ts": EXPRESS_APP }), [{ name: "security.hsts:enabled", file: "src/app.ts", line: 3 }]);
    assert.equal(securityDetectors["security.hsts"](context).status, "pass");
  });

  it("fails with a short max-age", () => {
    const result = detect("security.hsts", {
      "src/server.js": `const http = require("http");\nhttp.createServer((req, res) => {\n  res.setHeader("Strict-Transport-Security", "max-age=86400");\n  res.end("ok");\n}).listen(3000);\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /too short \(Strict-Transport-Security max-age=86400\)/);
    assertPlaces(result, ["src/server.js:3"]);
  });

  it("fails when helmet disables HSTS", () => {
    const result = detect("security.hsts", {
      "package.json": packageJson(["express", "helmet"]),
      "src/app.ts": `import express from "express";\nimport helmet from "helmet";\n\nconst app = express();\napp.use(helmet({ hsts: false }));\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /HSTS disabled/);
    assertPlaces(result, ["src/app.ts:5"]);
  });

  it("fails without HSTS", () => {
    const result = detect("security.hsts", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^no HSTS found/);
  });
});

describe("security.security-headers", () => {
  it("passes with @fastify/helmet", () => {
    const result = detect("security.security-headers", {
      "package.json": packageJson(["fastify", "@fastify/helmet"]),
      "src/server.ts": `import Fastify from "fastify";\nimport helmet from "@fastify/helmet";\n\nconst app = Fastify();\nawait app.register(helmet);\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /@fastify\/helmet/);
    assertPlaces(result, ["src/server.ts:2"]);
  });

  it("passes on the helmet signal", () => {
    const context = withSignals(evidenceFor({ "src/main.ts": `export {};\n` }), [{ name: "security.security-headers:helmet", file: "src/main.ts", line: 1, detail: "helmet" }]);
    assert.equal(securityDetectors["security.security-headers"](context).status, "pass");
  });

  it("fails when the rule says only one helmet middleware is registered", () => {
    const context = withSignals(
      evidenceFor({
        "package.json": packageJson(["express", "helmet"]),
        "src/app.ts": `import express from "express";\nimport helmet from "helmet";\n\nconst app = express();\napp.use(helmet.hsts());\n`,
      }),
      [{ name: "security.security-headers:helmet", file: "src/app.ts", line: 5, detail: "helmet.hsts only" }],
    );
    const result = securityDetectors["security.security-headers"](context);
    assert.equal(result.status, "fail");
    assert.match(result.note, /^Only helmet\.hsts set: use helmet/);
    assertPlaces(result, ["src/app.ts:5"]);
  });

  it("passes with a complete set of headers set by hand", () => {
    const files = {
      "src/middleware/headers.ts": `export function headers(_req: any, res: any, next: () => void) {
  res.set({
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
  });
  next();
}
`,
    };
    // With the rule's signals the evidence is the res.set call; without them, each header's line.
    const result = detect("security.security-headers", files);
    assert.equal(result.status, "pass");
    assert.match(result.note, /^Security headers set manually: Content-Security-Policy, X-Content-Type-Options, X-Frame-Options and Referrer-Policy$/);
    assert.ok(result.evidence.every((site) => site.file === "src/middleware/headers.ts"));
    const byText = securityDetectors["security.security-headers"](withoutSignals(evidenceFor(files)));
    assert.equal(byText.status, "pass");
    assertPlaces(byText, ["src/middleware/headers.ts:3", "src/middleware/headers.ts:6"]);
  });

  it("fails with only some headers set by hand", () => {
    const result = detect("security.security-headers", {
      "package.json": packageJson(["express"]),
      "src/app.ts": `import express from "express";\nconst app = express();\napp.use((_req, res, next) => { res.setHeader("X-Frame-Options", "DENY"); next(); });\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^Only X-Frame-Options set \(missing Content-Security-Policy, X-Content-Type-Options, .*\): use helmet/);
    assertPlaces(result, ["src/app.ts:3"]);
  });

  it("fails with headers set by hand but no Content-Security-Policy", () => {
    const result = detect("security.security-headers", {
      "src/middleware/security.ts": `export function securityHeaders(_req: any, res: any, next: () => void) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Strict-Transport-Security", "max-age=31536000");
  res.setHeader("Referrer-Policy", "no-referrer");
  next();
}
`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /\(missing Content-Security-Policy and Permissions-Policy\)/);
    assertPlaces(result, ["src/middleware/security.ts:2", "src/middleware/security.ts:5"]);
  });

  it("fails without security headers", () => {
    const result = detect("security.security-headers", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.match(result.note, /no security headers middleware found/);
  });
});
