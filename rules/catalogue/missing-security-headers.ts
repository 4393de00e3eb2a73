import ts = require("typescript");
import { calleePath, localNamesOf, unwrap } from "../ast";
import type { Rule, RuleContext, Signal, WorkspaceFacts } from "../types";
import { inlineModule, mayBeModuleExpression, mayBeNestFactory, moduleOfExpression } from "./support/cors";
import { FASTIFY_HELMET_MODULES, HELMET_MODULES, helmetUseFilter, helmetUseOf } from "./support/helmet";
import { headerAssignments, maySetHeaders } from "./support/http-headers";

/** Read once: `ts` is a namespace of getters, and these checks run for every call of a file. */
const Kind = ts.SyntaxKind;

const HELMET_SIGNAL = "security.security-headers:helmet";
const MANUAL_SIGNAL = "security.security-headers:manual";

/** Headers helmet sets; set by hand they are recorded as evidence (`security.security-headers:manual`). */
const SECURITY_HEADERS = new Set([
  "content-security-policy",
  "x-content-type-options",
  "x-frame-options",
  "strict-transport-security",
  "referrer-policy",
  "permissions-policy",
  "cross-origin-opener-policy",
]);

const HEADER_MODULES = [...HELMET_MODULES, ...FASTIFY_HELMET_MODULES, "lusca"];

// Module lists passed to `moduleOfExpression` for every call: built once.
const KOA = ["koa"];
const EXPRESS_OR_FASTIFY = ["express", "fastify"];
const LUSCA = ["lusca"];
const DEFAULT_EXPORT = ["default"];
const APP_FACTORY_EXPORTS = ["default", "fastify"];

type Framework = "Express" | "Fastify" | "Koa" | "NestJS";

/** The framework an app-creating call or `new` belongs to: `express()`, `Fastify()`, `new Koa()`, `NestFactory.create(…)`. */
function appCreation(context: Pick<RuleContext, "imports">, node: ts.CallExpression | ts.NewExpression): Framework | undefined {
  const callee = unwrap(node.expression);
  if (ts.isNewExpression(node)) {
    return moduleOfExpression(context, callee, KOA, DEFAULT_EXPORT) !== undefined ? "Koa" : undefined;
  }
  if (ts.isCallExpression(callee)) {
    // require("express")(), require("fastify")({ logger: true })
    const module = inlineModule(callee);
    if (module === "express") return "Express";
    if (module === "fastify") return "Fastify";
    return undefined;
  }
  if (ts.isIdentifier(callee)) {
    const module = moduleOfExpression(context, callee, EXPRESS_OR_FASTIFY, APP_FACTORY_EXPORTS);
    if (module === "express") return "Express";
    if (module === "fastify") return "Fastify";
    return undefined;
  }
  // `….NestFactory.create` only: skips building the path of every other method call.
  if (ts.isPropertyAccessExpression(callee) && (callee.name.text !== "create" || !mayBeNestFactory(callee.expression))) return undefined;
  if (/(^|\.)NestFactory\.create$/.test(calleePath(node) ?? "")) return "NestJS";
  return undefined;
}

/**
 * Cheap pre-check for the call visitor over the calls of one file, on the callee's kind and names
 * only: a helmet use, a header set by hand, `NestFactory.create(…)`, `lusca.x(…)`, or a call of
 * express, fastify or lusca. Built once per file.
 */
function callFilter(context: Pick<RuleContext, "imports">): (node: ts.CallExpression) => boolean {
  const mayUseHelmet = helmetUseFilter(context);
  const lusca = localNamesOf(context, ...LUSCA);
  const appsAndLusca = localNamesOf(context, ...EXPRESS_OR_FASTIFY, ...LUSCA);
  return (node) => {
    if (mayUseHelmet(node) || maySetHeaders(node)) return true;
    const callee = node.expression;
    if (callee.kind === Kind.PropertyAccessExpression) {
      const { expression: receiver, name } = callee as ts.PropertyAccessExpression;
      return (name.text === "create" && mayBeNestFactory(receiver)) || mayBeModuleExpression(lusca, receiver);
    }
    if (callee.kind === Kind.Identifier || callee.kind === Kind.CallExpression) return mayBeModuleExpression(appsAndLusca, callee);
    return true; // parentheses, element access…: the full check decides
  };
}

/** The headers a hand-rolled setup must send, at least, to count as a security-headers implementation. */
const CORE_HEADERS = ["content-security-policy", "x-content-type-options", "x-frame-options"];

