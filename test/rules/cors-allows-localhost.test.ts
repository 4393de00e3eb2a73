import { corsAllowsLocalhost } from "../../rules/catalogue/cors-allows-localhost";
import { testRule } from "../rule-tester";

const DEV_ONLY = `process.env.NODE_ENV !== "production"`;

testRule(corsAllowsLocalhost, {
  valid: [
    {
      name: "localhost only when not in production (ternary)",
      code: `import cors from "cors";
import express from "express";

const app = express();
const isProduction = process.env.NODE_ENV === "production";
const prodOrigins = ["https://app.example.com"];
app.use(cors({ origin: isProduction ? prodOrigins : ["http://localhost:5173"], credentials: true }));`,
    },
    {
      name: "NODE_ENV check on the allow-list constant",
      code: `import cors from "cors";

const allowedOrigins =
  process.env.NODE_ENV !== "production"
    ? ["http://localhost:3000", "http://127.0.0.1:3000"]
    : ["https://shop.example.com"];

export const corsMiddleware = cors({ origin: allowedOrigins });`,
    },
    {
      name: "a development-only spread",
      code: `import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

const isDev = process.env.NODE_ENV === "development";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors({
    origin: ["https://app.example.com", ...(isDev ? ["http://localhost:4200"] : [])],
    credentials: true,
  });
  await app.listen(3000);
}
bootstrap();`,
    },
    {
      name: "pushed only in development",
      code: `import cors from "cors";

const origins = ["https://app.example.com"];
if (process.env.NODE_ENV === "development") {
  origins.push("http://localhost:3000");
}
app.use(cors({ origin: origins }));`,
    },
    {
      name: "origins from environment variables",
      code: `import Fastify from "fastify";
import cors from "@fastify/cors";

const fastify = Fastify({ logger: true });
await fastify.register(cors, {
  origin: process.env.CORS_ORIGINS.split(","),
  credentials: true,
});`,
    },
    {
      name: "origins from configuration",
      code: `import config from "config";
import cors from "cors";

app.use(cors({ origin: config.get("cors.origins") }));`,
    },
    {
      name: "a localhost default when the environment says nothing",
      code: `import cors from "cors";

app.use(cors({ origin: process.env.FRONTEND_URL || "http://localhost:3000" }));`,
    },
    {
      name: "NestJS ConfigService with a localhost fallback",
      code: `async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  const configService = app.get(ConfigService);
  app.enableCors({ origin: configService.get<string>("CORS_ORIGIN")?.split(",") ?? ["http://localhost:4200"] });
  await app.listen(3000);
}`,
    },
    {
      name: "a default value of ConfigService.get",
      code: `async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  const configService = app.get(ConfigService);
  app.enableCors({ origin: configService.get<string>("FRONTEND_URL", "http://localhost:3000"), credentials: true });
}`,
    },
    {
      name: "the whole cors call only in development",
      code: `import cors from "cors";

if (process.env.NODE_ENV !== "production") {
  app.use(cors({ origin: "http://localhost:3000" }));
}`,
    },
    {
      name: "localhost URLs that are not CORS origins",
      code: `import cors from "cors";
import express from "express";

const app = express();
const redisUrl = "redis://localhost:6379";
const apiDocs = "http://localhost:3000/docs";
app.use(cors({ origin: ["https://app.example.com", "https://localhost-tools.example.com"] }));
app.listen(3000, () => console.log("listening on http://localhost:3000"));`,
    },
    {
      name: "a hand-set header with a production origin",
      code: `app.use((req, res, next) => {
  res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");
  next();
});`,
    },
    {
      name: "an origin function that only allows production origins",
      code: `import cors from "@koa/cors";

const allowed = new Set(["https://shop.example.com"]);
app.use(cors({ origin: (ctx) => (allowed.has(ctx.get("Origin")) ? ctx.get("Origin") : "") }));`,
    },
    {
      name: "a let reassigned for production",
      code: `import cors from "cors";

let corsOrigins = ["http://localhost:3000"];
if (process.env.NODE_ENV === "production") {
  corsOrigins = ["https://app.example.com"];
}
app.use(cors({ origin: corsOrigins }));`,
    },
    {
      name: "localhost accepted only with a development check after it",
      code: `import cors from "cors";

app.use(cors({
  origin(origin, callback) {
    if (origin?.startsWith("http://localhost:") && !isProduction) return callback(null, true);
    callback(null, allowedOrigins.includes(origin));
  },
}));`,
    },
    {
      name: "a CorsOptions object in its own module, guarded",
      file: "src/config/cors.ts",
      code: `import { CorsOptions } from "cors";

const allowedOrigins = process.env.NODE_ENV === "production"
  ? [process.env.FRONTEND_URL || ""]
  : ["http://localhost:3000"];

export const corsOptions: CorsOptions = {
  origin: allowedOrigins,
  credentials: true,
};`,
    },
    {
      name: "a test file may allow localhost",
      file: "test/app.e2e-spec.ts",
      code: `import cors from "cors";

app.use(cors({ origin: "http://localhost:3000" }));`,
    },
  ],
  invalid: [
    {
      name: "a localhost entry in a one-line allow-list",
      code: `import cors from "cors";
import express from "express";

const app = express();
const allowedOrigins = ["https://app.example.com", "http://localhost:3000"];
app.use(cors({ origin: allowedOrigins }));`,
      errors: [
        {
          line: 5,
          column: 52,
          endColumn: 75,
          message:
            "CORS allows http://localhost:3000 in production; any page on a developer's machine (or malware listening on that port) can call this API from a user's browser and read the responses.",
        },
      ],
      output: `import cors from "cors";
import express from "express";

const app = express();
const allowedOrigins = ["https://app.example.com", ...(${DEV_ONLY} ? ["http://localhost:3000"] : [])];
app.use(cors({ origin: allowedOrigins }));`,
    },
    {
      name: "two localhost entries in a multi-line list, with credentials: one fix moves both",
      code: `import cors from "cors";

const allowedOrigins = [
  "https://app.example.com",
  "http://localhost:3000",
  "https://admin.example.com",
  "http://127.0.0.1:5173", // vite
];

app.use(
  cors({
    origin: allowedOrigins,
    credentials: true,
  }),
);`,
      errors: [
        { line: 5, column: 3, message: /^CORS allows http:\/\/localhost:3000 in production, with credentials; .*user's cookies/ },
        { line: 7, column: 3, message: /^CORS allows http:\/\/127\.0\.0\.1:5173 in production, with credentials/ },
      ],
      output: `import cors from "cors";

const allowedOrigins = [
  "https://app.example.com",
  "https://admin.example.com",
  ...(${DEV_ONLY} ? ["http://localhost:3000", "http://127.0.0.1:5173"] : []),
];

app.use(
  cors({
    origin: allowedOrigins,
    credentials: true,
  }),
);`,
    },
    {
      name: "NestJS enableCors with a single localhost origin",
      code: `import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors({ origin: 'http://localhost:4200', credentials: true });
  await app.listen(3000);
}
bootstrap();`,
      errors: [{ line: 6, column: 28, message: /^CORS allows http:\/\/localhost:4200 in production, with credentials/ }],
      output: `import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors({ origin: process.env.NODE_ENV !== 'production' ? 'http://localhost:4200' : process.env.CORS_ORIGIN, credentials: true });
  await app.listen(3000);
}
bootstrap();`,
    },
    {
      name: "NestFactory.create with cors options: every origin is local",
      code: `const app = await NestFactory.create(AppModule, {
  cors: { origin: ["http://localhost:4200", "http://localhost:3000"] },
});`,
      errors: [{ line: 2, column: 20 }, { line: 2, column: 45 }],
      output: `const app = await NestFactory.create(AppModule, {
  cors: { origin: [...(${DEV_ONLY} ? ["http://localhost:4200", "http://localhost:3000"] : [])] },
});`,
    },
    {
      name: "Fastify: a RegExp matching localhost",
      code: `import Fastify from "fastify";
import fastifyCors from "@fastify/cors";

const app = Fastify();
app.register(fastifyCors, {
  origin: [/\\.example\\.com$/, /localhost:\\d+$/],
});`,
      errors: [{ line: 6, column: 31, message: /^CORS allows \/localhost:\\d\+\$\/ in production;/ }],
      output: `import Fastify from "fastify";
import fastifyCors from "@fastify/cors";

const app = Fastify();
app.register(fastifyCors, {
  origin: [/\\.example\\.com$/, ...(${DEV_ONLY} ? [/localhost:\\d+$/] : [])],
});`,
    },
    {
      name: "an origin callback checking a whitelist (no trailing comma)",
      code: `const cors = require('cors');

const whitelist = [
  'https://example.com',
  'http://localhost:8080'
];
const corsOptions = {
  origin: function (origin, callback) {
    if (!origin || whitelist.indexOf(origin) !== -1) {
      callback(null, true);
    } else {
      callback(new Error('Not allowed by CORS'));
    }
  },
};
app.use(cors(corsOptions));`,
      errors: [{ line: 5, column: 3, message: /http:\/\/localhost:8080/ }],
      output: `const cors = require('cors');

const whitelist = [
  'https://example.com',
  ...(process.env.NODE_ENV !== 'production' ? ['http://localhost:8080'] : [])
];
const corsOptions = {
  origin: function (origin, callback) {
    if (!origin || whitelist.indexOf(origin) !== -1) {
      callback(null, true);
    } else {
      callback(new Error('Not allowed by CORS'));
    }
  },
};
app.use(cors(corsOptions));`,
    },
    {
      name: "the last entry is kept: a comma is added before the spread",
      code: `const cors = require("cors");
app.use(cors({
  origin: [
    "http://localhost:3000",
    "https://app.example.com"
  ],
}));`,
      errors: [{ line: 4, column: 5 }],
      output: `const cors = require("cors");
app.use(cors({
  origin: [
    "https://app.example.com",
    ...(${DEV_ONLY} ? ["http://localhost:3000"] : [])
  ],
}));`,
    },
    {
      name: "CRLF line endings are kept",
      code: `import cors from "cors";\r\nconst origins = [\r\n  "https://app.example.com",\r\n  "http://localhost:3000",\r\n];\r\napp.use(cors({ origin: origins }));\r\n`,
      errors: [{ line: 4, column: 3 }],
      output: `import cors from "cors";\r\nconst origins = [\r\n  "https://app.example.com",\r\n  ...(${DEV_ONLY} ? ["http://localhost:3000"] : []),\r\n];\r\napp.use(cors({ origin: origins }));\r\n`,
    },
    {
      name: "Koa origin function with an inline allow-list",
      code: `import Koa from "koa";
import cors from "@koa/cors";

const app = new Koa();
app.use(
  cors({
    origin: (ctx) => {
      const allowed = ["https://shop.example.com", "http://localhost:8080"];
      const origin = ctx.get("Origin");
      return allowed.includes(origin) ? origin : "";
    },
  }),
);`,
      errors: [{ line: 8, column: 52 }],
      output: `import Koa from "koa";
import cors from "@koa/cors";

const app = new Koa();
app.use(
  cors({
    origin: (ctx) => {
      const allowed = ["https://shop.example.com", ...(${DEV_ONLY} ? ["http://localhost:8080"] : [])];
      const origin = ctx.get("Origin");
      return allowed.includes(origin) ? origin : "";
    },
  }),
);`,
    },
    {
      name: "Koa single string origin: no automatic fix (an unset variable would mean '*')",
      code: `import cors from "@koa/cors";

app.use(cors({ origin: "http://localhost:3000" }));`,
      errors: [{ line: 3, column: 24 }],
      output: null,
    },
    {
      name: "hand-rolled CORS middleware echoing an allow-listed Origin",
      code: `const allowedOrigins = ["https://app.example.com", "http://localhost:3000"];

app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
  }
  next();
});`,
      errors: [{ line: 1, column: 52, message: /with credentials/ }],
      output: `const allowedOrigins = ["https://app.example.com", ...(${DEV_ONLY} ? ["http://localhost:3000"] : [])];

app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
  }
  next();
});`,
    },
    {
      name: "a hand-set localhost header (Koa ctx.set)",
      code: `router.get("/api/products", async (ctx) => {
  ctx.set("Access-Control-Allow-Origin", "http://localhost:3000");
  ctx.body = await products.list();
});`,
      errors: [{ line: 2, column: 42 }],
      output: null,
    },
    {
      name: "pushed without an environment check",
      code: `import cors from "cors";

const origins = [process.env.FRONTEND_URL];
origins.push("http://localhost:5173");
app.use(cors({ origin: origins }));`,
      errors: [{ line: 4, column: 14 }],
      output: null,
    },
    {
      name: "a regex test inside the origin callback",
      code: `import cors from "cors";

app.use(cors({
  origin: (origin, callback) => {
    if (!origin || /^http:\\/\\/localhost:\\d+$/.test(origin) || origin === process.env.CORS_ORIGIN) {
      callback(null, true);
    } else {
      callback(new Error("Not allowed by CORS"));
    }
  },
}));`,
      errors: [{ line: 5, column: 20 }],
      output: null,
    },
    {
      name: "compared next to a configured origin (not an environment check)",
      code: `import cors from "cors";

app.use(cors({
  origin: (origin, callback) => {
    if (!origin || origin === process.env.FRONTEND_URL || origin === "http://localhost:3000") {
      return callback(null, true);
    }
    callback(new Error("Not allowed by CORS"));
  },
  credentials: true,
}));`,
      errors: [{ line: 5, column: 70, message: /with credentials/ }],
      output: null,
    },
    {
      name: "a template literal with the port, and an object-property allow-list",
      code: `import cors from "cors";

const PORT = process.env.PORT ?? 3000;
const config = { cors: { origins: ["https://app.example.com", \`http://localhost:\${PORT}\`] } };
app.use(cors({ origin: config.cors.origins }));`,
      errors: [{ line: 4, column: 63, message: /^CORS allows `http:\/\/localhost:\$\{PORT\}` in production/ }],
      output: `import cors from "cors";

const PORT = process.env.PORT ?? 3000;
const config = { cors: { origins: ["https://app.example.com", ...(${DEV_ONLY} ? [\`http://localhost:\${PORT}\`] : [])] } };
app.use(cors({ origin: config.cors.origins }));`,
    },
    {
      name: "a comma-separated list split at run time",
      code: `import cors from "cors";

const origins = "https://app.example.com,http://localhost:3000".split(",");
app.use(cors({ origin: origins }));`,
      errors: [{ line: 3, column: 17, message: /^CORS allows http:\/\/localhost:3000 in production/ }],
      output: null,
    },
    {
      name: "a CorsOptions object in its own module",
      file: "src/config/corsConfig.ts",
      code: `import type { CorsOptions } from "cors";

export const corsOptions: CorsOptions = {
  origin: ['https://localhost', 'https://localhost:3000'],
  methods: ['GET', 'POST', 'OPTIONS'],
  credentials: true,
};`,
      errors: [
        { line: 4, column: 12, message: /^CORS allows https:\/\/localhost in production, with credentials/ },
        { line: 4, column: 33 },
      ],
      output: `import type { CorsOptions } from "cors";

export const corsOptions: CorsOptions = {
  origin: [...(process.env.NODE_ENV !== 'production' ? ['https://localhost', 'https://localhost:3000'] : [])],
  methods: ['GET', 'POST', 'OPTIONS'],
  credentials: true,
};`,
    },
    {
      name: "module.exports of a cors config file",
      file: "config/cors.js",
      code: `module.exports = {
  origin: "http://localhost:5173",
  optionsSuccessStatus: 200,
};`,
      errors: [{ line: 2, column: 11 }],
      output: null,
    },
    {
      name: "a FRONTEND_URL constant used as the origin",
      code: `import cors from "cors";

const FRONTEND_URL = "http://localhost:3000";
app.use(cors({ origin: FRONTEND_URL, credentials: true }));`,
      errors: [{ line: 3, column: 22 }],
      output: `import cors from "cors";

const FRONTEND_URL = "http://localhost:3000";
app.use(cors({ origin: ${DEV_ONLY} ? FRONTEND_URL : process.env.CORS_ORIGIN, credentials: true }));`,
    },
  ],
});
