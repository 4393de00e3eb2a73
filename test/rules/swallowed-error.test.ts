import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { swallowedError } from "../../rules/catalogue/swallowed-error";
import { analyzeFile } from "../../rules/engine";
import { applyEdits } from "../../rules/fixes";
import { runRule, testRule } from "../rule-tester";

testRule(swallowedError, {
  valid: [
    {
      name: "reported to Sentry and rethrown",
      code: `import * as Sentry from "@sentry/node";
export async function syncCustomer(id: string) {
  try {
    await crm.customers.update(id);
  } catch (err) {
    Sentry.captureException(err);
    throw err;
  }
}`,
    },
    {
      name: "Express: handed to next(err)",
      code: `import { Router } from "express";
export const orders = Router();
orders.get("/:id", async (req, res, next) => {
  try {
    res.json(await ordersService.find(req.params.id));
  } catch (err) {
    next(err);
  }
});`,
    },
    {
      name: "Express: answered with a 500 after logging",
      code: `app.post("/checkout", async (req, res) => {
  try {
    res.json(await checkout(req.body));
  } catch (err) {
    console.error(err);
    res.status(500).json({ error: "checkout failed" });
  }
});`,
    },
    {
      name: "Fastify: reply.code(500).send()",
      code: `fastify.get("/report", async (request, reply) => {
  try {
    return await buildReport(request.query);
  } catch (error) {
    request.log.error(error);
    return reply.code(500).send({ message: "report failed" });
  }
});`,
    },
    {
      name: "Koa: ctx.status = 500",
      code: `import Koa from "koa";
const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = 500;
    ctx.app.emit("error", err, ctx);
  }
});`,
    },
    {
      name: "a structured logger call counts as handled",
      code: `import { logger } from "./logger";
export async function sendDigest(userId: string) {
  try {
    await mailer.sendDigest(userId);
  } catch (err) {
    logger.error({ err, userId }, "digest failed");
  }
}`,
    },
    {
      name: "a deliberate fallback value",
      code: `export async function findAvatar(userId: string) {
  try {
    return await storage.getSignedUrl(\`avatars/\${userId}\`);
  } catch {
    return null;
  }
}`,
    },
    {
      name: "a commented empty catch",
      code: `export async function warmCache() {
  try {
    await cache.prime();
  } catch {
    // the cache is optional: a cold start is fine
  }
}`,
    },
    {
      name: "a commented console-only catch",
      code: `export async function ping() {
  try {
    await metrics.ping();
  } catch (e) { /* metrics are best effort */ console.warn(e); }
}`,
    },
    {
      name: "a JSON.parse attempt with a fallback",
      code: `export function parseCookie(raw: string) {
  let session = {};
  try {
    session = JSON.parse(decodeURIComponent(raw));
  } catch {}
  return session;
}`,
    },
    {
      name: "best-effort cleanup of a temp file and connections",
      code: `import fs from "node:fs";
export async function shutdown(tmpFile: string) {
  try { fs.unlinkSync(tmpFile); } catch {}
  try {
    await prisma.$disconnect();
  } catch (e) {
    console.warn("disconnect failed", e);
  }
  await fs.promises.rm(tmpFile + ".lock").catch(() => {});
  await redis.quit().catch(() => {});
}`,
    },
    {
      name: "promise handlers that handle",
      code: `app.get("/stats", (req, res, next) => {
  loadStats().then((stats) => res.json(stats)).catch(next);
});
app.get("/flags", (req, res, next) => {
  loadFlags().then((f) => res.json(f)).catch((err) => next(err));
});
export const optionalConfig = loadRemoteConfig().catch(() => null);`,
    },
    {
      name: "logged, then the process exits",
      code: `async function main() {
  try {
    await app.listen({ port: 3000 });
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
}`,
    },
    {
      name: "logged and rethrown",
      code: `export async function charge(id: string) {
  try {
    return await stripe.charges.capture(id);
  } catch (e) {
    console.error("capture failed", e);
    throw e;
  }
}`,
    },
    {
      name: "Sentry captures console.error workspace-wide",
      code: `export async function notify(userId: string) {
  try {
    await push.send(userId);
  } catch (err) {
    console.error(err);
  }
}`,
      otherFiles: [
        {
          file: "src/instrument.ts",
          code: `import * as Sentry from "@sentry/node";
Sentry.init({ dsn: process.env.SENTRY_DSN, integrations: [Sentry.captureConsoleIntegration({ levels: ["error"] })] });`,
        },
      ],
    },
    {
      name: "a variable with a default, assigned in the try: the default is the fallback",
      code: `import { execSync } from "node:child_process";
export async function buildInfo() {
  let commit = "unknown";
  try {
    commit = execSync("git rev-parse --short HEAD").toString().trim();
  } catch {}
  let region = process.env.AWS_REGION ?? "us-east-1";
  try {
    region = await metadata.region();
  } catch (err) {
    console.warn("instance metadata unavailable, using", region);
  }
  return { commit, region };
}`,
    },
    {
      name: "best-effort cleanup inside finally",
      code: `export async function convert(upload: Upload) {
  const dir = await mkdtemp(join(tmpdir(), "convert-"));
  try {
    return await runConverter(upload, dir);
  } finally {
    try {
      await removeRecursive(dir);
    } catch {
    }
  }
}`,
    },
    {
      name: "an underscore-named catch variable marks an intentional ignore",
      code: `export async function tryParseUrl(value: string) {
  let url: URL | undefined;
  try { url = new URL(value, process.env.PUBLIC_URL); await audit(url); } catch (_err) {}
  return url;
}`,
    },
    {
      name: "console here is a parameter, not the global console",
      code: `export async function runTask(task: () => Promise<void>, console: { error(e: unknown): void }) {
  try {
    await task();
  } catch (err) {
    console.error(err);
  }
  task().catch((e) => console.error(e));
}`,
    },
    {
      name: "a test file",
      file: "src/orders/orders.service.spec.ts",
      code: `it("ignores failures", async () => {
  try {
    await service.fail();
  } catch (e) {}
});`,
    },
  ],
  invalid: [
    {
      name: "Express: only console.error, and the request is answered as a success",
      code: `import express from "express";
const app = express();
app.post("/invite", async (req, res) => {
  try {
    await mailer.send(req.body.email, "You are invited");
  } catch (err) {
    console.error(err);
  }
  res.json({ ok: true });
});`,
      errors: [{ line: 6, column: 5, endLine: 6, endColumn: 16, message: /only prints the error to the console/ }],
      output: null,
    },
    {
      name: "empty catch with a parameter",
      code: `export async function publish(event: object) {
  try {
    await queue.send(event);
  } catch (e) {}
}`,
      errors: [{ line: 4, column: 5, endColumn: 14, message: /^Empty catch block/ }],
      output: null,
    },
    {
      name: "NestJS service: optional-binding empty catch",
      code: `import { Injectable } from "@nestjs/common";
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}
  async record(action: string, userId: string) {
    try {
      await this.prisma.auditLog.create({ data: { action, userId } });
    } catch {
    }
  }
}`,
      errors: [{ line: 8, column: 7, endColumn: 12 }],
    },
    {
      name: "Fastify: typed catch variable, multi-line empty block",
      code: `fastify.post("/webhooks/stripe", async (request, reply) => {
  try {
    await handleStripeEvent(request.body);
  } catch (error: unknown) {

  }
  return reply.send({ received: true });
});`,
      errors: [{ line: 4, column: 5, endColumn: 27 }],
    },
    {
      name: "Koa: log then bare return",
      code: `router.put("/users/:id", async (ctx) => {
  try {
    ctx.body = await users.update(ctx.params.id, ctx.request.body);
  } catch (err) {
    console.log("update failed", err);
    return;
  }
});`,
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: "a tracker elsewhere does not see console output",
      code: `export async function refreshRates() {
  try {
    await rates.refresh();
  } catch (err) {
    console.warn("could not refresh rates");
    console.error(err);
  }
}`,
      otherFiles: [{ file: "src/instrument.ts", code: `import * as Sentry from "@sentry/node";\nSentry.init({ dsn: process.env.SENTRY_DSN });` }],
      errors: [{ line: 4 }],
    },
    {
      name: "promise .catch with an empty handler",
      code: `export function warmUp() {
  loadPricingTable().catch(() => {});
}`,
      errors: [{ line: 2, column: 22, endColumn: 37, message: /^`\.catch\(\)` with an empty handler/ }],
      output: null,
    },
    {
      name: "promise .catch that only prints",
      code: `app.post("/signup", async (req, res) => {
  const user = await createUser(req.body);
  sendWelcomeEmail(user).catch((e) => console.error(e));
  analytics.track("signup", user.id).catch(console.error);
  audit.write(user).catch(function (err) {
    console.warn("audit failed", err);
  });
  res.status(201).json(user);
});`,
      errors: [{ line: 3, column: 26 }, { line: 4, column: 38 }, { line: 5, column: 21 }],
    },
    {
      name: "inside a loop of jobs",
      code: `export async function drain(jobs: Job[]) {
  for (const job of jobs) {
    try {
      await job.run();
    } catch (e) {
      console.error(\`job \${job.id} failed\`, e);
    }
  }
}`,
      errors: [{ line: 5, column: 7 }],
    },
  ],
});

