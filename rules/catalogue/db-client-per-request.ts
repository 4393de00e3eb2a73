import ts = require("typescript");
import {
  addImportEdit,
  calleeName,
  enclosingFunction,
  expressionPath,
  findDescendant,
  forEachDescendant,
  isRequestHandler,
  moduleOfLocal,
  newlineOf,
  objectArgument,
  propertyNameText,
  getPropertyValue,
  resolveImport,
  unwrap,
} from "../ast";
import type { Fix, Rule, RuleContext, TextEdit } from "../types";
import { isDeclaredInScope } from "./support/console";
import { pathRoot } from "./support/resolve-from-visited";
import { isPrismaModule, MYSQL_MODULES } from "./support/database";

const POOL = "reliability.connection-pooling:pool";
const RETRY = "reliability.connection-retry:retry";

type Kind = "pg" | "mysql" | "mongo" | "mongoConnect" | "prisma" | "sequelize" | "knex" | "typeorm";

const ADVICE: Record<Kind, string> = {
  pg: "Create one `Pool` at startup (`new Pool()` from `pg`) and use `pool.query(...)` or `pool.connect()` + `client.release()`",
  mysql: "Create one pool at startup (`mysql.createPool(...)`) and use `pool.query(...)`",
  mongo: "Create one `MongoClient` at startup (it keeps a connection pool) and reuse it",
  mongoConnect: "Connect one `MongoClient` at startup (it keeps a connection pool) and reuse it",
  prisma: "Create one `PrismaClient` for the whole process (each instance opens its own connection pool) and import it where needed",
  sequelize: "Create one `Sequelize` instance at startup (it keeps a connection pool) and reuse it",
  knex: "Create one Knex instance at startup (it keeps a connection pool) and reuse it",
  typeorm: "Initialise one `DataSource` at startup (it keeps a connection pool) and reuse it",
};

/** Names of functions that run once: entry points, initialisers, lifecycle hooks, plugin registration. */
const STARTUP_NAME =
  /^(?:main|bootstrap|start|init|initiali[sz]e|setup|setUp|connect|register|configure|migrate|seed|listen|create(?:App|Server|Pool)|build(?:App|Server)|getPool|onModuleInit|onApplicationBootstrap|onInit|beforeAll|globalSetup|useFactory|run)(?:[A-Z_0-9]\w*)?$/;
/** Callback-taking calls that do not change how often the code runs: follow them up to the enclosing function. */
const PASS_THROUGH = new Set(["map", "forEach", "flatMap", "reduce", "filter", "find", "some", "every", "then", "catch", "finally", "all", "allSettled", "race", "any"]);
const REGISTRATION_PARAMETER = /^(?:fastify|app|instance|server|application|container)$/;
const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "use", "head", "options", "route", "handle"]);

const RETRY_KEYS = new Set(["retryStrategy", "reconnectStrategy", "reconnectOnError", "maxRetriesPerRequest", "retry_strategy", "clusterRetryStrategy", "retryAttempts"]);
const RETRY_MODULES = new Set(["p-retry", "async-retry", "retry", "promise-retry", "exponential-backoff", "ts-retry-promise"]);
/** The packages `kindOf` and `emitRetrySignals` know: a call or `new` on anything else makes no client. */
const CLIENT_MODULES: ReadonlySet<string> = new Set(["pg", "@neondatabase/serverless", "mongodb", "mongoose", "sequelize", "sequelize-typescript", "typeorm", "knex", "ioredis", "redis", "@redis/client"]);

function isClientModule(module: string): boolean {
  return CLIENT_MODULES.has(module) || MYSQL_MODULES.has(module) || RETRY_MODULES.has(module) || isPrismaModule(module) || module.startsWith("@nestjs/");
}

const CONNECT_NAMES = /^(?:connect|\$connect|authenticate|initialize|createConnection|getConnection|ping|sync)$/;

