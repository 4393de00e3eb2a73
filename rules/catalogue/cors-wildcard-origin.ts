import ts = require("typescript");
import { enclosingFunction, getProperty, isEnvironmentGuarded, staticString, unwrap } from "../ast";
import type { Rule, Severity } from "../types";
import {
  allowsCredentials,
  type CorsLibrary,
  type CorsSetup,
  corsSetupOf,
  detachedOptionsVisitors,
  localNames,
  originChecks,
  overriddenBySpread,
  hasSpread,
  isReflectedOrigin,
  isRequestOrigin,
  constantInitializer,
  corsSetupFilter,
} from "./support/cors";
import { type HeaderAssignment, headerAssignments, maySetHeaders } from "./support/http-headers";

const OPTIONS_ADVICE = "pass an explicit allow-list instead, e.g. `origin: [\"https://app.example.com\"]` or one read from an environment variable";
const HEADER_ADVICE = "echo the request's Origin only after checking it against an allow-list of known front-ends";

export const corsWildcardOrigin: Rule = {
  meta: {
    id: "cors-wildcard-origin",
    checklistItem: "security.cors",
    defaultSeverity: "warning",
    description: "CORS allows every origin (`*`, `origin: true`, or the library default).",
    scope: "production",
    triggers: ["cors", "Cors", "Access-Control-Allow-Origin", "access-control-allow-origin"],
    messages: {
      allowAll: "{{what}} lets every website call this API from a user's browser and read the responses; {{advice}}.",
      allowAllCredentials: "{{what}}, with credentials allowed, lets every website call this API with the user's cookies and read the responses; {{advice}}.",
    },
    docs: {
      why:
        "CORS decides which other websites may call your API from a visitor's browser and read the answers. `origin: \"*\"`, `origin: true` (which echoes back whatever Origin the request claims), and `cors()` with no options all let *any* website do that. For a truly public, read-only API that may be fine; for an API that serves user data it lets a malicious page read it through the visitor's browser — and with `credentials: true` that page's requests carry the visitor's session cookies, so it acts as the logged-in user.",
      howToFix:
        "List the origins that may call the API, ideally from configuration:\n\n```ts\nconst allowedOrigins = process.env.CORS_ORIGINS?.split(\",\") ?? [];\napp.use(cors({ origin: allowedOrigins, credentials: true }));\n```\n\nWhen setting the header by hand, echo the request's `Origin` only after checking it against that list (and add `Vary: Origin`).",
      valid: [
        {
          note: "An explicit allow-list.",
          code: `import cors from "cors";

app.use(cors({ origin: ["https://app.example.com", "https://admin.example.com"], credentials: true }));`,
        },
        {
          note: "Origins from the environment.",
          code: `app.enableCors({ origin: process.env.CORS_ORIGINS?.split(","), credentials: true });`,
        },
        {
          note: "Echoing the Origin after an allow-list check.",
          code: `app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
  }
  next();
});`,
        },
      ],
      invalid: [
        {
          note: "The express `cors` default is `*`.",
          code: `import cors from "cors";
import express from "express";

const app = express();
app.use(cors());`,
        },
        {
          note: "Reflecting any origin with credentials (error).",
          code: `import cors from "@fastify/cors";

await fastify.register(cors, { origin: true, credentials: true });`,
        },
        {
          note: "A hand-set wildcard header.",
          code: `app.use((req, res, next) => {
  res.header("Access-Control-Allow-Origin", "*");
  res.header("Access-Control-Allow-Headers", "Content-Type, Authorization");
  next();
});`,
        },
      ],
    },
  },
  create(context) {
    const setups: CorsSetup[] = [];
    const allowOriginHeaders: HeaderAssignment[] = [];
    const credentialHeaders: HeaderAssignment[] = [];
    const reassigned = new Set<string>();
    const mayBeSetup = corsSetupFilter(context);
    const textOf = (node: ts.Node) => context.text.slice(node.getStart(context.sourceFile), node.getEnd());

    const reported = new Set<ts.Node>();
    const report = (node: ts.Node, what: string, credentials: boolean, advice: string) => {
      if (reported.has(node)) return;
      reported.add(node);
      const severity: Severity = credentials ? "error" : "warning";
      context.report({ node, messageId: credentials ? "allowAllCredentials" : "allowAll", data: { what, advice }, severity });
    };

    const checkSetup = (setup: CorsSetup) => {
      if (isEnvironmentGuarded(setup.call)) return;
      if (setup.defaults) {
        const what = ts.isPropertyAssignment(setup.at) ? "NestJS `cors: true` (the default CORS options)" : `\`${oneLine(textOf(setup.at))}\` with no origin option`;
        report(setup.at, what, false, OPTIONS_ADVICE);
        return;
      }
      const options = setup.options;
      if (!options) return; // options from elsewhere, or a delegate function
      const credentials = allowsCredentials(options);
      const property = getProperty(options, "origin");
      if (!property) {
        if (hasSpread(options) || getProperty(options, "delegator")) return;
        report(setup.at, `\`${oneLine(calleeText(setup))}\` without an \`origin\` option (the library default allows every origin)`, credentials, OPTIONS_ADVICE);
        return;
      }
      if (overriddenBySpread(options, property)) return;
      let value: ts.Node | undefined;
      if (ts.isPropertyAssignment(property)) value = property.initializer;
      else if (ts.isShorthandPropertyAssignment(property)) value = property.name;
      else if (ts.isMethodDeclaration(property)) value = property;
      if (!value) return;
      const anyOrigin = allowsAnyOrigin(value, setup.library, reassigned);
      if (anyOrigin) {
        if (isEnvironmentGuarded(anyOrigin.node)) return;
        report(anyOrigin.node, anyOrigin.what, credentials, OPTIONS_ADVICE);
        return;
      }
      const resolved = ts.isExpression(value) ? resolve(value, reassigned) : value;
      if (resolved.kind !== ts.SyntaxKind.FalseKeyword) context.signal("security.cors:restricted-origins", value, setup.library ?? "options object");
    };

    const checkHeader = (header: HeaderAssignment) => {
      if (!header.value || isEnvironmentGuarded(header.call)) return;
      const fn = enclosingFunction(header.call);
      const credentials = credentialHeaders.some(
        (other) => other.value !== undefined && enclosingFunction(other.call) === fn && isTrue(other.value) && !isEnvironmentGuarded(other.call),
      );
      const value = resolve(header.value, reassigned);
      if (staticString(value)?.trim() === "*") {
        report(header.value, "`Access-Control-Allow-Origin: *`", credentials, HEADER_ADVICE);
        return;
      }
      if (reflectsAnyOrigin(header.value)) {
        if (originChecks(header.call, localNames(header.value)).length === 0) {
          report(header.value, "Echoing the request's Origin in `Access-Control-Allow-Origin` without checking it", credentials, HEADER_ADVICE);
        } else {
          context.signal("security.cors:restricted-origins", header.call, "header");
        }
        return;
      }
      if (staticString(value) !== undefined) context.signal("security.cors:restricted-origins", header.call, "header");
    };

    function calleeText(setup: CorsSetup): string {
      if (ts.isPropertyAssignment(setup.at)) return "cors: { … }";
      const call = setup.call;
      if (!ts.isCallExpression(call)) return "CORS options";
      return `${textOf(call.expression)}(${call.arguments.length > 0 ? "…" : ""})`;
    }

    return {
      ...detachedOptionsVisitors(context.file, setups, reassigned),
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        // Most calls are neither: skip them on the callee's kind and name alone.
        if (!mayBeSetup(node) && !maySetHeaders(node)) return;
        const setup = corsSetupOf(context, node);
        if (setup) {
          setups.push(setup);
          return;
        }
        for (const assignment of headerAssignments(node)) {
          if (assignment.name === "access-control-allow-origin") allowOriginHeaders.push(assignment);
          else if (assignment.name === "access-control-allow-credentials") credentialHeaders.push(assignment);
        }
      },
      onEnd() {
        for (const setup of setups) checkSetup(setup);
        for (const header of allowOriginHeaders) checkHeader(header);
      },
    };
  },
};

