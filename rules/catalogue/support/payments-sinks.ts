/**
 * Database calls, as the payments/input-validation rules see them: Prisma, Mongoose/Sequelize models,
 * TypeORM/MikroORM repositories and entity managers, the MongoDB driver, Knex, Drizzle and raw SQL.
 * For each call: whether it writes (and whether the write is an upsert), and which arguments carry
 * data (`write`), a MongoDB filter (`mongoFilter`: operator injection), an SQL-ORM filter
 * (`sqlFilter`: only a whole object is dangerous) or SQL text (`rawSql`).
 * Shared by `unvalidated-input` and `webhook-not-idempotent`.
 */
import ts = require("typescript");
import { calleeName, findVariableInitializer, getProperty, moduleOfLocal, propertyNameText, staticString, unwrap } from "../../ast";
import type { RuleContext } from "../../types";

export type CheckMode = "write" | "mongoFilter" | "sqlFilter" | "rawSql";

export interface SinkCheck {
  expression: ts.Expression;
  mode: CheckMode;
}

export type DataFamily = "prisma" | "model" | "repository" | "manager" | "collection" | "knex" | "drizzle" | "sql";

export interface DataCall {
  family: DataFamily;
  method: string;
  write: boolean;
  upsert: boolean;
  checks: SinkCheck[];
}

type Ctx = Pick<RuleContext, "imports">;

/** The last name of a receiver: `prisma` in `this.prisma`, `collection` in `db.collection("x")`. */
export function lastName(expression: ts.Expression): string | undefined {
  const value = unwrap(expression);
  if (ts.isIdentifier(value)) return value.text;
  if (value.kind === ts.SyntaxKind.ThisKeyword) return "this";
  if (ts.isPropertyAccessExpression(value)) return value.name.text;
  if (ts.isElementAccessExpression(value)) return staticString(value.argumentExpression);
  if (ts.isCallExpression(value)) return calleeName(value);
  return undefined;
}

/** The identifier (or `this`) a chain of property accesses and calls starts from, and the names of the calls on the way. */
function chainOf(expression: ts.Expression): { root: ts.Expression; calls: string[]; afterRoot?: string } {
  const calls: string[] = [];
  let afterRoot: string | undefined;
  let current = unwrap(expression);
  for (;;) {
    if (ts.isCallExpression(current)) {
      calls.push(calleeName(current) ?? "");
      const callee = unwrap(current.expression);
      if (ts.isIdentifier(callee)) return { root: callee, calls };
      current = callee;
    } else if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
      afterRoot = ts.isPropertyAccessExpression(current) ? current.name.text : undefined;
      current = unwrap(current.expression);
    } else {
      return { root: current, calls, afterRoot };
    }
  }
}

/** Names of the calls chained after this one: `["onConflict", "merge"]` for `insert(x).onConflict("id").merge()`. */
function chainedAfter(call: ts.CallExpression): string[] {
  const names: string[] = [];
  let current: ts.Node = call;
  while (current.parent && ts.isPropertyAccessExpression(current.parent) && current.parent.expression === current && current.parent.parent && ts.isCallExpression(current.parent.parent)) {
    names.push(current.parent.name.text);
    current = current.parent.parent;
  }
  return names;
}

const GLOBAL_PASCAL = new Set([
  "Object", "JSON", "Promise", "Array", "Math", "Date", "Reflect", "Number", "String", "Boolean", "Buffer", "Symbol", "Map", "Set",
  "WeakMap", "WeakSet", "Error", "URL", "URLSearchParams", "Intl", "Proxy", "BigInt", "RegExp", "Stripe", "Sentry", "React", "Response",
  "Request", "Headers", "FormData", "Blob", "File", "AbortController", "TextEncoder", "TextDecoder", "Function", "ArrayBuffer", "Joi", "Yup",
  "Logger", "Readable", "Writable", "Worker", "EventEmitter", "Redis", "Queue", "Paddle", "Braintree",
]);
const NOT_A_MODEL = /(Service|Controller|Factory|Builder|Client|Helper|Utils?|Manager|Handler|Validator|Schema|Dto|DTO|Error|Api|API|Queue|Cache|Store|Provider|Module)$/;

