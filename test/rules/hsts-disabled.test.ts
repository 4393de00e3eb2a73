import { hstsDisabled } from "../../rules/catalogue/hsts-disabled";
import { testRule } from "../rule-tester";

testRule(hstsDisabled, {
  valid: [
    {
      name: "helmet's defaults",
      code: `import express from "express";
import helmet from "helmet";

const app = express();
app.use(helmet());`,
    },
    {
      name: "one year written as an expression",
      code: `import helmet from "helmet";

app.use(
  helmet({
    contentSecurityPolicy: false,
    hsts: { maxAge: 60 * 60 * 24 * 365, includeSubDomains: true, preload: true },
  }),
);`,
    },
    {
      name: "helmet v7 naming with 180 days from a constant",
      code: `import helmet from "helmet";

const SIX_MONTHS_IN_SECONDS = 180 * 24 * 60 * 60;
app.use(helmet({ strictTransportSecurity: { maxAge: SIX_MONTHS_IN_SECONDS } }));`,
    },
    {
      name: "enabled only in production",
      code: `import helmet from "helmet";

app.use(helmet({ hsts: process.env.NODE_ENV === "production" }));`,
    },
    {
      name: "turned off only outside production",
      code: `import helmet from "helmet";

const isProduction = process.env.NODE_ENV === "production";
app.use(helmet({ hsts: isProduction ? { maxAge: 31536000 } : false }));`,
    },
    {
      name: "a development-only helmet setup",
      code: `import helmet from "helmet";

if (process.env.NODE_ENV !== "production") {
  app.use(helmet({ hsts: false, contentSecurityPolicy: false }));
} else {
  app.use(helmet());
}`,
    },
    {
      name: "max-age from the environment",
      code: `import helmet from "@fastify/helmet";

await fastify.register(helmet, { hsts: { maxAge: Number(process.env.HSTS_MAX_AGE) } });`,
    },
    {
      name: "a good header set by hand",
      code: `app.use((req, res, next) => {
  res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
  next();
});`,
    },
    {
      name: "other helmet options turned off",
      code: `const helmet = require("koa-helmet");

app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));`,
    },
    {
      name: "helmet options from another module",
      code: `import helmet from "helmet";
import { helmetOptions } from "./config/security";

app.use(helmet(helmetOptions));`,
    },
    {
      name: "a max-age variable raised in production",
      code: `import helmet from "helmet";

let hstsMaxAge = 300;
if (process.env.NODE_ENV === "production") hstsMaxAge = 31536000;
app.use(helmet({ hsts: { maxAge: hstsMaxAge } }));`,
    },
    {
      name: "a spread after hsts may turn it back on",
      code: `import helmet from "helmet";
import { productionHelmetOptions } from "./security";

app.use(helmet({ hsts: false, ...productionHelmetOptions }));`,
    },
    {
      name: "a test file may turn HSTS off",
      file: "test/helpers/app.ts",
      code: `import helmet from "helmet";
app.use(helmet({ hsts: false }));`,
    },
  ],
  invalid: [
    {
      name: "hsts: false next to other options",
      code: `import express from "express";
import helmet from "helmet";

const app = express();
app.use(
  helmet({
    hsts: false,
    contentSecurityPolicy: false,
  }),
);`,
      errors: [
        {
          line: 7,
          column: 5,
          endColumn: 16,
          message:
            "HSTS is turned off (`hsts: false`): browsers keep accepting plain-HTTP connections to this site, so a first request on a hostile network can be downgraded and its cookies and credentials read.",
        },
      ],
      output: `import express from "express";
import helmet from "helmet";

const app = express();
app.use(
  helmet({
    contentSecurityPolicy: false,
  }),
);`,
    },
    {
      name: "the only option: helmet() again",
      code: `import helmet from "helmet";

app.use(helmet({ strictTransportSecurity: false }));`,
      errors: [{ line: 3, column: 18, message: /`strictTransportSecurity: false`/ }],
      output: `import helmet from "helmet";

app.use(helmet());`,
    },
    {
      name: "Fastify register, last property on one line",
      code: `import fastifyHelmet from "@fastify/helmet";

await fastify.register(fastifyHelmet, { global: true, hsts: false });`,
      errors: [{ line: 3, column: 55 }],
      output: `import fastifyHelmet from "@fastify/helmet";

await fastify.register(fastifyHelmet, { global: true });`,
    },
    {
      name: "NestJS: the only option of register",
      code: `import helmet from "@fastify/helmet";

async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.register(helmet, { hsts: false });
  await app.listen(3000);
}`,
      errors: [{ line: 5, column: 32 }],
      output: `import helmet from "@fastify/helmet";

async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.register(helmet);
  await app.listen(3000);
}`,
    },
    {
      name: "a one-day max-age",
      code: `import helmet from "helmet";

app.use(helmet({ hsts: { maxAge: 86400, includeSubDomains: true } }));`,
      errors: [
        {
          line: 3,
          column: 34,
          endColumn: 39,
          message:
            "HSTS max-age is 86400 seconds, 1 day; browsers forget the HTTPS-only rule after that, and anything under 180 days (15552000 s) leaves users open to downgrade attacks between visits. Use at least 31536000 (one year).",
        },
      ],
      output: `import helmet from "helmet";

app.use(helmet({ hsts: { maxAge: 31536000, includeSubDomains: true } }));`,
    },
    {
      name: "helmet.hsts with a constant expression",
      code: `const helmet = require("helmet");

app.use(helmet.hsts({ maxAge: 60 * 60 * 24 * 30 }));`,
      errors: [{ line: 3, column: 31, message: /^HSTS max-age is 2592000 seconds, 30 days;/ }],
      output: `const helmet = require("helmet");

app.use(helmet.hsts({ maxAge: 31536000 }));`,
    },
    {
      name: "options in a same-file constant, maxAge 0",
      code: `import helmet from "koa-helmet";

const helmetConfig = {
  hsts: { maxAge: 0 },
};
app.use(helmet(helmetConfig));`,
      errors: [{ line: 4, column: 19, message: /^HSTS max-age=0 tells browsers to forget/ }],
      output: `import helmet from "koa-helmet";

const helmetConfig = {
  hsts: { maxAge: 31536000 },
};
app.use(helmet(helmetConfig));`,
    },
    {
      name: "a short header set by hand",
      code: `app.use((req, res, next) => {
  res.setHeader("Strict-Transport-Security", "max-age=3600; includeSubDomains");
  next();
});`,
      errors: [{ line: 2, column: 46, message: /^HSTS max-age is 3600 seconds, 1 hour;/ }],
      output: `app.use((req, res, next) => {
  res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});`,
    },
    {
      name: "max-age=0 set by Koa",
      code: `app.use(async (ctx, next) => {
  ctx.set('Strict-Transport-Security', 'max-age=0');
  await next();
});`,
      errors: [{ line: 2, column: 40, message: /max-age=0/ }],
      output: `app.use(async (ctx, next) => {
  ctx.set('Strict-Transport-Security', 'max-age=31536000');
  await next();
});`,
    },
    {
      name: "a template with a short constant: no automatic fix",
      code: `const ONE_WEEK = 7 * 24 * 3600;
reply.header("strict-transport-security", \`max-age=\${ONE_WEEK}\`);`,
      errors: [{ line: 2, column: 43, message: /^HSTS max-age is 604800 seconds, 7 days;/ }],
      output: null,
    },
  ],
});