function describeFunction(fn: ts.SignatureDeclaration): string {
  const name = functionName(fn);
  if (name) return `\`${name}\``;
  return isRequestHandler(fn) ? "the request handler" : "this function";
}

function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessor(fn)) return propertyNameText(fn.name);
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    let parent = fn.parent;
    while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))) parent = parent.parent;
    if (!parent) return undefined;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer) return propertyNameText(parent.name);
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const path = expressionPath(parent.left);
      return path?.split(".").pop();
    }
  }
  return undefined;
}

/** The function whose every call runs `node` (a handler, service method, plain function); undefined at startup/module level. */
function perCallFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (ts.isConstructorDeclaration(fn)) return undefined;
    if (isRequestHandler(fn)) return fn;
    // A Fastify/Express plugin or module setup function runs once, at registration.
    const first = fn.parameters[0];
    if (first && ts.isIdentifier(first.name) && REGISTRATION_PARAMETER.test(first.name.text)) return undefined;
    const name = functionName(fn);
    if (name !== undefined) return STARTUP_NAME.test(name) ? undefined : fn;
    let parent = fn.parent;
    while (parent && ts.isParenthesizedExpression(parent)) parent = parent.parent;
    if (!parent || !ts.isCallExpression(parent) || parent.expression === fn || !parent.arguments.some((a) => unwrap(a) === fn)) return undefined;
    const method = calleeName(parent);
    if (method && PASS_THROUGH.has(method)) continue;
    if (method && ROUTE_METHODS.has(method) && ts.isPropertyAccessExpression(unwrap(parent.expression))) return fn;
    return undefined;
  }
  return undefined;
}

const CLOSE_CALL = /\.(?:end|close|\$disconnect|destroy|quit)$/;
const CLOSE_METHODS: ReadonlySet<string> = new Set(["end", "close", "$disconnect", "destroy", "quit"]);

/**
 * False when a call is `x.method(…)` with a method not in `methods`: checked before building the
 * callee's path, for the calls of a whole function body. Other shapes may still match the path.
 */
function mayBeNamed(call: ts.CallExpression, methods: ReadonlySet<string>): boolean {
  return !isPropertyAccessExpression(call.expression) || methods.has(call.expression.name.text);
}
const CONNECT_METHOD: ReadonlySet<string> = new Set(["connect"]);
const END_METHOD: ReadonlySet<string> = new Set(["end"]);

/**
 * True when a returned value hands the client to the caller: the client itself, an object or array
 * holding it, or a call/`new` it is passed to (`drizzle(client)`). Not a query made with it
 * (`client.db().collection(…)`).
 */
function handsOver(value: ts.Expression, creation: ts.Expression, name: string | undefined): boolean {
  let node = unwrap(value);
  while (ts.isAwaitExpression(node)) node = unwrap(node.expression);
  const isClient = (candidate: ts.Expression) => {
    const n = unwrap(candidate);
    return n === creation || (name !== undefined && ts.isIdentifier(n) && n.text === name);
  };
  if (isClient(node)) return true;
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.some((p) => (ts.isPropertyAssignment(p) && isClient(p.initializer)) || (ts.isShorthandPropertyAssignment(p) && p.name.text === name));
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.some(isClient);
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) return (node.arguments ?? []).some(isClient);
  return false;
}

// Read once: `ts` is a namespace of getters, and the walks over whole function bodies ask these of every node.
const { isBinaryExpression, isCallExpression, isFunctionLike, isIdentifier, isPropertyAccessExpression, isReturnStatement, isVariableDeclaration } = ts;

/** Statements of a function body that are not inside nested functions, visited with a callback. */
function forEachOwnNode(fn: ts.SignatureDeclaration, visit: (node: ts.Node) => void): void {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return;
  visit(body);
  forEachDescendant(body, (node) => {
    if (isFunctionLike(node)) return "skip";
    visit(node);
    return true;
  });
}

