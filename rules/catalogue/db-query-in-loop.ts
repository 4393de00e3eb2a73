import ts = require("typescript");
import { calleeName, expressionPath, forEachDescendant, propertyNameText, resolveImport, staticString, unwrap } from "../ast";
import type { Rule, RuleContext } from "../types";
import { bindingNames } from "./support/console";
import { isPrismaModule, SQL_DRIVER_MODULES } from "./support/database";

/** Prisma model delegate methods: `prisma.user.findUnique(...)`. */
const PRISMA_METHODS = new Set([
  "findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "create", "createMany", "createManyAndReturn", "update", "updateMany",
  "upsert", "delete", "deleteMany", "count", "aggregate", "groupBy",
]);
/** Names a Prisma client (or a Prisma transaction client) goes by. */
const PRISMA_CLIENT = /^(?:prisma\w*|\w*Prisma(?:Service|Client)?|db|database|tx|trx)$/;
/** `client.user.create(...)` is Prisma only in a file that imports Prisma (Twilio and Anthropic SDKs also have `client.messages.create`). */
const PRISMA_CLIENT_WITH_IMPORT = /^(?:client|dbClient)$/;
/** TypeORM / MikroORM repository and entity-manager methods. */
const REPOSITORY_METHODS = new Set([
  "find", "findOne", "findOneBy", "findBy", "findOneOrFail", "findOneByOrFail", "findAndCount", "findAndCountBy", "findByIds", "save", "insert", "update",
  "upsert", "delete", "remove", "softDelete", "softRemove", "restore", "count", "countBy", "exist", "exists", "existsBy", "query", "increment", "decrement",
  "sum", "average", "minimum", "maximum", "preload", "createQueryBuilder", "nativeUpdate", "nativeDelete", "findOneOrFail", "persistAndFlush",
]);
const REPOSITORY_RECEIVER = /(?:repository|repo)$/i;
const MANAGER_RECEIVER = /^(?:manager|entityManager|em|queryRunner)$/;
/** Mongoose / Sequelize / Objection / TypeORM active-record model statics. */
const MODEL_METHODS = new Set([
  "find", "findOne", "findById", "findByPk", "findAll", "findAndCountAll", "findOrCreate", "create", "update", "updateOne", "updateMany", "deleteOne",
  "deleteMany", "destroy", "count", "countDocuments", "exists", "findByIdAndUpdate", "findOneAndUpdate", "findByIdAndDelete", "findOneAndDelete",
  "findOneAndReplace", "replaceOne", "aggregate", "upsert", "distinct", "increment", "decrement", "query", "findOneBy", "findBy", "save", "insert",
]);
/** MongoDB driver collection methods. */
const COLLECTION_METHODS = new Set([
  "find", "findOne", "insertOne", "updateOne", "updateMany", "deleteOne", "deleteMany", "replaceOne", "countDocuments", "aggregate", "findOneAndUpdate",
  "findOneAndDelete", "findOneAndReplace", "distinct",
]);
/** Raw SQL on a pool, connection or ORM instance. */
const SQL_METHODS = new Set(["query", "execute"]);
const SQL_RECEIVER = /^(?:pool|\w+Pool|db|database|pg|sql|sequelize|knex|mysql|trx|tx)$/;
const DRIVER_RECEIVER = /^(?:client|\w+Client|connection|conn|\w+Connection)$/;
const PG_PROMISE_METHODS = new Set(["one", "oneOrNone", "many", "manyOrNone", "any", "none", "result"]);
/** Query-builder roots: Knex, Drizzle, Kysely. */
const BUILDER_ROOT = /^(?:knex|db|database|trx|tx)$/;
const BUILDER_METHODS = new Set(["select", "insert", "update", "delete", "del", "from", "table", "raw", "where", "selectFrom", "insertInto", "updateTable", "deleteFrom", "selectDistinct"]);
const KNEX_CALLABLE = /^(?:knex|db|trx|database)$/;
const KNEX_CALLABLE_NAMES: ReadonlySet<string> = new Set(["knex", "db", "trx", "database"]);
/** Where models live: `../models/User`, `./user.model`, `@/entities`. */
const MODEL_MODULE = /(?:^|\/)(?:models?|entities|entity|schemas?)(?:\/|$)|\.(?:model|entity|schema)s?$/i;
const BATCH_METHODS = new Set(["createMany", "createManyAndReturn", "insertMany", "bulkCreate", "bulkWrite", "bulkSave"]);
const BATCH_NAME = /chunk|batch/i;