function isLocalModule(module: string): boolean {
  return /^(\.|@\/|~\/|#|src\/)/.test(module) || /models?|entit|schemas?\b|\bdb\b|database|repositor/i.test(module);
}

/** A Mongoose/Sequelize model referenced by a PascalCase name: `User`, `db.User`, `userModel`, `this.userModel`. */
function isModelReceiver(receiver: ts.Expression, context: Ctx): boolean {
  const value = unwrap(receiver);
  if (ts.isIdentifier(value)) {
    const name = value.text;
    if (/^[a-z]\w*Model$|^model$/.test(name)) return true;
    if (!/^[A-Z][a-z]\w*$/.test(name) || GLOBAL_PASCAL.has(name) || NOT_A_MODEL.test(name)) return false;
    const module = moduleOfLocal(context, name);
    return module === undefined || isLocalModule(module);
  }
  if (ts.isPropertyAccessExpression(value)) {
    const name = value.name.text;
    if (/^[a-z]\w*Model$|^model$/.test(name)) return true;
    if (/^[A-Z][a-z]\w*$/.test(name) && !NOT_A_MODEL.test(name) && /^(models|db|database|sequelize|orm|connection)$/i.test(lastName(value.expression) ?? "")) return true;
  }
  return false;
}

const PRISMA_METHODS: Record<string, boolean> = {
  create: true, createMany: true, createManyAndReturn: true, update: true, updateMany: true, updateManyAndReturn: true, upsert: true,
  delete: true, deleteMany: true,
  findMany: false, findFirst: false, findFirstOrThrow: false, findUnique: false, findUniqueOrThrow: false, count: false, aggregate: false, groupBy: false,
};
const PRISMA_CLIENT = /prisma|^(db|tx|trx|database|orm)$/i;

function isPrismaModel(receiver: ts.Expression): boolean {
  const value = unwrap(receiver);
  if (!ts.isPropertyAccessExpression(value) || !/^[a-z]/.test(value.name.text)) return false;
  const client = lastName(value.expression);
  return client !== undefined && PRISMA_CLIENT.test(client);
}

const REPOSITORY_CALLS = new Set(["getRepository", "getCustomRepository", "getMongoRepository", "getTreeRepository", "withRepository"]);

function isRepository(receiver: ts.Expression): boolean {
  const value = unwrap(receiver);
  if (ts.isCallExpression(value)) return REPOSITORY_CALLS.has(calleeName(value) ?? "");
  const name = lastName(value);
  return name !== undefined && /^(repo|repository)$|[a-z](Repo|Repository)$/.test(name);
}

function isEntityManager(receiver: ts.Expression): boolean {
  const name = lastName(receiver);
  return name !== undefined && /^(manager|entityManager|em|transactionalEntityManager)$|[a-z]EntityManager$/.test(name);
}

function isCollection(receiver: ts.Expression): boolean {
  const value = unwrap(receiver);
  if (ts.isCallExpression(value)) return calleeName(value) === "collection";
  const name = lastName(value);
  return name !== undefined && /^collection$|[a-z]Collection$/.test(name);
}

const KNEX_NAMES = /^(knex|db|trx|database)$/;

function isKnexRoot(root: ts.Expression, context: Ctx): boolean {
  if (!ts.isIdentifier(root)) return false;
  const module = moduleOfLocal(context, root.text);
  if (module === "knex") return true;
  if (KNEX_NAMES.test(root.text)) return true;
  const initializer = findVariableInitializer(root, root.text);
  if (initializer) {
    const value = unwrap(initializer);
    if (ts.isCallExpression(value)) {
      const callee = unwrap(value.expression);
      if (ts.isIdentifier(callee) && moduleOfLocal(context, callee.text) === "knex") return true;
      if (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "require" && staticString(callee.arguments[0]) === "knex") return true;
    }
  }
  return false;
}

function hasUpsertOption(call: ts.CallExpression): boolean {
  for (const argument of call.arguments.slice(1)) {
    const value = unwrap(argument);
    if (!ts.isObjectLiteralExpression(value)) continue;
    const property = getProperty(value, "upsert");
    if (property && ts.isPropertyAssignment(property) && unwrap(property.initializer).kind === ts.SyntaxKind.TrueKeyword) return true;
  }
  return false;
}

/** Checks for an ORM options object: `where` is a filter, `data`/`create`/`update`/`defaults` carry data. */
function optionChecks(argument: ts.Expression | undefined, whole: CheckMode): SinkCheck[] {
  if (!argument) return [];
  const value = unwrap(argument);
  if (!ts.isObjectLiteralExpression(value)) return [{ expression: argument, mode: whole }];
  const checks: SinkCheck[] = [];
  for (const property of value.properties) {
    if (ts.isSpreadAssignment(property)) {
      checks.push({ expression: property.expression, mode: whole });
      continue;
    }
    const key = propertyNameText(property.name);
    const initializer = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!initializer || !key) continue;
    if (key === "where") checks.push({ expression: initializer, mode: "sqlFilter" });
    else if (key === "data" || key === "create" || key === "update" || key === "defaults") checks.push({ expression: initializer, mode: "write" });
  }
  return checks;
}