/** Where the new client goes: the variable or property it is stored in, when it is. */
function storageOf(creation: ts.Expression): { path: string; local: boolean; declaration?: ts.VariableDeclaration } | undefined {
  let child: ts.Node = creation;
  let parent = creation.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAwaitExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === child && ts.isIdentifier(parent.name)) return { path: parent.name.text, local: true, declaration: parent };
  if (ts.isBinaryExpression(parent) && parent.right === child) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) {
      const path = expressionPath(parent.left);
      if (!path) return undefined;
      return { path, local: false };
    }
  }
  // `client ?? (client = new X())`, `cached || new X()`: handled as a cache by the caller.
  return undefined;
}

/**
 * True when `condition` tests an outer variable or property (`db`, `this.client`, `cached.conn`) for
 * being set (`wantSet`) or unset: `x`, `!x`, `x == null`, `x !== undefined`.
 */
function testsCache(condition: ts.Expression, fn: ts.SignatureDeclaration, wantSet: boolean): boolean {
  let node = unwrap(condition);
  let whenSet = true;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    node = unwrap(node.operand);
    whenSet = false;
  } else if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    const equals = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken;
    const differs = op === ts.SyntaxKind.ExclamationEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
    const other = unwrap(node.right);
    if ((!equals && !differs) || (other.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(other) && other.text === "undefined"))) return false;
    node = unwrap(node.left);
    whenSet = differs;
  }
  if (whenSet !== wantSet) return false;
  const path = expressionPath(node);
  return path !== undefined && isOuterPath(path, fn);
}

/** `this.x`, or a path whose first name is not declared in `fn` (module state, `globalThis`, a closure variable). */
function isOuterPath(path: string, fn: ts.SignatureDeclaration): boolean {
  const root = path.split(".")[0];
  return root === "this" || !declaredInside(fn, root);
}

/**
 * The lazy-singleton guards: the creation sits under `if (!cache)`, or follows an `if (cache) return …`
 * early exit in the same function.
 */
function isLazyGuarded(creation: ts.Node, fn: ts.SignatureDeclaration): boolean {
  let child: ts.Node = creation;
  for (let current = creation.parent; current && current !== fn; child = current, current = current.parent) {
    if (ts.isIfStatement(current) && child === current.thenStatement && testsCache(current.expression, fn, false)) return true;
    if (ts.isBlock(current)) {
      for (const statement of current.statements) {
        if (statement === child) break;
        if (ts.isIfStatement(statement) && exitsWithReturn(statement.thenStatement) && testsCache(statement.expression, fn, true)) return true;
      }
    }
  }
  return false;
}

function exitsWithReturn(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.length > 0 && ts.isReturnStatement(statement.statements[statement.statements.length - 1]);
}

/** True when the identifier `name` is declared inside `fn` (so assigning it does not cache anything). */
function declaredInside(fn: ts.SignatureDeclaration, name: string): boolean {
  if (fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)) return true;
  let found = false;
  forEachOwnNode(fn, (node) => {
    if (!found && isVariableDeclaration(node) && isIdentifier(node.name) && node.name.text === name) found = true;
  });
  return found;
}

interface Analysis {
  fn: ts.SignatureDeclaration;
  storage?: { path: string; local: boolean; declaration?: ts.VariableDeclaration };
  /** The calls of the function's own body (not in nested functions), in order: collected once for `findConnect` and `pgFix`. */
  ownCalls: ts.CallExpression[];
}

/**
 * Decides whether a creation runs per call: inside a per-call function, not cached in an outer
 * variable or property (lazy singleton), not returned to the caller (a factory).
 */
