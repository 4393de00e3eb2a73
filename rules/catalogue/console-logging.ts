import ts = require("typescript");
import { addImportEdit, calleeName, expressionPath, importsOf, isEnvironmentGuarded, moduleOfLocal, objectArgument, getPropertyValue, unwrap } from "../ast";
import type { Fix, Rule, RuleContext, TextEdit, Visitors } from "../types";
import { CONSOLE_PRINT_METHODS, globalConsoleMethod, isDeclaredInScope } from "./support/console";
import { pathRoot } from "./support/resolve-from-visited";

/** console method → the structured logger's level. `dir` has no counterpart (it inspects objects). */
const LEVEL_OF: ReadonlyMap<string, string> = new Map([
  ["log", "info"],
  ["info", "info"],
  ["warn", "warn"],
  ["error", "error"],
  ["debug", "debug"],
  ["trace", "trace"],
]);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** The names a path to the global console starts with. */
const CONSOLE_ROOTS: ReadonlySet<string> = new Set(["console", "globalThis", "global"]);

/** Directories that hold browser code in a full-stack repository: console output there is the browser's. */
const BROWSER_DIRECTORY = /(^|\/)(public|static|client|frontend|browser|www)\//;
/** Command-line and one-off code, where console output is the user interface: seeds, migrations, CLIs, tool configs. */
const COMMAND_LINE_FILE = /(^|\/)(migrations?|seeds?|seeders|bin|cli)\/|(^|\/)(seed|migrate|cli)\.[cm]?[jt]s$|\.config\.[cm]?[jt]s$/;

/**
 * The import specifier for a logger module as seen from `file`: `./x` and `../x` are relative to the
 * workspace root and get re-based on the file's directory; bare package names stay as they are.
 * `undefined` when the file is that module itself.
 */
export function loggerSpecifierFrom(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return specifier;
  const target = normalizeSegments(specifier.split("/"));
  const fromDir = file.split("/").slice(0, -1);
  if (target.join("/").replace(/\.[cm]?[jt]sx?$/, "") === file.replace(/\.[cm]?[jt]sx?$/, "")) return undefined;
  let common = 0;
  while (common < fromDir.length && common < target.length - 1 && fromDir[common] === target[common]) common++;
  const ups = fromDir.slice(common).map(() => "..");
  const relative = [...ups, ...target.slice(common)].join("/");
  return relative.startsWith("..") ? relative : `./${relative}`;
}

function normalizeSegments(segments: string[]): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === "." || segment === "") continue;
    if (segment === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(segment);
  }
  return out;
}

interface LoggerOption {
  name: string;
  import?: string;
}

function loggerOption(context: RuleContext): LoggerOption | undefined {
  const option = context.options?.logger;
  if (!option || typeof option !== "object" || typeof option.name !== "string" || !IDENTIFIER.test(option.name)) return undefined;
  if (option.import !== undefined && (typeof option.import !== "string" || option.import.trim() === "")) return undefined;
  return { name: option.name, import: option.import };
}

/** The edits replacing `console.x` by `<logger>.<level>`, with the import when the file lacks it. */
function loggerFix(context: RuleContext, call: ts.CallExpression, level: string, option: LoggerOption): Fix | undefined {
  let receiver = option.name;
  let importEdit: TextEdit | undefined;
  const specifier = option.import === undefined ? undefined : loggerSpecifierFrom(context.file, option.import);
  // In the logger module itself, `logger.info` would call itself.
  if (option.import !== undefined && specifier === undefined) return undefined;
  if (!isDeclaredInScope(call, option.name)) {
    if (specifier === undefined) return undefined;
    const existing = importsOf(context, specifier).find((binding) => binding.named.has(option.name));
    if (existing) {
      // `import { logger as log } from "…"`: the logger is already there under another name.
      receiver = existing.named.get(option.name)!;
    } else {
      importEdit = addImportEdit(context, { module: specifier, named: [option.name] });
      if (!importEdit) return undefined;
    }
  }
  const callee = unwrap(call.expression);
  const edits: TextEdit[] = [{ start: callee.getStart(context.sourceFile), end: callee.getEnd(), newText: `${receiver}.${level}` }];
  if (importEdit) edits.push(importEdit);
  return { title: `Replace with \`${receiver}.${level}\``, edits, preferred: true };
}

/** The method names a reported console call or a `createdLogger` call (or `new`) can have. */
const CALLED_METHODS: ReadonlySet<string> = new Set([
  ...CONSOLE_PRINT_METHODS,
  ...["pino", "default", "createLogger", "getLogger", "configure", "createConsola", "create", "withTag", "forRoot", "Logger", "Signale"],
]);