/** Follows same-file `const` names to the expression they hold. */
function resolve(expression: ts.Expression, reassigned: ReadonlySet<string>): ts.Expression {
  let node = unwrap(expression);
  for (let i = 0; i < 4 && ts.isIdentifier(node); i++) {
    const initializer = constantInitializer(node, reassigned);
    if (!initializer) break;
    node = unwrap(initializer);
  }
  return node;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

function isTrue(expression: ts.Expression): boolean {
  const value = unwrap(expression);
  return value.kind === ts.SyntaxKind.TrueKeyword || staticString(value)?.toLowerCase() === "true";
}

/** `req.headers.origin`, or `req.headers.origin || fallback` (any Origin a browser sends is echoed). */
function reflectsAnyOrigin(expression: ts.Expression): boolean {
  const value = unwrap(expression);
  if (
    ts.isBinaryExpression(value) &&
    (value.operatorToken.kind === ts.SyntaxKind.BarBarToken || value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  ) {
    return isReflectedOrigin(value.left);
  }
  return isReflectedOrigin(value);
}

/** The part of an `origin` option that lets every origin through, with how to name it. */
function allowsAnyOrigin(value: ts.Node, library: CorsLibrary | undefined, reassigned: ReadonlySet<string>): { node: ts.Node; what: string } | undefined {
  const resolved = ts.isExpression(value) ? resolve(value, reassigned) : value;
  if (staticString(resolved)?.trim() === "*") return { node: value, what: "`origin: \"*\"`" };
  if (resolved.kind === ts.SyntaxKind.TrueKeyword) return { node: value, what: "`origin: true` (which echoes back any request's Origin)" };
  if (library === "fastify" && ts.isArrayLiteralExpression(resolved)) {
    const star = resolved.elements.find((element) => staticString(element)?.trim() === "*");
    if (star) return { node: star, what: "`\"*\"` in the `origin` list (@fastify/cors then allows every origin)" };
  }
  if (ts.isArrowFunction(resolved) || ts.isFunctionExpression(resolved) || ts.isMethodDeclaration(resolved)) {
    const allowing = trivialAllow(resolved, library);
    if (allowing) return { node: allowing, what: "An `origin` function that accepts every origin" };
  }
  return undefined;
}

/** An origin function that accepts whatever it is asked about, without a condition. */
function trivialAllow(fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration, library: CorsLibrary | undefined): ts.Node | undefined {
  const body = fn.body;
  if (!body) return undefined;
  let expression: ts.Expression | undefined;
  if (!ts.isBlock(body)) expression = body;
  else if (body.statements.length === 1) {
    const statement = body.statements[0];
    if (ts.isReturnStatement(statement)) expression = statement.expression;
    else if (ts.isExpressionStatement(statement)) expression = statement.expression;
  }
  if (!expression) return undefined;
  const value = unwrap(expression);
  const params = fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
  if (library === "koa" || library === "hono" || library === undefined) {
    if (staticString(value)?.trim() === "*") return value;
    if (library !== "hono" && isRequestOrigin(value)) return value;
    if (library === "hono" && ts.isIdentifier(value) && value.text === params[0]) return value;
    if (library !== undefined) return undefined;
  }
  // (origin, callback) => callback(null, true) / callback(null, origin)
  if (!ts.isCallExpression(value) || !params[1]) return undefined;
  const callee = unwrap(value.expression);
  if (!ts.isIdentifier(callee) || callee.text !== params[1] || value.arguments.length !== 2) return undefined;
  if (unwrap(value.arguments[0]).kind !== ts.SyntaxKind.NullKeyword) return undefined;
  const allowed = unwrap(value.arguments[1]);
  if (allowed.kind === ts.SyntaxKind.TrueKeyword || (ts.isIdentifier(allowed) && allowed.text === params[0])) return value;
  return undefined;
}