function analysePerCall(creation: ts.Expression): Analysis | undefined {
  const fn = perCallFunction(creation);
  if (!fn) return undefined;
  const storage = storageOf(creation);
  // Lazy singleton: `client ??= new X()`, `if (!this.db) this.db = new X()`, `global.prisma = new X()`.
  if (storage && !storage.local && isOuterPath(storage.path, fn)) return undefined;
  if (isLazyGuarded(creation, fn)) return undefined;
  // `cached ?? (cached = new X())` and `return x || new X()`-style caches.
  for (let current = creation.parent; current && current !== fn; current = current.parent) {
    if (ts.isBinaryExpression(current) && (current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || current.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return undefined;
    if (ts.isStatement(current)) break;
  }
  let cached = false;
  let returned = false;
  let closed = false;
  const ownCalls: ts.CallExpression[] = [];
  forEachOwnNode(fn, (node) => {
    if (isCallExpression(node)) ownCalls.push(node);
    if (storage && isCallExpression(node) && mayBeNamed(node, CLOSE_METHODS)) {
      const path = expressionPath(node.expression);
      if (path !== undefined && CLOSE_CALL.test(path) && path.startsWith(`${storage.path}.`)) closed = true;
    }
    // A local later copied to an outer variable or property: `const c = new X(); cache.c = c;`.
    if (storage?.local && isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isIdentifier(unwrap(node.right)) && (unwrap(node.right) as ts.Identifier).text === storage.path) {
      const left = expressionPath(node.left);
      if (left && isOuterPath(left, fn)) cached = true;
    }
    if (isReturnStatement(node) && node.expression) {
      if (handsOver(node.expression, creation, storage?.local ? storage.path : undefined)) returned = true;
    }
  });
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body && !ts.isBlock(body) && handsOver(body, creation, storage?.local ? storage.path : undefined)) returned = true;
  if (cached || (returned && !closed)) return undefined;
  return { fn, storage, ownCalls };
}

/** The call that connects a just-created client in the same function: `client.connect()` or `new X().connect()`. */
function findConnect(creation: ts.NewExpression, analysis: Analysis): ts.CallExpression | undefined {
  const parent = creation.parent;
  if (parent && ts.isPropertyAccessExpression(parent) && parent.name.text === "connect" && parent.parent && ts.isCallExpression(parent.parent)) return parent.parent;
  const path = analysis.storage?.path;
  if (!path) return undefined;
  return analysis.ownCalls.find((call) => mayBeNamed(call, CONNECT_METHOD) && expressionPath(call.expression) === `${path}.connect`);
}

function kindOf(context: RuleContext, node: ts.CallExpression | ts.NewExpression): { kind?: Kind; pool?: string } {
  const target = resolveImport(context, node.expression);
  if (ts.isNewExpression(node)) {
    if (!target) return {};
    if (target.module === "pg" || target.module === "@neondatabase/serverless") {
      if (target.name === "Client") return { kind: "pg" };
      if (target.name === "Pool") return { pool: target.module };
    }
    if (target.module === "mongodb" && target.name === "MongoClient") return { kind: "mongo" };
    if (isPrismaModule(target.module) && target.name === "PrismaClient") return { kind: "prisma" };
    if (target.module === "sequelize" && (target.name === "Sequelize" || target.name === "default")) return { kind: "sequelize" };
    if ((target.module === "sequelize-typescript" && target.name === "Sequelize")) return { kind: "sequelize" };
    if (target.module === "typeorm" && target.name === "DataSource") return { kind: "typeorm" };
    return {};
  }
  const callee = unwrap(node.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === "connect") {
    const base = resolveImport(context, callee.expression);
    if (base?.module === "mongodb" && base.name === "MongoClient") return { kind: "mongoConnect" };
    if (base?.module === "mongoose" && (base.name === "default" || base.name === "*")) return { pool: "mongoose" };
  }
  if (!target) return {};
  if (MYSQL_MODULES.has(target.module)) {
    if (target.name === "createConnection") return { kind: "mysql" };
    if (target.name === "createPool" || target.name === "createPoolCluster") return { pool: target.module };
  }
  if (target.module === "knex" && (target.name === "default" || target.name === "knex" || target.name === "Knex")) {
    const first = node.arguments[0] && unwrap(node.arguments[0]);
    if (first && !ts.isStringLiteralLike(first) && !ts.isTemplateExpression(first)) return { kind: "knex" };
  }
  if (target.module === "typeorm" && target.name === "createConnection") return { kind: "typeorm" };
  return {};
}

/**
 * The pg fix: a module-level `Pool`, and the per-call `Client` becomes a client checked out of it
 * (`await pool.connect()` … `client.release()`). Only for the plain shape where that is surely right.
 */
/** Per-file facts `pgFix` needs, each computed at most once per file (every finding of the file would repeat them). */
class FileFacts {
  private pool: string | undefined | null = null;
  private clients: number | undefined;
  private readonly poolImports = new Map<string, TextEdit | undefined>();
  constructor(private readonly context: RuleContext) {}

  /** A free name for the module-level pool, if any (a scan of the text). */
  get poolName(): string | undefined {
    const text = this.context.text;
    if (this.pool === null) this.pool = !/\bpool\b/.test(text) ? "pool" : !/\bpgPool\b/.test(text) ? "pgPool" : undefined;
    return this.pool;
  }

  /** How many times the word `Client` occurs (a scan of the text). */
  get clientUses(): number {
    return (this.clients ??= this.context.text.match(/\bClient\b/g)?.length ?? 0);
  }

  /** The edit importing `Pool` from `module` (it scans the text too). */
  poolImport(module: string): TextEdit | undefined {
    if (!this.poolImports.has(module)) this.poolImports.set(module, addImportEdit(this.context, { module, named: ["Pool"] }));
    const edit = this.poolImports.get(module);
    return edit && { ...edit };
  }
}

function pgFix(context: RuleContext, creation: ts.NewExpression, analysis: Analysis, connect: ts.CallExpression, fileFacts: FileFacts): Fix | undefined {
  const { sourceFile, text } = context;
  const { fn, storage } = analysis;
  if (!storage?.declaration || storage.declaration.initializer !== creation) return undefined;
  const modifiers = ts.canHaveModifiers(fn) ? ts.getModifiers(fn) : undefined;
  if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  const name = storage.path;
  // `await client.connect();` as a statement of its own, no arguments.
  let connectStatement: ts.Node = connect.parent;
  if (ts.isAwaitExpression(connectStatement)) connectStatement = connectStatement.parent;
  if (!ts.isExpressionStatement(connectStatement) || connect.arguments.length > 0) return undefined;
  // Every `client.end()` becomes `client.release()`; there must be one (else the pool would run dry).
  const ends: ts.CallExpression[] = [];
  let unsafe = false;
  for (const call of analysis.ownCalls) {
    if (mayBeNamed(call, END_METHOD) && expressionPath(call.expression) === `${name}.end`) {
      if (call.arguments.length > 0) unsafe = true;
      else ends.push(call);
    }
  }
  if (unsafe || ends.length === 0) return undefined;
  // The pool's options move to module level: they may only use module-level names.
  const topLevel = topLevelStatementOf(fn);
  const topIndex = sourceFile.statements.indexOf(topLevel);
  let usesModuleVariables = false;
  let local = false;
  const checkName = (node: ts.Node): boolean => {
    if (!ts.isIdentifier(node)) return true;
    const parent = node.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
    if (parent && ts.isPropertyAssignment(parent) && parent.name === node) return true;
    if (GLOBAL_NAMES.has(node.text)) return true;
    if (moduleOfLocal(context, node.text) !== undefined) return true;
    const declaredBefore = sourceFile.statements
      .slice(0, topIndex)
      .some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === node.text));
    if (declaredBefore) usesModuleVariables = true;
    else local = true;
    return !local;
  };
  for (const argument of creation.arguments ?? []) {
    if (checkName(argument)) forEachDescendant(argument, checkName);
    if (local) return undefined;
  }
  const poolName = fileFacts.poolName;
  if (!poolName || isDeclaredInScope(creation, poolName)) return undefined;

  const eol = newlineOf(text);
  const callee = unwrap(creation.expression);
  let poolConstructor: string;
  let importEdit: TextEdit | undefined;
  if (ts.isPropertyAccessExpression(callee)) {
    poolConstructor = `${callee.expression.getText(sourceFile)}.Pool`;
  } else {
    const pgBinding = context.imports.find((b) => (b.module === "pg" || b.module === "@neondatabase/serverless") && b.named.get("Client") === (callee as ts.Identifier).text);
    if (!pgBinding) return undefined;
    const existingPool = pgBinding.named.get("Pool") ?? context.imports.find((b) => b.module === pgBinding.module && b.named.has("Pool"))?.named.get("Pool");
    if (existingPool) {
      poolConstructor = existingPool;
    } else {
      poolConstructor = "Pool";
      const specifier = findDescendant(pgBinding.node, (n) => (ts.isImportSpecifier(n) || ts.isBindingElement(n)) && !n.propertyName && ts.isIdentifier(n.name) && n.name.text === "Client");
      if (specifier && (callee as ts.Identifier).text === "Client" && fileFacts.clientUses === 2) {
        const id = (specifier as ts.ImportSpecifier | ts.BindingElement).name;
        importEdit = { start: id.getStart(sourceFile), end: id.getEnd(), newText: "Pool" };
      } else {
        if (isDeclaredInScope(creation, "Pool")) return undefined;
        importEdit = fileFacts.poolImport(pgBinding.module);
        if (!importEdit) return undefined;
      }
    }
  }
  const args = (creation.arguments ?? []).map((a) => a.getText(sourceFile)).join(", ");
  // After the imports when the options only use imports and the environment, else just before the function's statement.
  const lastImport = context.imports.length > 0 ? topLevelStatementOf(context.imports[context.imports.length - 1].node) : undefined;
  const previous = !usesModuleVariables && lastImport ? lastImport : topIndex > 0 ? sourceFile.statements[topIndex - 1] : undefined;
  const declaration = `const ${poolName} = new ${poolConstructor}(${args});`;
  const poolEdit: TextEdit = previous
    ? { start: previous.getEnd(), end: previous.getEnd(), newText: `${eol}${eol}${declaration}` }
    : { start: topLevel.getStart(sourceFile), end: topLevel.getStart(sourceFile), newText: `${declaration}${eol}${eol}` };
  const connectStart = connectStatement.getStart(sourceFile);
  const edits: TextEdit[] = [];
  if (importEdit) edits.push(importEdit);
  edits.push(poolEdit);
  edits.push({ start: creation.getStart(sourceFile), end: creation.getEnd(), newText: `await ${poolName}.connect()` });
  edits.push(deleteStatement(text, connectStart, connectStatement.getEnd()));
  for (const end of ends) {
    // `await client.end()` → `client.release()` (release is synchronous).
    const awaited = end.parent && ts.isAwaitExpression(end.parent) ? end.parent : undefined;
    edits.push({ start: (awaited ?? end).getStart(sourceFile), end: end.getEnd(), newText: `${name}.release()` });
  }
  return { title: `Use one module-level \`${poolName}\` and check a client out of it per call`, edits, preferred: true };
}