/** Every method name `classify` can accept on `x.method(…)` (besides `$queryRaw…`/`$executeRaw…`). */
const QUERY_METHODS: ReadonlySet<string> = new Set([
  ...PRISMA_METHODS,
  ...REPOSITORY_METHODS,
  ...MODEL_METHODS,
  ...COLLECTION_METHODS,
  ...SQL_METHODS,
  ...PG_PROMISE_METHODS,
  ...BUILDER_METHODS,
  ...KNEX_CALLABLE_NAMES,
]);

// Read once: `ts` is a namespace of getters, and these run for every query-like call, every node above
// it and every node of a loop body.
const Kind = ts.SyntaxKind;
const {
  forEachChild,
  isArrowFunction,
  isAsExpression,
  isAwaitExpression,
  isBreakStatement,
  isCallExpression,
  isClassLike,
  isForInStatement,
  isForOfStatement,
  isForStatement,
  isFunctionLike,
  isIdentifier,
  isIterationStatement,
  isNonNullExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isReturnStatement,
  isSwitchStatement,
  isVariableDeclaration,
} = ts;

/**
 * Cheap pre-check for `classify`, on the callee's kind and name only: `x.method(…)` with a query
 * method, `knex(…)`/`db(…)`. Other shapes (parentheses, element access) take the full check.
 */
function mayBeQuery(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (callee.kind === Kind.PropertyAccessExpression) {
    const method = (callee as ts.PropertyAccessExpression).name.text;
    return QUERY_METHODS.has(method) || method.startsWith("$");
  }
  if (callee.kind === Kind.Identifier) return KNEX_CALLABLE_NAMES.has((callee as ts.Identifier).text);
  return true;
}

const LOOP_CALLBACKS: Record<string, string> = { forEach: "`.forEach()`", map: "`.map()`", flatMap: "`.flatMap()`", reduce: "`.reduce()`", reduceRight: "`.reduceRight()`" };

interface DbCall {
  /** The first name of the receiver path (`prisma`, `this`, `repo`), when there is one. */
  receiverRoot?: string;
  /** The range to report: the callee, or the whole root call of a builder chain. */
  start: number;
  end: number;
  label: string;
}

interface Loop {
  node: ts.Node;
  kind: "forOf" | "forIn" | "for" | "callback";
  label: string;
  concurrent: boolean;
}

