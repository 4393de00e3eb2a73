import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { consoleLogging, loggerSpecifierFrom } from "../../rules/catalogue/console-logging";
import { analyzeFile } from "../../rules/engine";
import { testRule } from "../rule-tester";

const loggerOption = { logger: { import: "./src/lib/logger", name: "logger" } };

testRule(consoleLogging, {
  valid: [
    {
      name: "pino logger calls",
      code: `import express from "express";
import { logger } from "./lib/logger";
const app = express();
app.get("/health", (req, res) => {
  logger.info({ path: req.path }, "health check");
  res.json({ ok: true });
});`,
    },
    {
      name: "NestJS Logger",
      code: `import { Injectable, Logger } from "@nestjs/common";
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);
  async remove(id: string) {
    this.logger.log(\`removing user \${id}\`);
    this.logger.error("could not remove", id);
  }
}`,
    },
    {
      name: "a test file",
      file: "test/users.test.ts",
      code: `import request from "supertest";
it("lists users", async () => {
  const res = await request(app).get("/users");
  console.log(res.body);
});`,
    },
    {
      name: "a spec file next to the code",
      file: "src/users/users.service.spec.ts",
      code: `describe("UsersService", () => {
  beforeEach(() => console.info("setup"));
});`,
    },
    {
      name: "a seed script",
      file: "scripts/seed.ts",
      code: `async function main() {
  await prisma.user.create({ data: { email: "a@b.c" } });
  console.log("seeded");
}
main();`,
    },
    {
      name: "a parameter named console",
      code: `export function printReport(console: { log(line: string): void }, rows: string[]) {
  for (const row of rows) console.log(row);
}`,
    },
    {
      name: "a local variable named console",
      code: `import { Console } from "node:console";
import { createWriteStream } from "node:fs";
export function audit(entry: string) {
  const console = new Console(createWriteStream("/var/log/audit.log"));
  console.log(entry);
}`,
    },
    {
      name: "development-only output",
      code: `import Koa from "koa";
const app = new Koa();
app.use(async (ctx, next) => {
  if (process.env.NODE_ENV === "development") console.debug(ctx.method, ctx.path);
  await next();
});`,
    },
    {
      name: "console.table and console.time are not print statements we map",
      code: `export function profile(rows: object[]) {
  console.time("render");
  console.table(rows);
  console.timeEnd("render");
}`,
    },
    {
      name: "one JSON.stringify argument is already a structured line",
      code: `export function log(level: string, msg: string, fields: Record<string, unknown>) {
  console.log(JSON.stringify({ level, msg, time: Date.now(), ...fields }));
}`,
    },
    {
      name: "browser code in a full-stack repo",
      file: "src/client/app.ts",
      code: `document.querySelector("form")!.addEventListener("submit", () => console.log("submitted"));`,
    },
    {
      name: "a React component",
      file: "src/components/Button.tsx",
      code: `export function Button() {
  return <button onClick={() => console.log("clicked")}>Go</button>;
}`,
    },
    {
      name: "a Prisma seed file",
      file: "prisma/seed.ts",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
prisma.user.create({ data: { email: "admin@example.com" } }).then(() => console.log("seeded"));`,
    },
    {
      name: "a CLI entry point",
      file: "src/cli.ts",
      code: `#!/usr/bin/env node
import { migrate } from "./db";
migrate().then(() => console.log("migrated"));`,
    },
  ],
  invalid: [
    {
      name: "Express handler, no logger configured: no fix",
      code: `import express from "express";
const app = express();
app.get("/users/:id", async (req, res) => {
  console.log("fetching user", req.params.id);
  res.json(await findUser(req.params.id));
});`,
      errors: [{ line: 4, column: 3, endLine: 4, endColumn: 14, message: /`console\.log` writes unstructured text/ }],
      output: null,
    },
    {
      name: "configured logger: rewritten and imported relative to the file",
      file: "src/routes/users.ts",
      options: loggerOption,
      code: `import { Router } from "express";
import { prisma } from "../db";

export const users = Router();
users.post("/", async (req, res) => {
  const user = await prisma.user.create({ data: req.body });
  console.log("created user", user.id);
  res.status(201).json(user);
});`,
      errors: [{ line: 7, column: 3 }],
      output: `import { Router } from "express";
import { prisma } from "../db";
import { logger } from "../lib/logger";

export const users = Router();
users.post("/", async (req, res) => {
  const user = await prisma.user.create({ data: req.body });
  logger.info("created user", user.id);
  res.status(201).json(user);
});`,
    },
    {
      name: "CommonJS, single quotes, several calls share one import",
      file: "src/server.js",
      options: loggerOption,
      code: `const express = require('express');
const app = express();
app.listen(3000, () => console.log('listening on 3000'));
process.on('unhandledRejection', (reason) => console.error('unhandled rejection', reason));
`,
      errors: [{ line: 3, column: 24 }, { line: 4, column: 46 }],
      output: `const express = require('express');
const { logger } = require('./lib/logger');
const app = express();
app.listen(3000, () => logger.info('listening on 3000'));
process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', reason));
`,
    },
    {
      name: "logger already imported: no new import",
      file: "src/services/billing.ts",
      options: loggerOption,
      code: `import { logger } from "../lib/logger";
export async function refund(paymentId: string) {
  console.warn("refunding", paymentId);
  logger.info({ paymentId }, "refund requested");
}`,
      errors: [{ line: 3, column: 3 }],
      output: `import { logger } from "../lib/logger";
export async function refund(paymentId: string) {
  logger.warn("refunding", paymentId);
  logger.info({ paymentId }, "refund requested");
}`,
    },
    {
      name: "logger imported under another name",
      file: "src/jobs/cleanup.ts",
      options: loggerOption,
      code: `import { logger as log } from "../lib/logger";
export async function cleanup() {
  console["debug"]("cleanup started");
  log.info("cleanup done");
}`,
      errors: [{ line: 3, column: 3, endColumn: 19 }],
      output: `import { logger as log } from "../lib/logger";
export async function cleanup() {
  log.debug("cleanup started");
  log.info("cleanup done");
}`,
    },
    {
      name: "Koa error middleware, bare package logger, file without imports",
      options: { logger: { import: "@acme/logging", name: "logger" } },
      code: `export async function errors(ctx, next) {
  try {
    await next();
  } catch (err) {
    console.error(err);
    ctx.status = 500;
  }
}`,
      errors: [{ line: 5, column: 5 }],
      output: `import { logger } from "@acme/logging";

export async function errors(ctx, next) {
  try {
    await next();
  } catch (err) {
    logger.error(err);
    ctx.status = 500;
  }
}`,
    },
    {
      name: "console.dir and globalThis.console: reported, dir has no fix",
      options: loggerOption,
      code: `import Fastify from "fastify";
const fastify = Fastify();
fastify.get("/debug", async (request) => {
  console.dir(request.headers, { depth: 2 });
  globalThis.console.trace("debug route hit");
  return { ok: true };
});`,
      errors: [{ line: 4, column: 3 }, { line: 5, column: 3, endColumn: 27 }],
      output: `import Fastify from "fastify";
import { logger } from "./lib/logger";
const fastify = Fastify();
fastify.get("/debug", async (request) => {
  console.dir(request.headers, { depth: 2 });
  logger.trace("debug route hit");
  return { ok: true };
});`,
    },
    {
      name: "logger option without import: fix only where the name is in scope",
      options: { logger: { name: "log" } },
      code: `export function handler(req, res, log) {
  console.info("in handler");
  res.end();
}
export function other() {
  console.info("no log here");
}`,
      errors: [{ line: 2 }, { line: 6 }],
      output: `export function handler(req, res, log) {
  log.info("in handler");
  res.end();
}
export function other() {
  console.info("no log here");
}`,
    },
    {
      name: "NestJS bootstrap",
      file: "src/main.ts",
      code: `import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT ?? 3000);
  console.log(\`Application is running on: \${await app.getUrl()}\`);
}
bootstrap();`,
      errors: [{ line: 6, column: 3 }],
    },
    {
      name: "the logger module itself gets no self-import",
      file: "src/lib/logger.ts",
      options: loggerOption,
      code: `export const logger = {
  info: (message: string) => console.log(message),
};`,
      errors: [{ line: 2 }],
      output: null,
    },
  ],
});

