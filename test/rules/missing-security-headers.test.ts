import { missingSecurityHeaders } from "../../rules/catalogue/missing-security-headers";
import { testRule } from "../rule-tester";

const MESSAGE =
  "This Express app has no complete set of security headers: helmet is registered nowhere in the workspace, and Content-Security-Policy, X-Content-Type-Options and X-Frame-Options are not all set by hand; register helmet on it.";

testRule(missingSecurityHeaders, {
  valid: [
    {
      name: "express with helmet",
      code: `import express from "express";
import helmet from "helmet";

const app = express();
app.use(helmet());
app.use(express.json());
app.listen(3000);`,
    },
    {
      name: "helmet registered in another file of the workspace",
      file: "src/app.ts",
      code: `import express from "express";
import { securityMiddleware } from "./middleware/security";

export const app = express();
app.use(securityMiddleware);`,
      otherFiles: [
        {
          file: "src/middleware/security.ts",
          code: `import helmet from "helmet";

export const securityMiddleware = helmet({
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } },
});`,
        },
      ],
    },
    {
      name: "Fastify with @fastify/helmet",
      code: `import Fastify from "fastify";
import fastifyHelmet from "@fastify/helmet";

const fastify = Fastify({ logger: true });
await fastify.register(fastifyHelmet, { contentSecurityPolicy: false });`,
    },
    {
      name: "Koa with koa-helmet",
      code: `const Koa = require("koa");
const helmet = require("koa-helmet");

const app = new Koa();
app.use(helmet());`,
    },
    {
      name: "NestJS with helmet in main.ts",
      code: `import { NestFactory } from "@nestjs/core";
import helmet from "helmet";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(helmet());
  await app.listen(3000);
}
bootstrap();`,
    },
    {
      name: "NestJS on Fastify registers @fastify/helmet",
      code: `import { NestFactory } from "@nestjs/core";
import { FastifyAdapter, NestFastifyApplication } from "@nestjs/platform-fastify";
import helmet from "@fastify/helmet";

const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
await app.register(helmet);`,
    },
    {
      name: "only helmet's single-header middlewares",
      code: `import express from "express";
import helmet from "helmet";

const app = express();
app.use(helmet.contentSecurityPolicy({ directives: { defaultSrc: ["'self'"] } }));
app.use(helmet.frameguard({ action: "deny" }));`,
    },
    {
      name: "security headers set by hand elsewhere",
      file: "src/server.js",
      code: `const express = require("express");
const securityHeaders = require("./security-headers");

const app = express();
app.use(securityHeaders);`,
      otherFiles: [
        {
          file: "src/security-headers.js",
          code: `module.exports = function securityHeaders(req, res, next) {
  res.set({
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
  });
  res.setHeader("X-Frame-Options", "DENY");
  next();
};`,
        },
      ],
    },
    {
      name: "a sub-app mounted on a main app that has helmet",
      file: "src/admin/app.ts",
      code: `import express from "express";

export const adminApp = express();
adminApp.get("/stats", statsHandler);`,
      otherFiles: [
        {
          file: "src/server.ts",
          code: `import express from "express";
import helmet from "helmet";
import { adminApp } from "./admin/app";

const app = express();
app.use(helmet());
app.use("/admin", adminApp);`,
        },
      ],
    },
    {
      name: "a router is not an app",
      code: `import express, { Router } from "express";

export const router = Router();
export const v2 = express.Router();
router.use(express.json());`,
    },
    {
      name: "a Lambda handler without an app",
      code: `import type { APIGatewayProxyHandler } from "aws-lambda";

export const handler: APIGatewayProxyHandler = async () => ({ statusCode: 200, body: "ok" });`,
    },
    {
      name: "a test file builds an app without helmet",
      file: "test/users.e2e.test.ts",
      code: `import express from "express";
const app = express();`,
    },
    {
      name: "a script builds an app without helmet",
      file: "scripts/mock-server.ts",
      code: `import express from "express";
express().listen(4000);`,
    },
  ],
  invalid: [
    {
      name: "express without helmet",
      code: `import express from "express";

const app = express();
app.use(express.json());
app.listen(3000);`,
      errors: [{ line: 3, column: 13, endColumn: 22, message: MESSAGE }],
    },
    {
      name: "helmet declared in package.json but never registered",
      code: `const express = require("express");
const app = express();
module.exports = app;`,
      packages: ["express", "helmet"],
      errors: [{ line: 2, column: 13 }],
    },
    {
      name: "Fastify",
      code: `import Fastify from "fastify";

const fastify = Fastify({ logger: true });
fastify.get("/health", async () => ({ status: "ok" }));`,
      errors: [{ line: 3, column: 17, message: /^This Fastify app has no complete set of security headers/ }],
    },
    {
      name: "Fastify created inline with require",
      code: `const fastify = require("fastify")({ logger: true });
fastify.listen({ port: 3000 });`,
      errors: [{ line: 1, column: 17 }],
    },
    {
      name: "Koa",
      code: `import Koa from "koa";
import bodyParser from "koa-bodyparser";

const app = new Koa();
app.use(bodyParser());`,
      errors: [{ line: 4, column: 13, message: /^This Koa app/ }],
    },
    {
      name: "NestJS",
      code: `import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  await app.listen(3000);
}
bootstrap();`,
      errors: [{ line: 5, column: 21, message: /^This NestJS app/ }],
    },
    {
      name: "a few headers set by hand are not a complete set",
      code: `import express from "express";
import { securityHeaders } from "./middleware/security";

export function createApp() {
  const app = express();
  app.use(securityHeaders);
  return app;
}`,
      otherFiles: [
        {
          file: "src/middleware/security.ts",
          code: `export function securityHeaders(_req, res, next) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  next();
}`,
        },
      ],
      errors: [{ line: 5, column: 15 }],
    },
    {
      name: "two apps in one file, ESM namespace import",
      code: `import * as express from "express";

export const app = express();
export const metricsApp = express();
metricsApp.get("/metrics", metricsHandler);`,
      errors: [{ line: 3, column: 20 }, { line: 4, column: 27 }],
    },
    {
      name: "other files without helmet change nothing",
      file: "src/main.ts",
      code: `import express from "express";
import { routes } from "./routes";

const app = express();
app.use(routes);`,
      otherFiles: [{ file: "src/routes.ts", code: `import { Router } from "express";\nexport const routes = Router();` }],
      errors: [{ line: 4, column: 13 }],
    },
  ],
});