/** Mongo-style filter (`find({ email })`) unless the argument is an options object with `where` (Sequelize). */
function filterChecks(argument: ts.Expression | undefined): SinkCheck[] {
  if (!argument) return [];
  const value = unwrap(argument);
  if (ts.isObjectLiteralExpression(value) && getProperty(value, "where")) return optionChecks(value, "sqlFilter");
  return [{ expression: argument, mode: "mongoFilter" }];
}

const MODEL_CREATE = new Set(["create", "insertMany", "insertOne", "bulkCreate", "build", "upsert"]);
const MODEL_FILTER_UPDATE = new Set(["updateOne", "updateMany", "findOneAndUpdate", "replaceOne", "findOneAndReplace"]);
const MODEL_FILTER = new Set([
  "find", "findOne", "countDocuments", "exists", "deleteOne", "deleteMany", "findOneAndDelete", "findOneAndRemove", "findAll", "findAndCountAll",
  "count", "destroy", "where",
]);
const MODEL_WRITES = new Set([...MODEL_CREATE, ...MODEL_FILTER_UPDATE, "update", "findByIdAndUpdate", "deleteOne", "deleteMany", "findOneAndDelete", "findOneAndRemove", "destroy", "findByIdAndDelete", "findOrCreate", "increment", "decrement"]);

function modelCall(call: ts.CallExpression, method: string, family: "model" | "collection"): DataCall | undefined {
  const args = call.arguments;
  let checks: SinkCheck[] | undefined;
  if (MODEL_CREATE.has(method)) checks = [{ expression: args[0], mode: "write" }];
  else if (MODEL_FILTER_UPDATE.has(method)) checks = [...filterChecks(args[0]), { expression: args[1], mode: "write" }];
  else if (method === "update") {
    const options = args[1] && unwrap(args[1]);
    checks = options && ts.isObjectLiteralExpression(options) && getProperty(options, "where")
      ? [{ expression: args[0], mode: "write" }, ...optionChecks(options, "sqlFilter")]
      : [...filterChecks(args[0]), { expression: args[1], mode: "write" }];
  } else if (method === "findByIdAndUpdate") checks = [{ expression: args[1], mode: "write" }];
  else if (method === "findOrCreate") checks = optionChecks(args[0], "sqlFilter");
  else if (MODEL_FILTER.has(method)) checks = filterChecks(args[0]);
  else if (MODEL_WRITES.has(method)) checks = [];
  if (!checks) return undefined;
  return {
    family,
    method,
    write: MODEL_WRITES.has(method),
    upsert: method === "upsert" || hasUpsertOption(call),
    checks: checks.filter((check) => check.expression !== undefined),
  };
}

/** The methods `repositoryCall` knows (its `switch`). */
const REPOSITORY_METHODS = [
  "save", "insert", "create", "upsert", "preload", "nativeInsert", "persist", "update", "nativeUpdate", "merge", "assign", "delete", "softDelete",
  "nativeDelete", "findBy", "findOneBy", "findOneByOrFail", "findAndCountBy", "countBy", "existsBy", "existBy", "find", "findOne", "findOneOrFail",
  "findAndCount", "count", "exists", "remove", "softRemove", "increment", "decrement", "persistAndFlush",
];
const REPOSITORY_WRITES = new Set(["save", "insert", "update", "upsert", "delete", "softDelete", "remove", "softRemove", "increment", "decrement", "persist", "persistAndFlush", "nativeInsert", "nativeUpdate", "nativeDelete"]);