const GLOBAL_NAMES = new Set(["process", "undefined", "Number", "String", "Boolean", "parseInt", "Buffer"]);

/** Deletes a statement and its line when it stands alone on it. */
function deleteStatement(text: string, start: number, end: number): TextEdit {
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === " " || text[lineStart - 1] === "\t")) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === " " || text[lineEnd] === "\t")) lineEnd++;
  if ((lineStart === 0 || text[lineStart - 1] === "\n") && (text[lineEnd] === "\n" || text[lineEnd] === "\r")) {
    const after = text[lineEnd] === "\r" && text[lineEnd + 1] === "\n" ? lineEnd + 2 : lineEnd + 1;
    return { start: lineStart, end: after, newText: "" };
  }
  return { start, end, newText: "" };
}

function topLevelStatementOf(node: ts.Node): ts.Statement {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current as ts.Statement;
}

/** Object literals among the arguments, and the nested option objects drivers read retry settings from. */
function hasRetryOption(node: ts.CallExpression | ts.NewExpression): boolean {
  const objects: ts.ObjectLiteralExpression[] = [];
  for (let i = 0; i < (node.arguments?.length ?? 0); i++) {
    const object = objectArgument(node, i);
    if (!object) continue;
    objects.push(object);
    for (const key of ["socket", "redisOptions", "options", "retry"]) {
      const nested = getPropertyValue(object, key);
      if (nested && ts.isObjectLiteralExpression(unwrap(nested))) objects.push(unwrap(nested) as ts.ObjectLiteralExpression);
    }
  }
  return objects.some((object) =>
    object.properties.some((p) => {
      const key = propertyNameText(p.name);
      return key !== undefined && RETRY_KEYS.has(key);
    }),
  );
}

