import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reliabilityDetectors } from "../../rules/checklist/detectors/reliability";
import { evidenceFor } from "../checklist-fixture";
import { assertPlaces, packageJson, withoutSignals, withSignals } from "./critical-support";

const detect = (id: string, files: Record<string, string>) => reliabilityDetectors[id](evidenceFor(files));
const detectWithoutRules = (id: string, files: Record<string, string>) => reliabilityDetectors[id](withoutSignals(evidenceFor(files)));

const EXPRESS_APP = `import express from "express";

const app = express();
app.use(express.json());
app.get("/orders", (_req, res) => res.json([]));
export default app;
`;

describe("reliability detectors", () => {
  it("covers the critical reliability items (backups stay manual)", () => {
    assert.deepEqual(Object.keys(reliabilityDetectors).sort(), [
      "reliability.connection-pooling",
      "reliability.connection-retry",
      "reliability.error-tracking",
      "reliability.health-checks",
      "reliability.structured-logging",
      "reliability.webhook-idempotency",
    ]);
  });
});

describe("reliability.structured-logging", () => {
  it("passes with pino", () => {
    const result = detect("reliability.structured-logging", {
      "package.json": packageJson(["express", "pino"]),
      "src/app.ts": EXPRESS_APP,
      "src/logger.ts": `import pino from "pino";\n\nexport const logger = pino({ level: process.env.LOG_LEVEL ?? "info" });\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Structured logger in use: pino/);
    assertPlaces(result, ["src/logger.ts:1"]);
  });

  it("passes with NestJS's Logger", () => {
    const result = detectWithoutRules("reliability.structured-logging", {
      "package.json": packageJson(["@nestjs/common", "@nestjs/core"]),
      "src/orders/orders.service.ts": `import { Injectable, Logger } from "@nestjs/common";

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);
}
`,
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "NestJS Logger in use");
    assertPlaces(result, ["src/orders/orders.service.ts:1"]);
  });

  it("passes with Fastify's built-in logger", () => {
    const result = detectWithoutRules("reliability.structured-logging", {
      "package.json": packageJson(["fastify"]),
      "src/server.ts": `import Fastify from "fastify";\n\nconst app = Fastify({\n  logger: { level: "info" },\n});\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Fastify's built-in pino logger/);
    assertPlaces(result, ["src/server.ts:4"]);
  });

  it("fails with console only (a logger used by tests does not count)", () => {
    const result = detect("reliability.structured-logging", {
      "package.json": packageJson(["express"]),
      "src/app.ts": `${EXPRESS_APP}app.listen(3000, () => console.log("listening"));\n`,
      "test/helpers.ts": `import pino from "pino";\nexport const silent = pino({ enabled: false });\n`,
    });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "no structured logger found");
  });

  it("fails when the logger is only declared", () => {
    const result = detect("reliability.structured-logging", { "package.json": packageJson(["express", "winston"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.match(result.note, /winston declared in package.json but never imported/);
    assertPlaces(result, ["package.json:6"]);
  });
});

describe("reliability.error-tracking", () => {
  it("passes with Sentry.init, pointing at the init line", () => {
    const result = detect("reliability.error-tracking", {
      "package.json": packageJson(["express", "@sentry/node"]),
      "src/instrument.ts": `import * as Sentry from "@sentry/node";

Sentry.init({
  dsn: process.env.SENTRY_DSN,
  environment: process.env.NODE_ENV,
});
`,
      "src/app.ts": `import * as Sentry from "@sentry/node";\n${EXPRESS_APP}Sentry.setupExpressErrorHandler(app);\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Error tracking initialised: Sentry/);
    assertPlaces(result, ["src/instrument.ts:3"]);
    assert.match(result.evidence.find((site) => site.file === "src/instrument.ts")!.note, /Sentry\.init/);
  });

  it("passes with dd-trace/init preloaded by the start script", () => {
    const result = detect("reliability.error-tracking", {
      "package.json": JSON.stringify({ name: "api", scripts: { start: "node --require dd-trace/init dist/server.js" }, dependencies: { "dd-trace": "^5.0.0" } }, null, 2),
      "src/server.ts": EXPRESS_APP,
    });
    assert.equal(result.status, "pass");
    assertPlaces(result, ["package.json:4"]);
    assert.match(result.evidence[0].note, /preloads dd-trace\/init/);
  });

  it("passes on the tracker signal", () => {
    const context = withSignals(evidenceFor({ "src/app.ts": EXPRESS_APP }), [{ name: "reliability.error-tracking:tracker", file: "src/app.ts", line: 2, detail: "@bugsnag/js" }]);
    const result = reliabilityDetectors["reliability.error-tracking"](context);
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/app.ts:2"]);
  });

  it("fails when Sentry is imported but never initialised", () => {
    const result = detectWithoutRules("reliability.error-tracking", {
      "package.json": packageJson(["express", "@sentry/node"]),
      "src/errors.ts": `import * as Sentry from "@sentry/node";\n\nexport const report = (error: unknown) => Sentry.captureException(error);\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /@sentry\/node imported but never initialised/);
    assertPlaces(result, ["src/errors.ts:1"]);
  });

  it("fails without an error tracker", () => {
    const result = detect("reliability.error-tracking", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^no error tracking found/);
    assert.deepEqual(result.evidence, []);
  });
});

describe("reliability.connection-pooling", () => {
  it("passes with a pg Pool", () => {
    const result = detect("reliability.connection-pooling", {
      "package.json": packageJson(["express", "pg"]),
      "src/db.ts": `import { Pool } from "pg";\n\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });\n`,
    });
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/db.ts:3"]);
  });

  it("passes with a module-level PrismaClient", () => {
    const result = detectWithoutRules("reliability.connection-pooling", {
      "package.json": packageJson(["@prisma/client"]),
      "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
export const prisma = globalForPrisma.prisma ?? new PrismaClient();
if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Prisma/);
    assertPlaces(result, ["src/lib/prisma.ts:4"]);
  });

  it("passes with an ORM that pools by default", () => {
    const result = detectWithoutRules("reliability.connection-pooling", {
      "package.json": packageJson(["mongoose"]),
      "src/db.ts": `import mongoose from "mongoose";\n\nexport const connect = () => mongoose.connect(process.env.MONGO_URL!);\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /mongoose keeps a connection pool/);
    assertPlaces(result, ["src/db.ts:1"]);
  });

  it("passes on the pool signal", () => {
    const context = withSignals(evidenceFor({ "src/db.ts": `export {};\n` }), [{ name: "reliability.connection-pooling:pool", file: "src/db.ts", line: 1, detail: "Pool" }]);
    assert.equal(reliabilityDetectors["reliability.connection-pooling"](context).status, "pass");
  });

  it("fails with a single pg Client", () => {
    const result = detectWithoutRules("reliability.connection-pooling", {
      "package.json": packageJson(["pg"]),
      "src/db.ts": `import { Client } from "pg";\n\nexport const client = new Client({ connectionString: process.env.DATABASE_URL });\nawait client.connect();\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /pg opens single connections without a pool/);
    assertPlaces(result, ["src/db.ts:3"]);
  });

  it("fails with mysql2's createConnection", () => {
    const result = detectWithoutRules("reliability.connection-pooling", {
      "package.json": packageJson(["mysql2"]),
      "src/db.js": `const mysql = require("mysql2/promise");\n\nmodule.exports = () => mysql.createConnection(process.env.DATABASE_URL);\n`,
    });
    assert.equal(result.status, "fail");
    assertPlaces(result, ["src/db.js:3"]);
  });

  it("is open and not applicable without a database", () => {
    const result = detect("reliability.connection-pooling", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "open");
    assert.equal(result.suggestNotApplicable, true);
    assert.equal(result.note, "no database client found");
  });
});

describe("reliability.connection-retry", () => {
  it("passes with p-retry around the connect", () => {
    const result = detectWithoutRules("reliability.connection-retry", {
      "package.json": packageJson(["pg", "p-retry"]),
      "src/db.ts": `import pRetry from "p-retry";
import { Pool } from "pg";

export const pool = new Pool();
export const ready = pRetry(() => pool.query("select 1"), { retries: 5 });
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /p-retry around new Pool/);
    assertPlaces(result, ["src/db.ts:4"]);
  });

  it("passes with TypeOrmModule's default retries", () => {
    const result = detectWithoutRules("reliability.connection-retry", {
      "package.json": packageJson(["@nestjs/typeorm", "typeorm", "pg"]),
      "src/app.module.ts": `import { Module } from "@nestjs/common";
import { TypeOrmModule } from "@nestjs/typeorm";

@Module({
  imports: [TypeOrmModule.forRoot({ type: "postgres", url: process.env.DATABASE_URL })],
})
export class AppModule {}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /retries the initial connection/);
    assertPlaces(result, ["src/app.module.ts:5"]);
  });

  it("passes for a Redis-only service with ioredis's retryStrategy", () => {
    const result = detectWithoutRules("reliability.connection-retry", {
      "package.json": packageJson(["ioredis"]),
      "src/redis.ts": `import Redis from "ioredis";\n\nexport const redis = new Redis(process.env.REDIS_URL!, {\n  retryStrategy: (times) => Math.min(times * 200, 5000),\n});\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /retryStrategy/);
    assertPlaces(result, ["src/redis.ts:4"]);
  });

  it("passes on the retry signal", () => {
    const context = withSignals(evidenceFor({ "package.json": packageJson(["pg"]), "src/db.ts": `import { Pool } from "pg";\nexport const pool = new Pool();\n` }), [
      { name: "reliability.connection-retry:retry", file: "src/db.ts", line: 2, detail: "retry loop" },
    ]);
    const result = reliabilityDetectors["reliability.connection-retry"](context);
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/db.ts:2"]);
  });

  it("does not take the rule's Redis retry signal for database retry", () => {
    const context = withSignals(
      withoutSignals(evidenceFor({ "package.json": packageJson(["pg", "ioredis"]), "src/db.ts": `import { Pool } from "pg";\nexport const pool = new Pool();\n`, "src/redis.ts": `import Redis from "ioredis";\nexport const redis = new Redis();\n` })),
      [{ name: "reliability.connection-retry:retry", file: "src/redis.ts", line: 2, detail: "ioredis" }],
    );
    const result = reliabilityDetectors["reliability.connection-retry"](context);
    assert.equal(result.status, "fail");
    assert.match(result.note, /^pg in use without connection retry/);
  });

  it("fails for a database client without retry", () => {
    const result = detectWithoutRules("reliability.connection-retry", {
      "package.json": packageJson(["pg", "ioredis"]),
      "src/db.ts": `import { Pool } from "pg";\n\nexport const pool = new Pool();\n`,
      "src/redis.ts": `import Redis from "ioredis";\nexport const redis = new Redis({ retryStrategy: () => 1000 });\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^pg in use without connection retry/);
    assertPlaces(result, ["src/db.ts:1"]);
  });

  it("is open without a database or Redis client", () => {
    const result = detect("reliability.connection-retry", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "open");
    assert.equal(result.note, "no database or Redis client found");
  });
});

describe("reliability.health-checks", () => {
  it("passes with /healthz and /readyz", () => {
    const result = detect("reliability.health-checks", {
      "package.json": packageJson(["express"]),
      "src/app.ts": `import express from "express";

const app = express();
app.get("/healthz", (_req, res) => res.sendStatus(200));
app.get("/readyz", async (_req, res) => res.sendStatus(200));
`,
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Liveness (/healthz) and readiness (/readyz) routes found");
    assertPlaces(result, ["src/app.ts:4", "src/app.ts:5"]);
  });

  it("passes with a NestJS health controller", () => {
    const result = detect("reliability.health-checks", {
      "package.json": packageJson(["@nestjs/common"]),
      "src/health/health.controller.ts": `import { Controller, Get } from "@nestjs/common";

@Controller("health")
export class HealthController {
  @Get("live")
  live() { return { status: "ok" }; }

  @Get("ready")
  ready() { return { status: "ok" }; }
}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /\/health\/live.*\/health\/ready/);
    assertPlaces(result, ["src/health/health.controller.ts:5", "src/health/health.controller.ts:8"]);
  });

  it("passes with lightship", () => {
    const result = detect("reliability.health-checks", {
      "package.json": packageJson(["lightship"]),
      "src/lightship.ts": `import { createLightship } from "lightship";\nexport const lightship = await createLightship();\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /lightship/);
    assertPlaces(result, ["src/lightship.ts:1"]);
  });

  it("fails with a liveness route only, saying what is missing", () => {
    const result = detect("reliability.health-checks", {
      "package.json": packageJson(["fastify"]),
      "src/routes/health.ts": `export default async function health(app: any) {\n  app.get("/livez", async () => ({ ok: true }));\n}\n`,
    });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "Liveness route /livez found, but no readiness route (/readyz, /health/ready)");
    assertPlaces(result, ["src/routes/health.ts:2"]);
  });

  it("fails with a single generic /health route", () => {
    const result = detect("reliability.health-checks", {
      "package.json": packageJson(["express"]),
      "src/app.ts": `${EXPRESS_APP}app.get("/health", (_req, res) => res.json({ ok: true }));\n`,
    });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "only /health found: add separate liveness and readiness probes");
    assertPlaces(result, ["src/app.ts:7"]);
  });

  it("fails without health routes", () => {
    const result = detect("reliability.health-checks", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^no health check route found/);
  });
});

describe("reliability.webhook-idempotency", () => {
  const WEBHOOK = (body: string) => `import express from "express";
import Stripe from "stripe";
import { db } from "../db";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const router = express.Router();

router.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, process.env.STRIPE_WEBHOOK_SECRET!);
${body}
  res.sendStatus(200);
});
`;

  it("passes when the webhook verifies the signature and records the event id", () => {
    const result = detectWithoutRules("reliability.webhook-idempotency", {
      "package.json": packageJson(["express", "stripe"]),
      "src/routes/stripe-webhook.ts": WEBHOOK(`  const inserted = await db.processedEvent.createMany({
    data: [{ id: event.id }],
    skipDuplicates: true,
  });
  if (inserted.count === 0) return res.sendStatus(200);`),
    });
    assert.equal(result.status, "pass");
    assertPlaces(result, ["src/routes/stripe-webhook.ts:9", "src/routes/stripe-webhook.ts:11"]);
  });

  it("passes on the webhook signals", () => {
    const context = withSignals(evidenceFor({ "package.json": packageJson(["stripe"]), "src/webhook.ts": `export {};\n` }), [
      { name: "reliability.webhook-idempotency:webhook", file: "src/webhook.ts", line: 1 },
      { name: "reliability.webhook-idempotency:signature-verified", file: "src/webhook.ts", line: 1 },
      { name: "reliability.webhook-idempotency:event-id-recorded", file: "src/webhook.ts", line: 1 },
    ]);
    assert.equal(reliabilityDetectors["reliability.webhook-idempotency"](context).status, "pass");
  });

  it("fails when the webhook does not record the event id", () => {
    const result = detectWithoutRules("reliability.webhook-idempotency", {
      "package.json": packageJson(["express", "stripe"]),
      "src/routes/stripe-webhook.ts": WEBHOOK(`  if (event.type === "invoice.paid") await db.subscription.update({ where: { id: "x" }, data: { active: true } });`),
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /does not record the event id/);
    assertPlaces(result, ["src/routes/stripe-webhook.ts:9"]);
  });

  it("is open when a payment provider has no webhook", () => {
    const result = detect("reliability.webhook-idempotency", {
      "package.json": packageJson(["express", "stripe"]),
      "src/billing.ts": `import Stripe from "stripe";\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n`,
    });
    assert.equal(result.status, "open");
    assert.match(result.note, /Payment provider stripe found but no payment webhook handler/);
    assert.equal(result.suggestNotApplicable, undefined);
    assertPlaces(result, ["src/billing.ts:1"]);
  });

  it("does not take a GitHub webhook for a payment webhook", () => {
    const result = detect("reliability.webhook-idempotency", {
      "package.json": packageJson(["express", "@octokit/webhooks"]),
      "src/routes/github-webhook.ts": `import { Webhooks } from "@octokit/webhooks";\nexport const webhooks = new Webhooks({ secret: process.env.GITHUB_WEBHOOK_SECRET! });\n`,
    });
    assert.equal(result.status, "open");
    assert.equal(result.suggestNotApplicable, true);
  });

  it("is open and not applicable without a payment provider", () => {
    const result = detect("reliability.webhook-idempotency", { "package.json": packageJson(["express"]), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "open");
    assert.equal(result.note, "no payment provider found");
    assert.equal(result.suggestNotApplicable, true);
  });
});