function repositoryCall(call: ts.CallExpression, method: string, shift: number, family: "repository" | "manager"): DataCall | undefined {
  const args = call.arguments.slice(shift);
  let checks: SinkCheck[] | undefined;
  switch (method) {
    case "save":
    case "insert":
    case "create":
    case "upsert":
    case "preload":
    case "nativeInsert":
    case "persist":
      checks = [{ expression: args[0], mode: "write" }];
      break;
    case "update":
    case "nativeUpdate":
      checks = [{ expression: args[0], mode: "sqlFilter" }, { expression: args[1], mode: "write" }];
      break;
    case "merge":
    case "assign":
      checks = args.slice(1).map((expression) => ({ expression, mode: "write" as const }));
      break;
    case "delete":
    case "softDelete":
    case "nativeDelete":
    case "findBy":
    case "findOneBy":
    case "findOneByOrFail":
    case "findAndCountBy":
    case "countBy":
    case "existsBy":
    case "existBy":
      checks = [{ expression: args[0], mode: "sqlFilter" }];
      break;
    case "find":
    case "findOne":
    case "findOneOrFail":
    case "findAndCount":
    case "count":
    case "exists":
      checks = optionChecks(args[0], "sqlFilter");
      break;
    case "remove":
    case "softRemove":
    case "increment":
    case "decrement":
    case "persistAndFlush":
      checks = [];
      break;
  }
  if (!checks) return undefined;
  return { family, method, write: REPOSITORY_WRITES.has(method), upsert: method === "upsert", checks: checks.filter((check) => check.expression !== undefined) };
}

const SQL_KEYWORDS = /\b(select|insert|update|delete|from|where|into|values|set|order\s+by|limit|join)\b/i;
const SQL_WRITE = /^\s*(insert|update|delete|replace|merge|upsert)\b/i;
const SQL_UPSERT = /on\s+conflict|on\s+duplicate\s+key|insert\s+(or\s+)?ignore|insert\s+or\s+replace|^\s*merge\b|^\s*upsert\b/i;
const RAW_METHODS = new Set(["query", "execute", "raw", "$queryRawUnsafe", "$executeRawUnsafe", "unsafe", "none", "one", "many", "any", "oneOrNone", "manyOrNone", "result", "run", "all"]);

/** The static text of an SQL argument: a string, a template (holes as `?`), a `+` concatenation, or a same-file constant. */
export function sqlTextOf(argument: ts.Expression | undefined, resolve = true): string | undefined {
  if (!argument) return undefined;
  const value = unwrap(argument);
  const text = staticString(value);
  if (text !== undefined) return text;
  if (ts.isTemplateExpression(value)) return value.head.text + value.templateSpans.map((span) => "?" + span.literal.text).join("");
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return (sqlTextOf(value.left, false) ?? "?") + (sqlTextOf(value.right, false) ?? "?");
  }
  if (resolve && ts.isIdentifier(value)) {
    const initializer = findVariableInitializer(value, value.text);
    return initializer ? sqlTextOf(initializer, false) : undefined;
  }
  return undefined;
}

/** True when a string looks like SQL (so interpolating into it is SQL injection). */
export function looksLikeSql(text: string | undefined): boolean {
  return text !== undefined && SQL_KEYWORDS.test(text);
}

/** SQL written through a tagged template (`sql\`INSERT …\``, `prisma.$executeRaw\`…\``): a write, and whether it is an upsert. */
export function taggedSqlWrite(node: ts.TaggedTemplateExpression): { upsert: boolean } | undefined {
  const tag = lastName(node.tag);
  if (!tag || !/sql|\$executeRaw|\$queryRaw|^query$/i.test(tag)) return undefined;
  const template = node.template;
  const text = ts.isNoSubstitutionTemplateLiteral(template) ? template.text : template.head.text + template.templateSpans.map((span) => "?" + span.literal.text).join("");
  if (!SQL_WRITE.test(text)) return undefined;
  return { upsert: SQL_UPSERT.test(text) };
}

const KNEX_METHODS = ["insert", "update", "where", "andWhere", "orWhere", "whereNot", "del", "delete"];
const DRIZZLE_METHODS = ["values", "set", "insert", "update", "delete"];
/** Every method name some family below accepts: any other call is no database call. */
const DATA_METHODS = new Set([
  ...RAW_METHODS, ...Object.keys(PRISMA_METHODS), ...REPOSITORY_METHODS, ...MODEL_WRITES, ...MODEL_FILTER, "update", "findByIdAndUpdate", "findOrCreate",
  ...DRIZZLE_METHODS, ...KNEX_METHODS,
]);