export const dbQueryInLoop: Rule = {
  meta: {
    id: "db-query-in-loop",
    checklistItem: "performance.query-optimization",
    defaultSeverity: "warning",
    description: "A database query awaited once per item of a collection (an N+1 query).",
    scope: "production",
    triggers: ["prisma", "Prisma", "db", "knex", "epository", "Repo", "repo", "anager", "em.", "ool", "lient", "onnection", "conn", "odel", "sequelize", "ollection", "query", "sql"],
    messages: {
      sequential:
        "N+1 query: `{{call}}` runs once per item of this {{loop}}, one database round trip after another. Fetch the rows in one query (e.g. `findMany({ where: { id: { in: ids } } })`, `WHERE id = ANY($1)`) and match them up in memory.",
      concurrent:
        "`{{call}}` runs once per item inside {{loop}}: N concurrent queries that compete for the connection pool. Fetch them in one query, e.g. `findMany({ where: { id: { in: ids } } })`.",
    },
    docs: {
      why:
        "A query inside a loop over a collection costs one database round trip per item: 200 orders mean 201 queries and 200 × the network latency, so an endpoint that is fast on test data times out on real data. Firing them concurrently (`Promise.all(items.map(...))`) trades latency for a burst that drains the connection pool and slows every other request.",
      howToFix: [
        "Fetch everything in one query, then match in memory:",
        "",
        "```ts",
        "// before: one query per order",
        "for (const order of orders) {",
        "  order.customer = await prisma.customer.findUnique({ where: { id: order.customerId } });",
        "}",
        "",
        "// after: one query",
        "const customers = await prisma.customer.findMany({ where: { id: { in: orders.map((o) => o.customerId) } } });",
        "const byId = new Map(customers.map((c) => [c.id, c]));",
        "for (const order of orders) order.customer = byId.get(order.customerId);",
        "```",
        "",
        "Or let the ORM join (`include: { customer: true }`, TypeORM `relations`, Mongoose `populate`), use `createMany`/`insertMany` for writes, or batch lookups per request with [DataLoader](https://github.com/graphql/dataloader) (`await Promise.all(ids.map((id) => customerLoader.load(id)))` becomes one query).",
        "",
        "Not reported: loops that do not pass the loop variable to the query (retries, polling), `while` loops (cursors, pagination), counter loops without `.length`, loops that `break`/`return` early (searches), batched queries per chunk (`{ in: chunk }`, `createMany`), writes batched in `prisma.$transaction([...])`, loops over a literal array of up to 5 items, tests and scripts. `Promise.all(items.map(...))` is reported with `info` severity: the queries are concurrent, not sequential.",
      ].join("\n"),
      valid: [
        {
          note: "One query for all the ids.",
          code: `export async function ordersWithCustomers(orders: Order[]) {
  const customers = await prisma.customer.findMany({
    where: { id: { in: orders.map((o) => o.customerId) } },
  });
  const byId = new Map(customers.map((c) => [c.id, c]));
  return orders.map((o) => ({ ...o, customer: byId.get(o.customerId) }));
}`,
        },
        {
          note: "A retry loop: the query does not depend on the counter.",
          code: `export async function loadSettings(id: string) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await prisma.settings.findUniqueOrThrow({ where: { id } });
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}`,
        },
      ],
      invalid: [
        {
          code: `app.get("/orders", async (req, res) => {
  const orders = await prisma.order.findMany({ where: { userId: req.user.id } });
  for (const order of orders) {
    order.items = await prisma.orderItem.findMany({ where: { orderId: order.id } });
  }
  res.json(orders);
});`,
        },
        {
          note: "Concurrent, still one query per id (info).",
          code: `export async function usersByIds(ids: string[]) {
  return Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));
}`,
        },
      ],
    },
  },
  create(context) {
    const sqlDriver = context.imports.some((binding) => SQL_DRIVER_MODULES.has(binding.module));
    const pgPromise = context.imports.some((binding) => binding.module === "pg-promise");
    const prisma = context.imports.some((binding) => isPrismaModule(binding.module));
    let models: Set<string> | undefined;
    const taintCache = new Map<ts.Node, Set<string>>();
    // Per loop body: whether the loop stops early (asked again for every query in the loop).
    const exitCache = new Map<ts.Node, boolean>();
    const exitsEarlyOnce = (body: ts.Node): boolean => {
      let exits = exitCache.get(body);
      if (exits === undefined) exitCache.set(body, (exits = exitsEarly(body)));
      return exits;
    };

    const isModel = (receiver: ts.Expression): boolean => {
      const path = expressionPath(receiver);
      if (!path) return false;
      const parts = path.split(".").filter((part) => part !== "this");
      const last = parts[parts.length - 1];
      if (/Model$/.test(last) && last !== "Model") return true;
      if (!/^[A-Z]/.test(last)) return false;
      if (parts.length === 2 && /^(?:db|models?)$/.test(parts[0])) return true;
      if (parts.length !== 1) return false;
      models ??= collectModels(context);
      return models.has(last);
    };

    const classify = (call: ts.CallExpression): DbCall | undefined => {
      const callee = unwrap(call.expression);
      const { sourceFile } = context;
      const span = (node: ts.Node, label = node.getText(sourceFile)): DbCall => ({
        start: node.getStart(sourceFile),
        end: node.getEnd(),
        label,
        receiverRoot: ts.isPropertyAccessExpression(node) ? expressionPath(node.expression)?.split(".")[0] : undefined,
      });
      // knex("users")…, db("users")…, this.knex("users")…
      const calleePathText = expressionPath(callee);
      const lastName = calleePathText?.split(".").pop();
      if (lastName && KNEX_CALLABLE.test(lastName) && staticString(call.arguments[0]) !== undefined) {
        const target = resolveImport(context, callee);
        if (target?.module === "knex") return undefined; // the knex factory, not a query
        return span(call);
      }
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const method = callee.name.text;
      const receiver = unwrap(callee.expression);
      const receiverPath = expressionPath(receiver);
      const parts = receiverPath?.split(".").filter((part) => part !== "this") ?? [];
      const last = parts[parts.length - 1];
      if (receiverPath) {
        // prisma.user.findUnique, this.prisma.order.create, tx.item.update
        const clientName = parts[parts.length - 2];
        if (PRISMA_METHODS.has(method) && parts.length >= 2 && /^[a-z]/.test(last) && (PRISMA_CLIENT.test(clientName) || (prisma && PRISMA_CLIENT_WITH_IMPORT.test(clientName)))) return span(callee);
        if (/^\$(?:queryRaw|executeRaw)/.test(method) && last && PRISMA_CLIENT.test(last)) return span(callee);
        // drizzle: db.query.users.findFirst
        if ((method === "findFirst" || method === "findMany") && parts.length >= 3 && parts[parts.length - 2] === "query" && BUILDER_ROOT.test(parts[parts.length - 3])) return span(callee);
        if (REPOSITORY_METHODS.has(method) && (REPOSITORY_RECEIVER.test(last) || MANAGER_RECEIVER.test(last))) return span(callee);
        if (MODEL_METHODS.has(method) && isModel(receiver)) return span(callee);
        if (COLLECTION_METHODS.has(method) && /collection$/i.test(last)) return span(callee);
        if (SQL_METHODS.has(method) && (SQL_RECEIVER.test(last) || (sqlDriver && DRIVER_RECEIVER.test(last)))) return span(callee);
        if (pgPromise && PG_PROMISE_METHODS.has(method) && /^(?:db|t|task|tx)$/.test(last)) return span(callee);
        if (BUILDER_METHODS.has(method) && parts.length === 1 && BUILDER_ROOT.test(last)) return span(callee);
        return undefined;
      }
      // getRepository(User).findOneBy(...), dataSource.getRepository(User).find(...), db.collection("users").findOne(...)
      if (ts.isCallExpression(receiver)) {
        const inner = calleeName(receiver);
        if (REPOSITORY_METHODS.has(method) && (inner === "getRepository" || inner === "getCustomRepository" || inner === "withRepository")) return span(callee);
        if (COLLECTION_METHODS.has(method) && inner === "collection") return span(callee);
      }
      return undefined;
    };

    const taintedNames = (loop: Loop, body: ts.Node, seed: Set<string>): Set<string> => {
      const cached = taintCache.get(loop.node);
      if (cached) return cached;
      const tainted = new Set(seed);
      const declarations: ts.VariableDeclaration[] = [];
      forEachDescendant(body, (node) => {
        if (isVariableDeclaration(node) && node.initializer) declarations.push(node);
      });
      for (let pass = 0, grew = true; grew && pass < 4; pass++) {
        grew = false;
        for (const declaration of declarations) {
          if (!mentions(declaration.initializer!, tainted)) continue;
          const before = tainted.size;
          bindingNames(declaration.name, tainted);
          if (tainted.size > before) grew = true;
        }
      }
      taintCache.set(loop.node, tainted);
      return tainted;
    };

    return {
      [ts.SyntaxKind.CallExpression](call: ts.CallExpression) {
        if (!mayBeQuery(call)) return;
        // Classifying builds paths and text: it waits until the call turns out to sit in a loop
        // (most queries don't), and batching is checked only before reporting. Both are pure, so
        // the order does not change what is reported.
        let dbCall: DbCall | undefined | null = null;
        const classified = () => (dbCall === null ? (dbCall = classify(call)) : dbCall);
        // The whole chain: knex("users").where(...).first(), db.select().from(t).where(...)
        let outer: ts.Expression = call;
        for (;;) {
          const parent = outer.parent;
          if (parent && isPropertyAccessExpression(parent) && parent.expression === outer && parent.parent && isCallExpression(parent.parent) && parent.parent.expression === parent) {
            outer = parent.parent;
          } else break;
        }
        let use: ts.Node = outer;
        while (use.parent && (isParenthesizedExpression(use.parent) || isAsExpression(use.parent) || isNonNullExpression(use.parent))) use = use.parent;
        const awaited = !!use.parent && isAwaitExpression(use.parent);
        const returned = !!use.parent && (isReturnStatement(use.parent) || (isArrowFunction(use.parent) && use.parent.body === use));
        if (!awaited && !returned) return;

        let child: ts.Node = use;
        for (let current = use.parent; current; child = current, current = current.parent) {
          let loop: Loop | undefined;
          let seed: Set<string> | undefined;
          let body: ts.Node | undefined;
          if (isFunctionLike(current)) {
            const callback = loopCallback(current);
            if (!callback) return;
            if (!awaited && !(returned && isOwnReturn(use, current))) return;
            if (isSmallLiteral(callback.receiver) || inTransactionBatch(callback.call)) return;
            loop = { node: current, kind: "callback", label: LOOP_CALLBACKS[callback.method], concurrent: callback.method === "map" || callback.method === "flatMap" };
            seed = new Set<string>();
            current.parameters.forEach((parameter, index) => {
              if (index === 0 && callback.method.startsWith("reduce")) return;
              bindingNames(parameter.name, seed!);
            });
            body = (current as ts.FunctionLikeDeclaration).body;
          } else if ((isForOfStatement(current) || isForInStatement(current)) && child === current.statement) {
            if (!awaited || isSmallLiteral(current.expression)) continue;
            loop = { node: current, kind: ts.isForOfStatement(current) ? "forOf" : "forIn", label: ts.isForOfStatement(current) ? "`for…of` loop" : "`for…in` loop", concurrent: false };
            seed = new Set<string>();
            const initializer = current.initializer;
            if (ts.isVariableDeclarationList(initializer)) for (const d of initializer.declarations) bindingNames(d.name, seed);
            else if (ts.isIdentifier(initializer)) seed.add(initializer.text);
            body = current.statement;
          } else if (isForStatement(current) && child === current.statement) {
            if (!awaited || !current.condition || !readsSize(current.condition)) continue;
            loop = { node: current, kind: "for", label: "loop", concurrent: false };
            seed = new Set<string>();
            const initializer = current.initializer;
            if (initializer && ts.isVariableDeclarationList(initializer)) for (const d of initializer.declarations) bindingNames(d.name, seed);
            else if (initializer && ts.isBinaryExpression(initializer) && ts.isIdentifier(initializer.left)) seed.add(initializer.left.text);
            body = current.statement;
          }
          if (!loop || !seed || !body) continue;
          if (loop.kind !== "callback" && exitsEarlyOnce(body)) continue;
          if ([...seed].some((name) => BATCH_NAME.test(name))) continue;
          const found = classified();
          if (!found) return;
          const tainted = taintedNames(loop, body, seed);
          // `for (const repo of repos) await repo.delete()`: a method of each item, not a repository.
          if (found.receiverRoot && tainted.has(found.receiverRoot)) continue;
          if (!mentions(outer, tainted)) continue;
          if (isBatched(outer, call)) return;
          context.report({
            start: found.start,
            end: found.end,
            messageId: loop.concurrent ? "concurrent" : "sequential",
            data: { call: shorten(found.label), loop: loop.label },
            ...(loop.concurrent ? { severity: "info" as const } : {}),
          });
          return;
        }
      },
    };
  },
};