function emitRetrySignals(context: RuleContext, node: ts.CallExpression | ts.NewExpression): void {
  const target = resolveImport(context, node.expression);
  const callee = unwrap(node.expression);
  const base = ts.isPropertyAccessExpression(callee) ? resolveImport(context, callee.expression) : undefined;
  const module = target?.module ?? base?.module;
  if (!module) return;
  if (module === "ioredis" || module === "redis" || module === "@redis/client" || module.startsWith("@nestjs/") || module === "sequelize") {
    if (hasRetryOption(node)) context.signal(RETRY, node, module);
    return;
  }
  if (RETRY_MODULES.has(module) && ts.isCallExpression(node)) {
    const attempts = node.arguments.some((a) => {
      const fn = unwrap(a);
      return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && findDescendant(fn, (n) => ts.isCallExpression(n) && CONNECT_NAMES.test(calleeName(n) ?? "")) !== undefined;
    });
    if (attempts) context.signal(RETRY, node, module);
  }
}

/** `new Client()` + `connect()`, `createConnection()`, `new PrismaClient()`… inside per-call code. */
export const dbClientPerRequest: Rule = {
  meta: {
    id: "db-client-per-request",
    checklistItem: "reliability.connection-pooling",
    defaultSeverity: "warning",
    description: "A new database connection or client is created on every call instead of reusing a pool created at startup.",
    scope: "production",
    fixable: true,
    triggers: ["pg", "mysql", "mongo", "prisma", "Prisma", "sequelize", "Sequelize", "knex", "typeorm", "redis", "Redis", "retry", "Retry", "connect"],
    messages: {
      perCall: "`{{call}}` opens a new database connection every time {{fn}} runs: connecting costs a TCP + TLS + auth round trip, and under load the database runs out of connections. {{advice}}.",
    },
    docs: {
      why:
        "Opening a database connection costs several round trips (TCP, TLS, authentication) and a server process or slot on the database. Doing it per request adds that latency to every request and, under load, exhausts `max_connections`: requests start failing with \"too many clients\". ORMs like Prisma, Sequelize, TypeORM and Knex each create a whole connection pool per instance, so creating one per call multiplies that.",
      howToFix: [
        "Create the pool (or ORM client) once at module level or at startup, and reuse it:",
        "",
        "```ts",
        'import { Pool } from "pg";',
        "const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });",
        "",
        "export async function getUser(id: string) {",
        '  const { rows } = await pool.query("SELECT * FROM users WHERE id = $1", [id]);',
        "  return rows[0];",
        "}",
        "```",
        "",
        "For `pg`, the quick fix moves the `Client` options into a module-level `Pool` and turns the per-call client into one checked out of it (`const client = await pool.connect()` … `client.release()`), which keeps transactions on one connection. It is offered only when the function connects with a bare `await client.connect()`, ends the client with `client.end()`, and the options use module-level names only.",
        "For Prisma, export one `PrismaClient` (`export const prisma = new PrismaClient()`) or a NestJS `PrismaService`; a lazily created singleton (`client ??= new PrismaClient()`) is fine too.",
      ].join("\n"),
      valid: [
        {
          note: "One pool for the process.",
          code: `import { Pool } from "pg";
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
export async function getUser(id: string) {
  const { rows } = await pool.query("SELECT * FROM users WHERE id = $1", [id]);
  return rows[0];
}`,
        },
        {
          note: "A lazily created singleton.",
          code: `import { PrismaClient } from "@prisma/client";
let prisma: PrismaClient | undefined;
export function db() {
  prisma ??= new PrismaClient();
  return prisma;
}`,
        },
      ],
      invalid: [
        {
          code: `import { Client } from "pg";
export async function getUser(id: string) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0];
  } finally {
    await client.end();
  }
}`,
        },
        {
          note: "A Prisma client per request.",
          code: `import { PrismaClient } from "@prisma/client";
app.get("/orders", async (req, res) => {
  const prisma = new PrismaClient();
  res.json(await prisma.order.findMany({ where: { userId: req.user.id } }));
});`,
        },
      ],
    },
  },
  create(context) {
    const fileFacts = new FileFacts(context);
    // The names this file imports those packages as (often none).
    const clientLocals = new Set<string>();
    for (const binding of context.imports) {
      if (!isClientModule(binding.module)) continue;
      if (binding.defaultName) clientLocals.add(binding.defaultName);
      if (binding.namespaceName) clientLocals.add(binding.namespaceName);
      for (const local of binding.named.values()) clientLocals.add(local);
    }
    const check = (node: ts.CallExpression | ts.NewExpression) => {
      // `resolveImport` only resolves a callee whose chain starts with an imported name: decide on
      // that first name before resolving anything.
      const root = pathRoot(node.expression);
      if (root === undefined || !clientLocals.has(root)) return;
      emitRetrySignals(context, node);
      const { kind, pool } = kindOf(context, node);
      if (pool) {
        context.signal(POOL, node, pool);
        return;
      }
      if (!kind) return;
      const analysis = analysePerCall(node);
      let connect: ts.CallExpression | undefined;
      if (analysis && (kind === "pg" || kind === "mongo")) {
        connect = findConnect(node as ts.NewExpression, analysis);
        if (!connect) return;
      }
      if (!analysis) {
        if (kind !== "pg" && kind !== "mysql") context.signal(POOL, node, kind);
        return;
      }
      const fixes: Fix[] = [];
      if (kind === "pg") {
        const fix = pgFix(context, node as ts.NewExpression, analysis, connect!, fileFacts);
        if (fix) fixes.push(fix);
      }
      const call = ts.isNewExpression(node) ? `new ${unwrap(node.expression).getText(context.sourceFile)}()` : `${unwrap(node.expression).getText(context.sourceFile)}()`;
      context.report({
        start: node.getStart(context.sourceFile),
        end: node.expression.getEnd(),
        messageId: "perCall",
        data: { call, fn: describeFunction(analysis.fn), advice: ADVICE[kind] },
        fixes,
      });
    };
    return {
      [ts.SyntaxKind.NewExpression]: check,
      [ts.SyntaxKind.CallExpression]: check,
      [ts.SyntaxKind.TryStatement](node: ts.TryStatement) {
        // A hand-written retry loop around a connect: `for (…) { try { await db.connect(); break; } catch { await sleep(…) } }`.
        let inLoop = false;
        for (let current = node.parent; current && !ts.isFunctionLike(current) && !ts.isSourceFile(current); current = current.parent) {
          if (ts.isIterationStatement(current, false)) {
            inLoop = true;
            break;
          }
        }
        if (!inLoop) return;
        const connect = findDescendant(node.tryBlock, (n) => ts.isCallExpression(n) && CONNECT_NAMES.test(calleeName(n) ?? "") && ts.isPropertyAccessExpression(unwrap(n.expression)));
        if (connect) context.signal(RETRY, connect, "retry loop");
      },
    };
  },
};