describe("swallowed-error: suggestions and signals", () => {
  const suggestion = (code: string, index: number) => {
    const [finding] = runRule(swallowedError, { code });
    return applyEdits(code, finding.fixes[index].edits).text;
  };

  it("offers rethrow and a comment, neither preferred", () => {
    const code = `try {\n  await queue.send(event);\n} catch (e) {}\n`;
    const [finding] = runRule(swallowedError, { code });
    assert.equal(finding.fixes.length, 2);
    assert.ok(finding.fixes.every((fix) => !fix.preferred));
    assert.equal(suggestion(code, 0), `try {\n  await queue.send(event);\n} catch (e) { throw e; }\n`);
    assert.equal(suggestion(code, 1), `try {\n  await queue.send(event);\n} catch (e) { /* Ignored on purpose: <say why> */ }\n`);
  });

  it("rethrows after the console call, on its own line", () => {
    const code = `async function f() {\n  try {\n    await a();\n  } catch (err) {\n    console.error(err)\n  }\n}\n`;
    assert.equal(suggestion(code, 0), `async function f() {\n  try {\n    await a();\n  } catch (err) {\n    console.error(err)\n    throw err;\n  }\n}\n`);
  });

  it("rethrows inline after a statement without semicolon, and binds a name for catch {}", () => {
    assert.equal(suggestion(`try { a() } catch (e) { console.log(e) }`, 0), `try { a() } catch (e) { console.log(e); throw e; }`);
    assert.equal(suggestion(`try { a() } catch {}`, 0), `try { a() } catch (err) { throw err; }`);
    assert.equal(suggestion(`try {\n  a();\n} catch {\n}`, 0), `try {\n  a();\n} catch (err) {\n  throw err;\n}`);
    assert.equal(suggestion(`try { a() } catch (e) { console.log(e); return; }`, 0), `try { a() } catch (e) { console.log(e); throw e; }`);
  });

  it("signals error trackers", () => {
    const signals = (code: string) =>
      analyzeFile({ file: "src/instrument.ts", text: code, production: true }, [{ rule: swallowedError, options: {} }]).signals.map((s) => `${s.name}@${s.line}:${s.detail}`);
    assert.deepEqual(signals(`import * as Sentry from "@sentry/node";\nSentry.init({ dsn: process.env.SENTRY_DSN });`), ["reliability.error-tracking:tracker@2:@sentry/node"]);
    assert.deepEqual(signals(`const tracer = require("dd-trace").init();`), ["reliability.error-tracking:tracker@1:dd-trace"]);
    assert.deepEqual(signals(`import "dd-trace/init";`), ["reliability.error-tracking:tracker@1:dd-trace/init"]);
    assert.deepEqual(signals(`require("newrelic");\nconst app = require("express")();`), ["reliability.error-tracking:tracker@1:newrelic"]);
    assert.deepEqual(signals(`import Rollbar from "rollbar";\nexport const rollbar = new Rollbar({ accessToken: process.env.ROLLBAR_TOKEN });`), ["reliability.error-tracking:tracker@2:rollbar"]);
    assert.deepEqual(signals(`import Bugsnag from "@bugsnag/js";\nBugsnag.start({ apiKey: process.env.BUGSNAG_KEY! });`), ["reliability.error-tracking:tracker@2:@bugsnag/js"]);
    assert.deepEqual(signals(`import Honeybadger from "@honeybadger-io/js";\nHoneybadger.configure({ apiKey: "x" });`), ["reliability.error-tracking:tracker@2:@honeybadger-io/js"]);
    assert.deepEqual(signals(`import * as Sentry from "@sentry/node";\nSentry.captureException(new Error("x"));`), []);
  });
});