function headersAreHandled(facts: WorkspaceFacts): boolean {
  if (facts.signals.has(HELMET_SIGNAL) || HEADER_MODULES.some((module) => facts.imports.has(module))) return true;
  const signals = facts.signals.get(MANUAL_SIGNAL);
  if (!signals) return false;
  // Asked once per finding, against the same list: answer once per list (plain data, no syntax trees).
  const known = manualAnswers.get(signals);
  if (known && known.length === signals.length) return known.answer;
  const manual = new Set(signals.map((signal) => signal.detail));
  const answer = manual.has("lusca") || CORE_HEADERS.every((header) => manual.has(header));
  manualAnswers.set(signals, { length: signals.length, answer });
  return answer;
}

const manualAnswers = new WeakMap<readonly Signal[], { length: number; answer: boolean }>();

export const missingSecurityHeaders: Rule = {
  meta: {
    id: "missing-security-headers",
    checklistItem: "security.security-headers",
    defaultSeverity: "warning",
    description: "An Express, Fastify, Koa or NestJS app is created but helmet is registered nowhere in the workspace.",
    scope: "production",
    triggers: [
      "express",
      "fastify",
      "Fastify",
      "koa",
      "Koa",
      "NestFactory",
      "helmet",
      "Helmet",
      "lusca",
      "Content-Security-Policy",
      "content-security-policy",
      "X-Frame-Options",
      "x-frame-options",
      "X-Content-Type-Options",
      "x-content-type-options",
    ],
    messages: {
      missing:
        "This {{framework}} app has no complete set of security headers: helmet is registered nowhere in the workspace, and Content-Security-Policy, X-Content-Type-Options and X-Frame-Options are not all set by hand; register helmet on it.",
    },
    docs: {
      why:
        "Browsers enforce a set of protections only when the server asks for them: `Content-Security-Policy` limits where scripts may load from (the main defence in depth against XSS), `X-Frame-Options`/`frame-ancestors` stop click-jacking in hostile iframes, `X-Content-Type-Options: nosniff` stops MIME sniffing, `Strict-Transport-Security` keeps browsers on HTTPS. Express, Fastify, Koa and NestJS send none of them by default. [helmet](https://helmetjs.github.io/) sets all of them (with sensible defaults) in one line.",
      howToFix:
        "Register helmet once on the app, before the routes:\n\n```ts\nimport helmet from \"helmet\";\n\nconst app = express();\napp.use(helmet());\n```\n\nFastify: `await fastify.register(helmet)` from `@fastify/helmet`; Koa: `app.use(helmet())` from `koa-helmet`; NestJS: `app.use(helmet())` in `main.ts` (or `app.register(helmet)` with the Fastify adapter). If a proxy in front of the service adds these headers, suppress this finding with a comment saying so.",
      valid: [
        {
          note: "helmet registered.",
          code: `import express from "express";
import helmet from "helmet";

const app = express();
app.use(helmet());
app.use(express.json());`,
        },
        {
          note: "Fastify with @fastify/helmet.",
          code: `import Fastify from "fastify";
import helmet from "@fastify/helmet";

const fastify = Fastify({ logger: true });
await fastify.register(helmet, { global: true });`,
        },
        {
          note: "A router is not an app.",
          code: `import { Router } from "express";

export const usersRouter = Router();
usersRouter.get("/", listUsers);`,
        },
      ],
      invalid: [
        {
          code: `import express from "express";

const app = express();
app.use(express.json());
app.listen(3000);`,
        },
        {
          note: "NestJS.",
          code: `import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();`,
        },
        {
          note: "Koa.",
          code: `const Koa = require("koa");

const app = new Koa();
app.use(router.routes());
app.listen(3000);`,
        },
      ],
    },
  },
  create(context) {
    const mayMatter = callFilter(context);
    const check = (node: ts.CallExpression | ts.NewExpression) => {
      const framework = appCreation(context, node);
      if (framework) context.report({ node, messageId: "missing", data: { framework }, unless: headersAreHandled });
    };
    return {
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        // Most calls are none of these: skip them on the callee's kind and names alone.
        if (!mayMatter(node)) return;
        check(node);
        const helmet = helmetUseOf(context, node);
        if (helmet) {
          context.signal(HELMET_SIGNAL, node, helmet.kind === "main" ? "helmet" : `helmet.${helmet.part} only`);
          return;
        }
        const callee = unwrap(node.expression);
        const target = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
        if (moduleOfExpression(context, target, LUSCA, DEFAULT_EXPORT) !== undefined) {
          context.signal(MANUAL_SIGNAL, node, "lusca");
          return;
        }
        for (const assignment of headerAssignments(node)) {
          if (SECURITY_HEADERS.has(assignment.name)) context.signal(MANUAL_SIGNAL, node, assignment.name);
        }
      },
      [ts.SyntaxKind.NewExpression](node: ts.NewExpression) {
        check(node);
      },
    };
  },
};