/** Read once: `ts` is a namespace of getters, and this runs for every call of a file. */
const Kind = ts.SyntaxKind;

/** The packages `createdLogger` recognises. */
const LOGGER_MODULES: ReadonlySet<string> = new Set(["@nestjs/common", "tslog", "signale", "winston", "pino", "pino-http", "bunyan", "browser-bunyan", "log4js", "consola", "nestjs-pino", "fastify"]);

/** The logging package a call or `new` creates a logger with, if it does. */
function createdLogger(context: RuleContext, node: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrap(node.expression);
  if (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "require") {
    const module = callee.arguments[0] && ts.isStringLiteral(callee.arguments[0]) ? callee.arguments[0].text : undefined;
    return module === "pino" || module === "pino-http" ? module : undefined;
  }
  // The module of the first name decides most calls before any path is built.
  const root = pathRoot(callee);
  const module = root === undefined ? undefined : moduleOfLocal(context, root);
  if (!module || !LOGGER_MODULES.has(module)) return undefined;
  const path = expressionPath(callee);
  if (!path) return undefined;
  const parts = path.split(".");
  const name = calleeName(node);
  if (ts.isNewExpression(node)) {
    if ((module === "@nestjs/common" || module === "tslog") && name === "Logger") return module;
    if (module === "signale" && name === "Signale") return module;
    if (module === "winston" && (name === "Logger" || name === "createLogger")) return module;
    return undefined;
  }
  if (module === "pino" || module === "pino-http") return parts.length === 1 || name === "pino" || name === "default" ? module : undefined;
  if ((module === "winston" || module === "bunyan" || module === "browser-bunyan") && name === "createLogger") return module;
  if (module === "log4js" && (name === "getLogger" || name === "configure")) return module;
  if (module === "consola" && (name === "createConsola" || name === "create" || name === "withTag")) return module;
  if (module === "nestjs-pino" && name === "forRoot") return module;
  if (module === "fastify" && parts.length === 1) {
    const logger = objectArgument(node) && getPropertyValue(objectArgument(node)!, "logger");
    if (logger && unwrap(logger).kind !== ts.SyntaxKind.FalseKeyword) return "fastify";
  }
  return undefined;
}