function shorten(label: string): string {
  const flat = label.replace(/\s+/g, " ");
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

/** True when an identifier in expression position (not a property name) is one of `names`. */
function mentions(root: ts.Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  if (ts.isIdentifier(root)) return names.has(root.text);
  let found = false;
  forEachDescendant(root, (node) => {
    if (!isIdentifier(node) || !names.has(node.text)) return true;
    const parent = node.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
    if (parent && (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return true;
    if (parent && ts.isBindingElement(parent) && parent.propertyName === node) return true;
    found = true;
    return false;
  });
  return found;
}

/** Batched queries: `{ id: { in: chunk } }`, `whereIn("id", ids)`, `inArray(t.id, ids)`, `In(ids)`, `createMany`. */
function isBatched(outer: ts.Node, call: ts.CallExpression): boolean {
  const method = calleeName(call);
  if (method && BATCH_METHODS.has(method)) return true;
  let batched = false;
  forEachDescendant(outer, (node) => {
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && /^\$?(?:in|hasSome|hasEvery)$/.test(propertyNameText(node.name) ?? "")) batched = true;
    else if (ts.isComputedPropertyName(node) && /\.(?:in|any)$/.test(expressionPath(node.expression) ?? "")) batched = true; // Sequelize [Op.in]
    else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name) && /^(?:whereIn|orWhereIn|whereInIds)$/.test(node.name.text)) batched = true;
    else if (ts.isCallExpression(node) && /^(?:inArray|In|ANY)$/.test(calleeName(node) ?? "")) batched = true;
    else if (ts.isStringLiteralLike(node) && /=\s*ANY\s*\(|\bIN\s*\(\s*(?:\$|\?|:)/i.test(node.text)) batched = true;
    return !batched;
  });
  return batched;
}

/** A function passed as the callback of `xs.forEach/map/flatMap/reduce(...)`. */
function loopCallback(fn: ts.SignatureDeclaration): { method: string; call: ts.CallExpression; receiver: ts.Expression } | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let node: ts.Node = fn;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const call = node.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== node) return undefined;
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (!Object.prototype.hasOwnProperty.call(LOOP_CALLBACKS, method)) return undefined;
  return { method, call, receiver: unwrap(callee.expression) };
}

