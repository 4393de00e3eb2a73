/**
 * Finding a Redis client a fix can honestly use, and inserting an option into an options object.
 * Shared by `in-memory-rate-limit` and `in-memory-session-store`.
 */
import ts = require("typescript");
import { addImportEdit, importsOf, lineIndentAt, moduleOfLocal, newlineOf, unwrap } from "../../ast";
import type { ImportBinding, RuleContext, TextEdit } from "../../types";
import { bindingsOfLocal } from "./resolve-from-visited";

/** `redis`: node-redis (`createClient`); `ioredis`: `new Redis()`; `unknown`: imported from the project's own module. */
export type RedisLibrary = "redis" | "ioredis" | "unknown";

export interface RedisClient {
  name: string;
  library: RedisLibrary;
}

const NODE_REDIS_MODULES = ["redis", "@redis/client"];

/** Local names a project gives its shared Redis client module's export. */
const CLIENT_IMPORT_NAME = /^(?:redis|redisClient|redisConnection|redisConn|redisInstance|ioredis|ioRedis|ioredisClient|redisIo)$/i;

function isProjectModule(module: string): boolean {
  return /^(?:\.{1,2}\/|@\/|~\/|#|src\/)/.test(module);
}

/** Which Redis library an initializer creates a client with: `createClient(...)` of `redis`, `new Redis(...)` of `ioredis`. */
export function redisLibraryOf(context: Pick<RuleContext, "imports">, expression: ts.Expression): "redis" | "ioredis" | undefined {
  let value = unwrap(expression);
  if (ts.isAwaitExpression(value)) value = unwrap(value.expression);
  if (ts.isCallExpression(value)) {
    const callee = unwrap(value.expression);
    if (ts.isIdentifier(callee)) {
      // Only the bindings of this name can match (same order as scanning every node-redis import).
      for (const binding of bindingsOfLocal(context, callee.text) ?? []) {
        if (NODE_REDIS_MODULES.includes(binding.module) && binding.named.get("createClient") === callee.text) return "redis";
      }
    } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === "createClient" && ts.isIdentifier(callee.expression)) {
      const module = moduleOfLocal(context, callee.expression.text);
      if (module && NODE_REDIS_MODULES.includes(module)) return "redis";
    }
  } else if (ts.isNewExpression(value)) {
    const callee = unwrap(value.expression);
    if (ts.isIdentifier(callee)) {
      for (const binding of bindingsOfLocal(context, callee.text) ?? []) {
        if (binding.module !== "ioredis") continue;
        if (binding.defaultName === callee.text || binding.named.get("Redis") === callee.text || binding.named.get("default") === callee.text) return "ioredis";
      }
    }
  }
  return undefined;
}

/**
 * The Redis client visible at `at`: a variable declared before it, in its scope or an enclosing one,
 * initialised with `createClient(...)` (redis) or `new Redis(...)` (ioredis); else a client imported
 * from the project's own module under a Redis-like name (`import { redis } from "./lib/redis"`).
 */
export function visibleRedisClient(context: Pick<RuleContext, "imports" | "sourceFile">, at: ts.Node): RedisClient | undefined {
  const atStart = at.getStart(context.sourceFile);
  for (let scope: ts.Node | undefined = at.parent; scope; scope = scope.parent) {
    if (!(ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope))) continue;
    let found: RedisClient | undefined;
    for (const { end, client } of declaredClients(context, scope.statements)) {
      if (end > atStart) break;
      found = client;
    }
    if (found) return { ...found };
  }
  const imported = importedClient(context);
  return imported && { ...imported };
}

interface DeclaredClient {
  /** Where the statement declaring it ends. */
  end: number;
  client: RedisClient;
}

// Per statement list: the Redis clients its statements declare, in order. `visibleRedisClient` runs
// for every limiter and session setup, and rescanning every earlier statement each time was quadratic
// in file size. Plain values only: a WeakMap value that referenced the tree would keep the tree alive
// through the next garbage collections. (A statement list belongs to one file, so to one `imports`.)
const clientsByStatements = new WeakMap<ts.NodeArray<ts.Statement>, DeclaredClient[]>();

function declaredClients(context: Pick<RuleContext, "imports">, statements: ts.NodeArray<ts.Statement>): DeclaredClient[] {
  let clients = clientsByStatements.get(statements);
  if (clients) return clients;
  clients = [];
  clientsByStatements.set(statements, clients);
  // Without an import of a Redis package, no initializer creates a client (see `redisLibraryOf`).
  if (!context.imports.some((binding) => NODE_REDIS_MODULES.includes(binding.module) || binding.module === "ioredis")) return clients;
  for (const statement of statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const library = redisLibraryOf(context, declaration.initializer);
      if (library) clients.push({ end: statement.end, client: { name: declaration.name.text, library } });
    }
  }
  return clients;
}

// Per file (keyed by its bindings array): the client imported from the project's own module, if any.
const importedClients = new WeakMap<readonly ImportBinding[], { client?: RedisClient }>();