/** Classifies a database call; `undefined` for anything else. */
export function classifyDataCall(call: ts.CallExpression, context: Ctx): DataCall | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (!DATA_METHODS.has(method)) return undefined;
  const receiver = callee.expression;

  if (RAW_METHODS.has(method)) {
    const text = sqlTextOf(call.arguments[0]);
    if (looksLikeSql(text)) {
      return { family: "sql", method, write: SQL_WRITE.test(text!), upsert: SQL_UPSERT.test(text!), checks: [{ expression: call.arguments[0], mode: "rawSql" }] };
    }
    if (method === "query" || method === "execute" || method === "raw" || method === "unsafe" || method === "$queryRawUnsafe" || method === "$executeRawUnsafe") {
      // `db.query(req.body.sql)`: the SQL text itself comes from somewhere else.
      if (call.arguments[0] && !ts.isObjectLiteralExpression(unwrap(call.arguments[0]))) {
        return { family: "sql", method, write: false, upsert: false, checks: [{ expression: call.arguments[0], mode: "rawSql" }] };
      }
    }
  }

  if (Object.prototype.hasOwnProperty.call(PRISMA_METHODS, method) && isPrismaModel(receiver)) {
    const write = PRISMA_METHODS[method];
    return { family: "prisma", method, write, upsert: method === "upsert", checks: optionChecks(call.arguments[0], write ? "write" : "sqlFilter") };
  }
  if (isRepository(receiver)) return repositoryCall(call, method, 0, "repository");
  if (isEntityManager(receiver)) {
    const first = call.arguments[0] && unwrap(call.arguments[0]);
    const shift = first && (ts.isIdentifier(first) && /^[A-Z]/.test(first.text) || ts.isStringLiteral(first)) ? 1 : 0;
    return repositoryCall(call, method, shift, "manager");
  }
  if (isCollection(receiver)) return modelCall(call, method, "collection");
  if (isModelReceiver(receiver, context)) return modelCall(call, method, "model");

  // Drizzle: `db.insert(users).values(x)`, `db.update(users).set(x)`, and the `db.insert(users)` itself.
  const { root, calls, afterRoot } = chainOf(receiver);
  const dbRoot = ts.isIdentifier(root) ? /^(db|tx|trx|database)$/.test(root.text) : root.kind === ts.SyntaxKind.ThisKeyword && /^(db|database|drizzle)$/.test(afterRoot ?? "");
  if ((method === "values" && calls.includes("insert")) || (method === "set" && calls.includes("update"))) {
    if (dbRoot && call.arguments[0]) return { family: "drizzle", method, write: false, upsert: false, checks: [{ expression: call.arguments[0], mode: "write" }] };
  }
  const directOnDb = ts.isIdentifier(unwrap(receiver)) || (ts.isPropertyAccessExpression(unwrap(receiver)) && (unwrap(receiver) as ts.PropertyAccessExpression).expression.kind === ts.SyntaxKind.ThisKeyword);
  if ((method === "insert" || method === "update" || method === "delete") && dbRoot && calls.length === 0 && directOnDb && call.arguments.length === 1) {
    const table = unwrap(call.arguments[0]);
    if (ts.isIdentifier(table) || ts.isPropertyAccessExpression(table)) {
      const after = chainedAfter(call);
      return { family: "drizzle", method, write: true, upsert: after.some((name) => /^onConflict|^onDuplicateKeyUpdate$/.test(name)), checks: [] };
    }
  }

  // Knex: `knex("users").insert(x)`, `db("users").where(req.query)`, `knex.insert(x).into("users")`.
  if (KNEX_METHODS.includes(method) && isKnexRoot(root, context)) {
    const rootName = (root as ts.Identifier).text;
    const tableCall = calls.length > 0 && (calls[calls.length - 1] === rootName || calls.some((name) => /^(table|from|into|withSchema|queryBuilder)$/.test(name)));
    const direct = calls.length === 0 && ts.isIdentifier(unwrap(receiver)) && (rootName === "knex" || moduleOfLocal(context, rootName) === "knex");
    if (tableCall || direct) {
      const write = method === "insert" || method === "update" || method === "del" || method === "delete";
      const checks: SinkCheck[] =
        method === "insert" || method === "update"
          ? [{ expression: call.arguments[0], mode: "write" }]
          : !write && call.arguments.length === 1
            ? [{ expression: call.arguments[0], mode: "sqlFilter" }]
            : [];
      return { family: "knex", method, write, upsert: chainedAfter(call).includes("onConflict"), checks: checks.filter((check) => check.expression !== undefined) };
    }
  }
  return undefined;
}

/** `new User(req.body)` for a Mongoose/Sequelize model (the data is saved by a later `.save()`). */
export function modelConstruction(node: ts.NewExpression, context: Ctx): ts.Expression | undefined {
  const callee = unwrap(node.expression);
  if (!node.arguments || node.arguments.length === 0) return undefined;
  if (!ts.isIdentifier(callee) || !isModelReceiver(callee, context)) return undefined;
  return node.arguments[0];
}
