import { corsWildcardOrigin } from "../../rules/catalogue/cors-wildcard-origin";
import { testRule } from "../rule-tester";

testRule(corsWildcardOrigin, {
  valid: [
    {
      name: "an explicit allow-list with credentials",
      code: `import cors from "cors";
import express from "express";

const app = express();
app.use(
  cors({
    origin: ["https://app.example.com", "https://admin.example.com"],
    credentials: true,
  }),
);`,
    },
    {
      name: "NestJS: origins from the environment",
      code: `import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors({ origin: process.env.CORS_ORIGIN?.split(","), credentials: true });
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();`,
    },
    {
      name: "NestFactory.create with an allow-list",
      code: `const app = await NestFactory.create(AppModule, {
  cors: { origin: ["https://app.example.com"], credentials: true },
});`,
    },
    {
      name: "origin: false turns CORS off",
      code: `import cors from "cors";

router.get("/internal/metrics", cors({ origin: false }), metricsHandler);`,
    },
    {
      name: "Fastify with a RegExp allow-list",
      code: `import Fastify from "fastify";
import cors from "@fastify/cors";

const fastify = Fastify({ logger: true });
await fastify.register(cors, {
  origin: [/\\.example\\.com$/, "https://partner.io"],
  credentials: true,
});`,
    },
    {
      name: "echoing the Origin after an allow-list check",
      code: `const allowedOrigins = new Set(process.env.CORS_ORIGINS?.split(",") ?? []);

app.use((req, res, next) => {
  const { origin } = req.headers;
  if (origin && allowedOrigins.has(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.setHeader("Vary", "Origin");
  }
  next();
});`,
    },
    {
      name: "echoing the Origin after an early return",
      code: `export function corsMiddleware(req, res, next) {
  const origin = req.get("origin");
  if (!isAllowedOrigin(origin)) return next();
  res.set("Access-Control-Allow-Origin", origin);
  next();
}`,
    },
    {
      name: "echoing a short-named origin local after checking it",
      code: `router.use((req, res, next) => {
  const o = req.get("Origin");
  if (o !== undefined && TRUSTED.includes(o)) res.set("Access-Control-Allow-Origin", o);
  next();
});`,
    },
    {
      name: "Koa origin function with a check",
      code: `import Koa from "koa";
import cors from "@koa/cors";

const app = new Koa();
app.use(cors({
  origin: (ctx) => {
    const origin = ctx.get("Origin");
    return ALLOWED.includes(origin) ? origin : "";
  },
  credentials: true,
}));`,
    },
    {
      name: "an options delegate and options from another module",
      code: `import cors from "cors";
import { corsOptions } from "./config/cors";

const corsOptionsDelegate = (req, callback) => callback(null, { origin: lookupTenantOrigins(req) });
app.use("/api", cors(corsOptionsDelegate));
app.use("/public", cors(corsOptions));`,
    },
    {
      name: "wide-open CORS only in development",
      code: `import cors from "cors";

if (process.env.NODE_ENV !== "production") {
  app.use(cors());
}
app.use(cors({ origin: process.env.NODE_ENV === "production" ? "https://app.example.com" : "*" }));`,
    },
    {
      name: "a wildcard default replaced in production",
      code: `import cors from "cors";

let corsOrigin = "*";
if (process.env.NODE_ENV === "production") corsOrigin = "https://app.example.com";
app.use(cors({ origin: corsOrigin }));`,
    },
    {
      name: "a CORS options object reflecting origins only in development",
      file: "src/config/cors.ts",
      code: `import { env } from "./env";

export const corsOptions = {
  origin: env.NODE_ENV === "development" ? true : ["https://app.example.com"],
  credentials: true,
};`,
    },
    {
      name: "a spread after the origin may replace it",
      code: `import cors from "cors";
import { corsOverrides } from "./config";

app.use(cors({ origin: "*", ...corsOverrides }));`,
    },
    {
      name: "a client request that (pointlessly) sends the header",
      code: `const response = await axios.get(url, { headers: { "Access-Control-Allow-Origin": "*" } });`,
    },
    {
      name: "a test file may allow every origin",
      file: "src/app.spec.ts",
      code: `import cors from "cors";

app.use(cors());`,
    },
  ],
  invalid: [
    {
      name: "express cors() with no options",
      code: `import cors from "cors";
import express from "express";

const app = express();
app.use(cors());
app.use(express.json());`,
      errors: [
        {
          line: 5,
          column: 9,
          endColumn: 15,
          severity: "warning",
          message:
            "`cors()` with no origin option lets every website call this API from a user's browser and read the responses; pass an explicit allow-list instead, e.g. `origin: [\"https://app.example.com\"]` or one read from an environment variable.",
        },
      ],
    },
    {
      name: "origin '*' through an options constant",
      code: `const cors = require("cors");

const corsOptions = {
  origin: "*",
  methods: ["GET", "POST"],
};
app.use(cors(corsOptions));`,
      errors: [{ line: 4, column: 11, severity: "warning", message: /^`origin: "\*"` lets every website/ }],
    },
    {
      name: "NestJS enableCors() with no options",
      code: `async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors();
  await app.listen(3000);
}`,
      errors: [{ line: 3, column: 3, message: /^`app\.enableCors\(\)` with no origin option/ }],
    },
    {
      name: "NestFactory.create with cors: true",
      code: `import { NestFactory } from "@nestjs/core";

const app = await NestFactory.create(AppModule, { cors: true, bufferLogs: true });`,
      errors: [{ line: 3, column: 51, message: /^NestJS `cors: true`/ }],
    },
    {
      name: "Fastify: reflecting every origin with credentials is an error",
      code: `import Fastify from "fastify";
import cors from "@fastify/cors";

const fastify = Fastify();
await fastify.register(cors, {
  origin: true,
  credentials: true,
});`,
      errors: [
        {
          line: 6,
          column: 11,
          severity: "error",
          message: /^`origin: true` \(which echoes back any request's Origin\), with credentials allowed, lets every website call this API with the user's cookies/,
        },
      ],
    },
    {
      name: "Fastify register with no options",
      code: `const fastify = require("fastify")();
fastify.register(require("@fastify/cors"));`,
      errors: [{ line: 2, column: 1, message: /^`fastify\.register\(require\("@fastify\/cors"\)\)` with no origin option/ }],
    },
    {
      name: "Fastify: '*' in the origin list",
      code: `import cors from "@fastify/cors";

app.register(cors, { origin: ["https://app.example.com", "*"] });`,
      errors: [{ line: 3, column: 58 }],
    },
    {
      name: "credentials without an origin (the default is every origin)",
      code: `import cors from "cors";

app.use(cors({ credentials: true, exposedHeaders: ["set-cookie"] }));`,
      errors: [{ line: 3, column: 9, severity: "error", message: /^`cors\(…\)` without an `origin` option/ }],
    },
    {
      name: "Koa: an origin function echoing the request's Origin, with credentials",
      code: `import cors from "@koa/cors";

app.use(cors({ origin: (ctx) => ctx.get("Origin"), credentials: true }));`,
      errors: [{ line: 3, column: 33, severity: "error", message: /^An `origin` function that accepts every origin, with credentials allowed/ }],
    },
    {
      name: "an origin callback that accepts everything",
      code: `import cors from "cors";

app.use(cors({
  origin: function (origin, callback) {
    callback(null, true);
  },
}));`,
      errors: [{ line: 5, column: 5, severity: "warning" }],
    },
    {
      name: "a hand-set wildcard header",
      code: `app.use((req, res, next) => {
  res.header("Access-Control-Allow-Origin", "*");
  res.header("Access-Control-Allow-Headers", "Origin, X-Requested-With, Content-Type, Accept");
  next();
});`,
      errors: [{ line: 2, column: 45, severity: "warning", message: /^`Access-Control-Allow-Origin: \*` lets every website/ }],
    },
    {
      name: "echoing any Origin with credentials (error)",
      code: `app.use(function (req, res, next) {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin || "*");
  res.setHeader("Access-Control-Allow-Credentials", "true");
  next();
});`,
      errors: [{ line: 2, column: 48, severity: "error", message: /^Echoing the request's Origin .*, with credentials allowed, lets/ }],
    },
    {
      name: "echoing any Origin under a condition that does not check it",
      code: `export async function generate(req, res) {
  if (req.body.stream) {
    res.setHeader("Access-Control-Allow-Origin", req.headers.origin || "*");
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.setHeader("Content-Type", "text/event-stream");
  }
}`,
      errors: [{ line: 3, column: 50, severity: "error" }],
    },
    {
      name: "echoing any Origin with a fixed fallback",
      code: `app.options("*", (req, res) => {
  res.header("Access-Control-Allow-Origin", req.headers.origin || "https://www.example.in");
  res.header("Access-Control-Allow-Methods", "GET,POST,PUT,DELETE,OPTIONS");
  res.status(204).send();
});`,
      errors: [{ line: 2, column: 45, severity: "warning", message: /^Echoing the request's Origin/ }],
    },
    {
      name: "an object of headers, Fastify reply.headers",
      code: `fastify.get("/feed", async (request, reply) => {
  reply.headers({ "access-control-allow-origin": "*", "content-type": "application/json" });
  return feed;
});`,
      errors: [{ line: 2, column: 50 }],
    },
    {
      name: "a CORS options object in its own module, with credentials",
      file: "src/config/cors.config.ts",
      code: `import type { CorsOptions } from "@nestjs/common/interfaces/external/cors-options.interface";

export const corsConfig: CorsOptions = {
  origin: "*",
  credentials: true,
};`,
      errors: [{ line: 4, column: 11, severity: "error" }],
    },
    {
      name: "NestJS @Header decorator",
      code: `import { Controller, Get, Header } from "@nestjs/common";

@Controller("reports")
export class ReportsController {
  @Get()
  @Header("Access-Control-Allow-Origin", "*")
  findAll() {
    return this.reportsService.findAll();
  }
}`,
      errors: [{ line: 6, column: 42 }],
    },
  ],
});