describe("console-logging: details", () => {
  it("re-bases the logger path on the file's directory", () => {
    assert.equal(loggerSpecifierFrom("src/routes/users.ts", "./src/lib/logger"), "../lib/logger");
    assert.equal(loggerSpecifierFrom("src/server.ts", "./src/lib/logger"), "./lib/logger");
    assert.equal(loggerSpecifierFrom("server.ts", "./lib/logger"), "./lib/logger");
    assert.equal(loggerSpecifierFrom("apps/api/src/a/b.ts", "./libs/log/index"), "../../../../libs/log/index");
    assert.equal(loggerSpecifierFrom("src/lib/logger.ts", "./src/lib/logger"), undefined);
    assert.equal(loggerSpecifierFrom("src/a.ts", "pino"), "pino");
  });

  it("signals where a structured logger is created", () => {
    const signals = (code: string) =>
      analyzeFile({ file: "src/logger.ts", text: code, production: true }, [{ rule: consoleLogging, options: {} }]).signals.map((s) => `${s.name}@${s.line}:${s.detail}`);
    assert.deepEqual(signals(`import pino from "pino";\nexport const logger = pino({ level: "info" });`), ["reliability.structured-logging:logger@2:pino"]);
    assert.deepEqual(signals(`const logger = require("pino")();`), ["reliability.structured-logging:logger@1:pino"]);
    assert.deepEqual(signals(`import winston from "winston";\nexport const logger = winston.createLogger({ transports: [new winston.transports.Console()] });`), ["reliability.structured-logging:logger@2:winston"]);
    assert.deepEqual(signals(`const bunyan = require("bunyan");\nconst log = bunyan.createLogger({ name: "api" });`), ["reliability.structured-logging:logger@2:bunyan"]);
    assert.deepEqual(signals(`import { Logger } from "@nestjs/common";\nclass A { private readonly logger = new Logger(A.name); }`), ["reliability.structured-logging:logger@2:@nestjs/common"]);
    assert.deepEqual(signals(`import Fastify from "fastify";\nconst app = Fastify({ logger: true });`), ["reliability.structured-logging:logger@2:fastify"]);
    assert.deepEqual(signals(`import Fastify from "fastify";\nconst app = Fastify({ logger: false });\nclass Logger {}\nnew Logger();`), []);
  });
});