/** True when the returned query is the callback's own result (its concise body, or a `return` not inside a nested function). */
function isOwnReturn(use: ts.Node, fn: ts.SignatureDeclaration): boolean {
  for (let current = use.parent; current; current = current.parent) {
    if (current === fn) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

/** `prisma.$transaction(items.map(...))`, `$transaction([...items.map(...)])`: writes batched in one transaction. */
function inTransactionBatch(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isSpreadElement(node.parent) || ts.isArrayLiteralExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return !!parent && ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression) && /^\$?transaction$/.test(calleeName(parent) ?? "");
}

/** A literal array of up to five items (`for (const role of ["admin", "user"])`): seeds and migrations. */
function isSmallLiteral(expression: ts.Expression): boolean {
  let node = unwrap(expression);
  if (ts.isCallExpression(node) && expressionPath(node.expression) === "Object.entries" && node.arguments[0]) node = unwrap(node.arguments[0]);
  if (ts.isArrayLiteralExpression(node)) return node.elements.length <= 5;
  if (ts.isObjectLiteralExpression(node)) return node.properties.length <= 5;
  return false;
}

/** `i < items.length`, `i < ids.size`: an index loop over a collection. */
function readsSize(condition: ts.Expression): boolean {
  let found = false;
  forEachDescendant(condition, (node) => {
    if (ts.isPropertyAccessExpression(node) && (node.name.text === "length" || node.name.text === "size")) found = true;
    return !found;
  });
  if (ts.isPropertyAccessExpression(condition) && (condition.name.text === "length" || condition.name.text === "size")) found = true;
  return found;
}

const RESPONSE_ROOT = /^(?:res|reply|response|ctx|h|next)$/;

/** A loop that stops early on success (`break`, `return value`): a search, not a pass over every item. Error exits (`throw`, `return res.status(404)…`) don't count. */
function exitsEarly(body: ts.Node): boolean {
  let exits = false;
  const visit = (node: ts.Node, inNestedBreakable: boolean): void => {
    if (exits || isFunctionLike(node) || isClassLike(node)) return;
    if (isBreakStatement(node) && (node.label || !inNestedBreakable)) {
      exits = true;
      return;
    }
    if (isReturnStatement(node)) {
      if (node.expression && !isResponse(node.expression)) exits = true;
      return;
    }
    const nested = inNestedBreakable || isIterationStatement(node, false) || isSwitchStatement(node);
    forEachChild(node, (child) => visit(child, nested));
  };
  visit(body, false);
  return exits;
}

function isResponse(expression: ts.Expression): boolean {
  let node = unwrap(expression);
  while (ts.isAwaitExpression(node) || ts.isVoidExpression(node)) node = unwrap(node.expression);
  for (;;) {
    if (ts.isCallExpression(node)) node = unwrap(node.expression);
    else if (ts.isPropertyAccessExpression(node)) node = unwrap(node.expression);
    else break;
  }
  if (ts.isNewExpression(node)) node = unwrap(node.expression);
  return ts.isIdentifier(node) && (RESPONSE_ROOT.test(node.text) || /Response$|Exception$|Error$/.test(node.text));
}

/** Model names of this file: imported from a models/entities path, or defined here with `mongoose.model(...)`, `sequelize.define(...)`, `class X extends Model`. */
function collectModels(context: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const binding of context.imports) {
    if (!binding.module.startsWith(".") && !binding.module.startsWith("@/") && !binding.module.startsWith("~/")) continue;
    if (!MODEL_MODULE.test(binding.module)) continue;
    if (binding.defaultName && /^[A-Z]/.test(binding.defaultName)) names.add(binding.defaultName);
    for (const local of binding.named.values()) if (/^[A-Z]/.test(local)) names.add(local);
  }
  for (const statement of context.sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        const init = unwrap(declaration.initializer);
        if (ts.isCallExpression(init) && /^(?:model|define)$/.test(calleeName(init) ?? "")) names.add(declaration.name.text);
      }
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      const extendsModel = statement.heritageClauses?.some((clause) =>
        clause.types.some((type) => /^(?:Model|BaseEntity)$/.test(expressionPath(type.expression)?.split(".").pop() ?? "")),
      );
      if (extendsModel) names.add(statement.name.text);
    }
  }
  return names;
}