function importedClient(context: Pick<RuleContext, "imports">): RedisClient | undefined {
  let cached = importedClients.get(context.imports);
  if (!cached) {
    cached = {};
    for (const binding of context.imports) {
      if (!isProjectModule(binding.module)) continue;
      const names = [binding.defaultName, ...binding.named.values()];
      const name = names.find((local) => local !== undefined && CLIENT_IMPORT_NAME.test(local));
      if (name) {
        cached.client = { name, library: "unknown" };
        break;
      }
    }
    importedClients.set(context.imports, cached);
  }
  return cached.client;
}

/** True when `name` appears as a whole word anywhere in the file (a fix must not introduce a clash). */
export function nameIsUsed(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`).test(text);
}

/**
 * The local name under which `exportName` of `module` can be used, and the import edit it needs:
 * an existing binding is reused; else `preferred` when free, else `alias` (imported `as alias`);
 * `undefined` when neither is free.
 */
export function importedName(
  context: Pick<RuleContext, "imports" | "isCommonJs" | "sourceFile" | "text">,
  module: string,
  exportName: string,
  options: { acceptDefault?: boolean; alias: string; forceAlias?: boolean; extraNamed?: string[] },
): { local: string; edit?: TextEdit } | undefined {
  for (const binding of importsOf(context, module)) {
    const named = binding.named.get(exportName);
    if (named) return { local: named, edit: options.extraNamed?.length ? addImportEdit(context, { module, named: options.extraNamed }) : undefined };
    if (options.acceptDefault && binding.defaultName) return { local: binding.defaultName, edit: options.extraNamed?.length ? addImportEdit(context, { module, named: options.extraNamed }) : undefined };
  }
  const extra = options.extraNamed ?? [];
  if (!options.forceAlias && !nameIsUsed(context.text, exportName)) {
    return { local: exportName, edit: addImportEdit(context, { module, named: [exportName, ...extra] }) };
  }
  if (nameIsUsed(context.text, options.alias)) return undefined;
  const aliased = context.isCommonJs ? `${exportName}: ${options.alias}` : `${exportName} as ${options.alias}`;
  return { local: options.alias, edit: addImportEdit(context, { module, named: [aliased, ...extra] }) };
}

/**
 * Edits that add properties (e.g. `store: new RedisStore(...)`) to an object literal, keeping its
 * layout: one line each with the last property's indentation in a multi-line object, `, a, b` in a
 * one-line object, `{ a, b }` for `{}`.
 */
export function addPropertyEdits(text: string, sourceFile: ts.SourceFile, object: ts.ObjectLiteralExpression, added: string[]): TextEdit[] {
  const properties = object.properties;
  if (properties.length === 0) return [{ start: object.getStart(sourceFile), end: object.getEnd(), newText: `{ ${added.join(", ")} }` }];
  const first = properties[0];
  const last = properties[properties.length - 1];
  const multiLine = /[\r\n]/.test(text.slice(object.getStart(sourceFile), first.getStart(sourceFile)));
  const trailingComma = properties.hasTrailingComma;
  const commaEnd = trailingComma ? text.indexOf(",", last.end) + 1 : last.end;
  if (!multiLine) {
    return trailingComma
      ? [{ start: commaEnd, end: commaEnd, newText: ` ${added.join(", ")},` }]
      : [{ start: commaEnd, end: commaEnd, newText: `, ${added.join(", ")}` }];
  }
  const eol = newlineOf(text);
  const indent = lineIndentAt(text, last.getStart(sourceFile));
  // Keep a comment that ends the last property's line on that line.
  let at = commaEnd;
  const rest = /^[ \t]*(?:\/\/[^\r\n]*)?(?=\r?\n)/.exec(text.slice(commaEnd));
  if (rest) at = commaEnd + rest[0].length;
  const lines = added.map((property, index) => `${eol}${indent}${property}${trailingComma || index < added.length - 1 ? "," : ""}`).join("");
  if (trailingComma) return [{ start: at, end: at, newText: lines }];
  if (at === last.end) return [{ start: at, end: at, newText: `,${lines}` }];
  return [
    { start: last.end, end: last.end, newText: "," },
    { start: at, end: at, newText: lines },
  ];
}

/** The edit that gives a call without arguments an options object: `rateLimit()` → `rateLimit({ prop })`. */
export function addOptionsArgumentEdit(call: ts.CallExpression | ts.NewExpression, added: string[]): TextEdit | undefined {
  if (!call.arguments || call.arguments.length > 0) return undefined;
  return { start: call.arguments.pos, end: call.arguments.pos, newText: `{ ${added.join(", ")} }` };
}

/** Whether the file is TypeScript (type annotations are allowed in fix text). */
export function isTypeScriptFile(file: string): boolean {
  return /\.(?:ts|tsx|mts|cts)$/.test(file) && !/\.d\.ts$/.test(file);
}