/** `console.log/info/warn/error/debug/trace/dir` in server code. */
export const consoleLogging: Rule = {
  meta: {
    id: "console-logging",
    checklistItem: "reliability.structured-logging",
    defaultSeverity: "warning",
    description: "`console.*` in server code writes unstructured, level-less text instead of structured logs.",
    scope: "production",
    fixable: true,
    triggers: ["console", "pino", "winston", "bunyan", "log4js", "Logger", "consola", "ignale", "logger"],
    messages: {
      console:
        "`console.{{method}}` writes unstructured text: no level, no timestamp, no request context, and nothing a log pipeline can query. Use the project's structured logger.",
    },
    optionsSchema: {
      type: "object",
      properties: {
        logger: {
          type: "object",
          description:
            "The project's logger, used by the quick fix. `import` is a package name or a path relative to the workspace root (`./src/lib/logger`); the fix imports `name` from it as a named import.",
          properties: {
            name: { type: "string", description: "The exported (and local) name of the logger, e.g. `logger`." },
            import: { type: "string", description: "Module exporting it: a package, or `./path` relative to the workspace root, without extension unless your module system needs one." },
          },
          required: ["name"],
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    docs: {
      why:
        "`console.log` writes a bare line to stdout: no level to filter on, no timestamp, no request id, and multi-line objects that log shippers split into unrelated lines. In production you cannot turn the noise down, alert on errors, or follow one request through the logs. `console.*` is also synchronous on a TTY/file and can stall the event loop under load.",
      howToFix: [
        "Create one structured logger and import it wherever you log. With [pino](https://getpino.io):",
        "",
        "```ts",
        "// src/lib/logger.ts",
        'import pino from "pino";',
        'export const logger = pino({ level: process.env.LOG_LEVEL ?? "info" });',
        "```",
        "",
        "```ts",
        'import { logger } from "./lib/logger";',
        'logger.info({ userId: user.id }, "user signed in");',
        'logger.error({ err }, "payment failed");',
        "```",
        "",
        "Configure the rule with your logger (`{ \"logger\": { \"import\": \"./src/lib/logger\", \"name\": \"logger\" } }`) and the quick fix rewrites `console.log` → `logger.info`, `console.warn` → `logger.warn`, `console.error` → `logger.error` (also `debug`, `trace`, `info`), adding the import (the path is re-based on each file). The fix keeps the arguments as they are: pino and winston prefer `logger.error({ err }, \"message\")` — an object first, then the message — so review calls that pass an error or several values after the message.",
        "",
        "Not reported: `console.*` under a development-only check (`if (process.env.NODE_ENV !== \"production\")`), a single `JSON.stringify(...)` argument (already a structured line), browser code (`.tsx`/`.jsx`, `public/`, `client/`, `\"use client\"`), command-line code (a `#!` line, `bin/`, `cli/`, `migrations/`, `seeds/`, `seed.ts`, `*.config.ts`), tests and scripts.",
      ].join("\n"),
      valid: [
        {
          note: "A structured logger.",
          code: `import pino from "pino";
const logger = pino({ level: process.env.LOG_LEVEL ?? "info" });
export function onSignIn(userId: string) {
  logger.info({ userId }, "user signed in");
}`,
        },
        {
          note: "Development-only output.",
          code: `export function debugQuery(sql: string) {
  if (process.env.NODE_ENV !== "production") console.debug(sql);
}`,
        },
        {
          note: "A parameter named console is not the global console.",
          code: `export function report(console: { log(message: string): void }, total: number) {
  console.log(\`total: \${total}\`);
}`,
        },
      ],
      invalid: [
        {
          code: `import express from "express";
const app = express();
app.get("/users/:id", async (req, res) => {
  console.log("fetching user", req.params.id);
  res.json(await findUser(req.params.id));
});`,
        },
        {
          note: "Logging an error with console.error.",
          code: `export async function chargeCustomer(customerId: string, amount: number) {
  try {
    return await stripe.charges.create({ customer: customerId, amount, currency: "usd" });
  } catch (err) {
    console.error("charge failed", err);
    throw err;
  }
}`,
        },
      ],
    },
  },
  create(context): Visitors {
    const file = context.file;
    // Console output is the point in browser and command-line code; loggers created there still count.
    const quiet =
      /\.[jt]sx$/.test(file) ||
      BROWSER_DIRECTORY.test(file) ||
      COMMAND_LINE_FILE.test(file) ||
      context.text.startsWith("#!") ||
      /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use client["']/.test(context.text);
    const option = loggerOption(context);
    const signalLogger = (node: ts.CallExpression | ts.NewExpression) => {
      const module = createdLogger(context, node);
      if (module) context.signal("reliability.structured-logging:logger", node, module);
    };
    // The names this file imports a logging package as (usually none).
    const loggerLocals = new Set<string>();
    for (const binding of context.imports) {
      if (!LOGGER_MODULES.has(binding.module)) continue;
      if (binding.defaultName) loggerLocals.add(binding.defaultName);
      if (binding.namespaceName) loggerLocals.add(binding.namespaceName);
      for (const local of binding.named.values()) loggerLocals.add(local);
    }
    /**
     * Only a callee on the global console, on an import of a logging package or a `require(…)` can
     * matter: decided on the callee's method name and first name, before any path is built.
     */
    const mayMatter = (node: ts.CallExpression | ts.NewExpression): boolean => {
      const direct = node.expression;
      if (direct.kind === Kind.PropertyAccessExpression && !CALLED_METHODS.has((direct as ts.PropertyAccessExpression).name.text)) return false;
      const root = pathRoot(direct);
      if (root === undefined) {
        const callee = unwrap(direct);
        return ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "require";
      }
      return CONSOLE_ROOTS.has(root) || loggerLocals.has(root);
    };
    return {
      [ts.SyntaxKind.NewExpression](node: ts.NewExpression) {
        if (mayMatter(node)) signalLogger(node);
      },
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        if (!mayMatter(node)) return;
        const callee = unwrap(node.expression);
        if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) {
          signalLogger(node);
          return;
        }
        const method = globalConsoleMethod(node, context);
        if (method === undefined) {
          signalLogger(node);
          return;
        }
        if (quiet || !CONSOLE_PRINT_METHODS.has(method)) return;
        if (node.arguments.length === 1) {
          const only = unwrap(node.arguments[0]);
          if (ts.isCallExpression(only) && expressionPath(only.expression) === "JSON.stringify") return;
        }
        if (isEnvironmentGuarded(node)) return;
        const level = LEVEL_OF.get(method);
        const fix = option && level ? loggerFix(context, node, level, option) : undefined;
        context.report({
          start: callee.getStart(context.sourceFile),
          end: callee.getEnd(),
          messageId: "console",
          data: { method },
          fixes: fix ? [fix] : [],
        });
      },
    };
  },
};
