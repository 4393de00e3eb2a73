import ts = require("typescript");
import { calleeName, expressionPath, findDescendant, moduleOfLocal, propertyNameText, unwrap } from "../ast";
import type { Rule, RuleContext, WorkspaceFacts } from "../types";
import {
  type HandlerFunction,
  type NamedRegistration,
  type NestParam,
  type RequestOrigin,
  type RouteHandler,
  handlerOf,
  namedRegistrationOf,
  NodeLog,
  originOfPart,
  RegistrationIndex,
  requestPartOf,
  snippet,
} from "./support/payments-routes";
import { type CheckMode, type SinkCheck, classifyDataCall, lastName, looksLikeSql, modelConstruction, sqlTextOf } from "./support/payments-sinks";
import { stripeCallOf } from "./support/payments-stripe";

const VALIDATOR_SIGNAL = "security.input-validation:validator";
const VALIDATED_ROUTE_SIGNAL = "security.input-validation:validated-route";

/** Validation libraries: importing one is evidence for the checklist; a call rooted in one validates. */
const VALIDATION_MODULES = [
  "zod", "joi", "@hapi/joi", "yup", "valibot", "class-validator", "ajv", "express-validator", "celebrate",
  "@sinclair/typebox", "superstruct", "io-ts", "runtypes", "arktype", "@vinejs/vine", "fastest-validator", "nestjs-zod", "zod-express-middleware",
  "express-zod-api", "express-openapi-validator", "typia", "@effect/schema",
];
/** A whole-app validator: every route is checked against an OpenAPI document. */
const APP_VALIDATORS = ["express-openapi-validator", "openapi-backend", "express-zod-api"];
const MONGO_SANITIZERS = ["express-mongo-sanitize", "mongo-sanitize", "@exortek/express-mongo-sanitize"];

// Asked for the module of nearly every call's root: answer once per module name.
const validationModuleAnswers = new Map<string, boolean>();

function isValidationModule(module: string | undefined): boolean {
  if (module === undefined) return false;
  let answer = validationModuleAnswers.get(module);
  if (answer === undefined) {
    answer = VALIDATION_MODULES.some((name) => module === name || module.startsWith(`${name}/`));
    validationModuleAnswers.set(module, answer);
  }
  return answer;
}

const VALIDATOR_NAME =
  /^((safe)?[pP]arse(Async)?|validate\w*|Validate\w*|valid|sanitiz\w*|check|Check|assert\w*|Assert|verify\w*|ensure\w*|is[A-Z_]\w*|attempt|cast|decode|Decode|guard\w*|validationResult|matchedData|plainToInstance|plainToClass|transformAndValidate|Errors)$/;
const NOT_VALIDATOR_ROOTS = new Set(["JSON", "qs", "querystring", "url", "path", "Date", "Math", "Object", "console", "Buffer", "Number", "String", "res", "reply", "response", "logger", "Promise", "bcrypt", "argon2", "jwt"]);
const SCHEMA_WORD = /schema|validator/i;
const VALIDATING_MIDDLEWARE = /valid|schema|celebrate|sanitiz|^(body|query|param|params|check|checkSchema|checkExact|oneOf|zValidator|joi|zod|yup|ajv|dto)$/i;

function chainRootName(expression: ts.Expression): string | undefined {
  let current = unwrap(expression);
  for (;;) {
    if (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = unwrap(current.expression);
    else return ts.isIdentifier(current) ? current.text : undefined;
  }
}

/** `schema.parse(x)`, `validate(x)`, `validationResult(req)`, `v.parse(S, x)`, `body("email").isEmail().run(req)`… */
function isValidatorCall(call: ts.CallExpression, context: Pick<RuleContext, "imports">): boolean {
  const root = chainRootName(call.expression);
  if (root && NOT_VALIDATOR_ROOTS.has(root)) return false;
  const name = calleeName(call);
  if (name && VALIDATOR_NAME.test(name)) return true;
  if (root && isValidationModule(moduleOfLocal(context, root))) return true;
  const callee = unwrap(call.expression);
  // The receiver's path is built only when its last name could match: most calls end here.
  if (ts.isPropertyAccessExpression(callee) && SCHEMA_WORD.test(lastName(callee.expression) ?? "")) {
    const receiver = expressionPath(callee.expression);
    if (receiver && SCHEMA_WORD.test(receiver.split(".").pop() ?? "")) return true;
  }
  return false;
}

/** A middleware in the route's argument list that validates: `validate(schema)`, `celebrate({...})`, `body("email").isEmail()`, `validateUser`. */
function isValidatingMiddleware(expression: ts.Expression, context: Pick<RuleContext, "imports">, depth = 0): boolean {
  const value = unwrap(expression);
  if (ts.isArrayLiteralExpression(value)) return value.elements.some((element) => isValidatingMiddleware(element, context, depth));
  if (ts.isCallExpression(value)) {
    const name = calleeName(value);
    const root = chainRootName(value.expression);
    return (name !== undefined && VALIDATING_MIDDLEWARE.test(name)) || (root !== undefined && (VALIDATING_MIDDLEWARE.test(root) || isValidationModule(moduleOfLocal(context, root))));
  }
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  if (!name) return false;
  if (/valid|schema|sanitiz|dto/i.test(name)) return true;
  if (ts.isIdentifier(value)) {
    const module = moduleOfLocal(context, value.text);
    if (module !== undefined) return /valid|schema|dto/i.test(module) || isValidationModule(module);
  }
  const path = ts.isPropertyAccessExpression(value) ? expressionPath(value.expression) : undefined;
  return path !== undefined && /valid|schema/i.test(path);
}

const ALL_ORIGINS: readonly RequestOrigin[] = ["body", "query", "params"];

/** Origins a Fastify `schema` / Hapi & koa-joi-router `validate` / `preValidation` route option validates. */
function optionOrigins(options: ts.ObjectLiteralExpression, validated: Set<RequestOrigin>, context: Pick<RuleContext, "imports">): void {
  for (const property of options.properties) {
    if (ts.isSpreadAssignment(property)) continue;
    const key = propertyNameText(property.name);
    const initializer = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!key || !initializer) continue;
    if (key === "schema" || key === "validate") {
      if (!ts.isObjectLiteralExpression(initializer)) {
        for (const origin of ALL_ORIGINS) validated.add(origin);
        continue;
      }
      for (const inner of initializer.properties) {
        const part = ts.isSpreadAssignment(inner) ? undefined : propertyNameText(inner.name);
        const origin = part === "body" || part === "payload" ? "body" : part === "querystring" || part === "query" ? "query" : part === "params" ? "params" : undefined;
        if (origin) validated.add(origin);
      }
    } else if (key === "preValidation" || (key === "preHandler" && isValidatingMiddleware(initializer, context))) {
      for (const origin of ALL_ORIGINS) validated.add(origin);
    } else if ((key === "options" || key === "config") && ts.isObjectLiteralExpression(initializer)) {
      optionOrigins(initializer, validated, context);
    }
  }
}

/** A NestJS `@Body()`/`@Query()` parameter without a class type ValidationPipe could check (untyped, `any`, `object`, `Record<…>`, a type literal, a same-file interface or type alias). */
function isUncheckedNestParam(param: NestParam, sourceFile: ts.SourceFile): boolean {
  if (param.pipes.length > 0) return false;
  const check = (type: ts.TypeNode | undefined): boolean => {
    if (!type) return true;
    if (type.kind === ts.SyntaxKind.AnyKeyword || type.kind === ts.SyntaxKind.ObjectKeyword) return true;
    if (ts.isTypeLiteralNode(type)) return true;
    if (ts.isArrayTypeNode(type)) return check(type.elementType);
    if (ts.isTypeReferenceNode(type)) {
      const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
      if (name === "Record" || name === "Object") return true;
      return sourceFile.statements.some(
        (statement) => (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name.text === name,
      );
    }
    return false;
  };
  return check(param.parameter.type);
}

interface Taint {
  origin: RequestOrigin;
  /** `whole`: the client picks keys and structure (`req.body`); `value`: one field of it. */
  shape: "whole" | "value";
}

type Binding = { kind: "taint"; taint: Taint } | { kind: "literal"; literal: ts.Expression } | { kind: "sql"; taint: Taint };

interface Found {
  node: ts.Expression;
  taint: Taint;
}

const STRIPE_WRITES = /^(create|update|confirm|capture|pay|attach|cancel|finalizeInvoice|sendInvoice|createUsageRecord)$/;

/** `x.y.create(…)`, `….confirm(…)`: the method of a Stripe call that writes (checked before the costlier `stripeCallOf`). */
function isStripeWriteName(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && STRIPE_WRITES.test(callee.name.text);
}

/** Request input (`req.body`, `request.query`, `ctx.request.body`, an untyped Nest `@Body()`) reaching a database write/query or a Stripe call without a schema validator. */
export const unvalidatedInput: Rule = {
  meta: {
    id: "unvalidated-input",
    checklistItem: "security.input-validation",
    defaultSeverity: "warning",
    description: "Request input reaches a database query/write or a payment call without passing a schema validator.",
    scope: "production",
    triggers: ["body", "query", "Body", "Query", "payload", "zod", "joi", "Joi", "yup", "valibot", "class-validator", "ajv", "express-validator", "celebrate", "typebox", "superstruct", "ValidationPipe"],
    messages: {
      unvalidated:
        "Unvalidated request input `{{input}}` flows into `{{sink}}`: the client decides which fields are written (mass assignment: `role`, `isAdmin`, `price`…) and their types and sizes. Parse it with a schema (zod, joi, class-validator DTO…) first.",
      unvalidatedField:
        "Unvalidated request input `{{input}}` flows into `{{sink}}`: nothing checks its type, format or size (an object where a string belongs, a 10 MB string). Parse the input with a schema (zod, joi, class-validator DTO…) first.",
      filter:
        "Unvalidated request input `{{input}}` is the whole filter of `{{sink}}`: the client picks which columns to match and how (including fields it should never query by). Validate it with a schema and build the filter from known fields.",
      nosql:
        "Unvalidated request input `{{input}}` is used in the MongoDB filter of `{{sink}}`: a JSON body like `{ \"$ne\": null }` turns it into a query operator (NoSQL injection, e.g. logging in without a password). Validate it with a schema first (or cast it with `String(…)`).",
      sql:
        "Request input `{{input}}` is interpolated into the SQL text of `{{sink}}` (SQL injection). Pass it as a bound parameter (`$1`, `?`, a tagged `sql` template) and validate it.",
      payment:
        "Unvalidated request input `{{input}}` is sent to `{{sink}}`: the client controls the payment parameters (amount, price, customer). Validate it with a schema and derive amounts on the server.",
    },
    docs: {
      why:
        "Whatever a handler receives in `req.body` or `req.query` is chosen by the client: extra fields (`role: \"admin\"`, `balance`), wrong types (an object where a string was expected) and huge values. Passed straight to the ORM it becomes mass assignment; in a MongoDB filter an object like `{ \"$ne\": null }` is an operator (NoSQL injection: `findOne({ email, password })` matches any user); interpolated into SQL it is SQL injection; passed to Stripe it lets the client pick the amount.",
      howToFix: [
        "Parse the input with a schema at the edge and use only the parsed value:",
        "",
        "```ts",
        'import { z } from "zod";',
        "",
        "const Body = z.object({ email: z.string().email(), name: z.string().max(100) });",
        "",
        'app.post("/users", async (req, res) => {',
        "  const body = Body.parse(req.body); // throws on extra types / bad values; unknown keys are stripped",
        "  const user = await prisma.user.create({ data: body });",
        "  res.status(201).json(user);",
        "});",
        "```",
        "",
        "Equivalent: joi/yup `schema.validate`, `express-validator` chains + `validationResult(req)`, a `validate(schema)` middleware in the route, a Fastify route `schema: { body }`, or a NestJS DTO class with `ValidationPipe`. For SQL, use bound parameters; for MongoDB, cast filter values to strings or enable `sanitizeFilter`.",
      ].join("\n"),
      valid: [
        {
          note: "Parsed with zod first.",
          code: `app.post("/users", async (req, res) => {
  const data = CreateUser.parse(req.body);
  const user = await prisma.user.create({ data });
  res.status(201).json(user);
});`,
        },
        {
          note: "A Fastify route with a body schema.",
          code: `fastify.post("/users", { schema: { body: createUserSchema } }, async (request) => {
  return prisma.user.create({ data: request.body as any });
});`,
        },
        {
          note: "A scalar route param used as a lookup key.",
          code: `app.get("/users/:id", async (req, res) => {
  const user = await prisma.user.findUnique({ where: { id: req.params.id } });
  res.json(user);
});`,
        },
      ],
      invalid: [
        {
          note: "Mass assignment: the whole body goes to the ORM.",
          code: `app.post("/users", async (req, res) => {
  const user = await prisma.user.create({ data: req.body });
  res.status(201).json(user);
});`,
        },
        {
          note: "NoSQL injection in a login route.",
          code: `app.post("/login", async (req, res) => {
  const { email, password } = req.body;
  const user = await User.findOne({ email, password });
  if (!user) return res.status(401).end();
  res.json({ token: sign(user.id) });
});`,
        },
        {
          note: "The client picks the amount.",
          code: `app.post("/pay", async (req, res) => {
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: "usd" });
  res.json({ clientSecret: intent.client_secret });
});`,
        },
      ],
    },
  },
  create(context) {
    const handlers: RouteHandler[] = [];
    const registrations: NamedRegistration[] = [];
    // What `checkHandler` looks at (declarations, assignments, calls, `new`) and the handler functions,
    // noted in walk order: handlers are then checked without walking them again.
    const log = new NodeLog();
    const handlerLog = new NodeLog<HandlerFunction>();
    const onFunction = (node: HandlerFunction) => {
      const handler = handlerOf(node, context);
      if (!handler) return;
      handlers.push(handler);
      handlerLog.add(node);
    };
    return {
      [ts.SyntaxKind.FunctionDeclaration]: onFunction,
      [ts.SyntaxKind.FunctionExpression]: onFunction,
      [ts.SyntaxKind.ArrowFunction]: onFunction,
      [ts.SyntaxKind.MethodDeclaration]: onFunction,
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        log.add(node);
        const registration = namedRegistrationOf(node);
        if (registration) registrations.push(registration);
      },
      [ts.SyntaxKind.NewExpression](node: ts.NewExpression) {
        log.add(node);
        const name = ts.isIdentifier(node.expression) ? node.expression.text : undefined;
        if (name === "ValidationPipe" || name === "ZodValidationPipe") context.signal(VALIDATOR_SIGNAL, node, name);
      },
      [ts.SyntaxKind.VariableDeclaration](node: ts.VariableDeclaration) {
        if (node.initializer) log.add(node);
      },
      [ts.SyntaxKind.BinaryExpression](node: ts.BinaryExpression) {
        if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) log.add(node);
      },
      onEnd() {
        const signalled = new Set<string>();
        for (const binding of context.imports) {
          if (!isValidationModule(binding.module) || signalled.has(binding.module)) continue;
          signalled.add(binding.module);
          context.signal(VALIDATOR_SIGNAL, binding.node, binding.module);
        }
        for (const registration of registrations) {
          if (registration.route.middlewares.some((middleware) => isValidatingMiddleware(middleware, context))) {
            context.signal(VALIDATED_ROUTE_SIGNAL, registration.route.call, `handler:${registration.name}`);
          }
        }
        const byName = new RegistrationIndex(registrations);
        for (const handler of handlers) checkHandler(handler, context, byName, nodesOfHandler(handler, log, handlerLog));
      },
    };
  },
};

/**
 * The noted nodes `checkHandler` looks at in a handler: its body and everything inside it, in source
 * order, but not inside nested handlers (they are checked on their own). A body that is itself a
 * handler (`(req, res) => (req2, res2) => …`) is looked at whole.
 */
function nodesOfHandler(handler: RouteHandler, log: NodeLog, handlerLog: NodeLog<HandlerFunction>): ts.Node[] {
  const body = handler.body;
  const found: ts.Node[] = [];
  const handlerFunctions = handlerLog.nodes;
  let next = handlerLog.firstFrom(body.pos);
  for (let i = log.firstFrom(body.pos); i < log.nodes.length && log.nodes[i].pos < body.end; i++) {
    const node = log.nodes[i];
    // The first nested handler that does not end before this node.
    while (next < handlerFunctions.length && (handlerFunctions[next] === body || handlerFunctions[next].end <= node.pos)) next++;
    const nested = handlerFunctions[next];
    if (nested && nested.pos < body.end && nested.pos <= node.pos && node.end <= nested.end) continue;
    found.push(node);
  }
  return found;
}

const usesAny = (facts: WorkspaceFacts, modules: readonly string[]) => modules.some((module) => facts.imports.has(module) || facts.packages.has(module));

// Conditions are made here, from plain values only: a closure made inside `checkHandler` would keep the
// file's whole syntax tree alive (through the handler and the rule context) until the workspace is resolved.
/**
 * The finding's condition: an app-wide validator is installed, a Mongo sanitizer covers a NoSQL field
 * value, or (for a handler registered in another file) that registration validates it.
 */
function validatedElsewhere(mongoValue: boolean, handlerElsewhere: string | undefined): (facts: WorkspaceFacts) => boolean {
  const detail = handlerElsewhere !== undefined ? `handler:${handlerElsewhere}` : undefined;
  return (facts) => {
    if (usesAny(facts, APP_VALIDATORS)) return true;
    if (mongoValue && usesAny(facts, MONGO_SANITIZERS)) return true;
    if (detail !== undefined) return (facts.signals.get(VALIDATED_ROUTE_SIGNAL) ?? []).some((signal) => signal.detail === detail);
    return false;
  };
}

const WEBHOOK = /web[-_]?hooks?/i;
const isWebhookText = (text: string | undefined): boolean => text !== undefined && WEBHOOK.test(text);

function checkHandler(handler: RouteHandler, context: RuleContext, registrations: RegistrationIndex, nodes: readonly ts.Node[]): void {
  // Webhook receivers get provider data, trusted once the signature is checked: `webhook-signature-unverified` covers them.
  if (isWebhookText(handler.route?.path) || isWebhookText(handler.nest?.path) || isWebhookText(handler.name) || isWebhookText(context.file)) return;
  // Route-level validation: middlewares, route options, Nest pipes.
  const validated = new Set<RequestOrigin>();
  const sameFileRegistrations = handler.route ? [] : registrations.named(handler.name);
  const middlewares = [...(handler.route?.middlewares ?? []), ...handler.siblings, ...sameFileRegistrations.flatMap((registration) => registration.route.middlewares)];
  if (middlewares.some((middleware) => isValidatingMiddleware(middleware, context)) || handler.nest?.pipes) return;
  for (const route of [handler.route, ...sameFileRegistrations.map((registration) => registration.route)]) {
    if (route?.options) optionOrigins(route.options, validated, context);
  }
  if (validated.size === ALL_ORIGINS.length) return;

  const vars = new Map<string, Binding>();
  for (const param of handler.nestParams) {
    if ((param.decorator === "Body" || param.decorator === "Query") && isUncheckedNestParam(param, context.sourceFile)) {
      vars.set(param.name, { kind: "taint", taint: { origin: param.decorator === "Body" ? "body" : "query", shape: param.key === undefined ? "whole" : "value" } });
    }
  }
  if (handler.requestNames.size === 0 && handler.requestParts.size === 0 && vars.size === 0) return;

  const taintOf = (expression: ts.Expression): Taint | undefined => {
    const value = unwrap(expression);
    if (ts.isIdentifier(value)) {
      const binding = vars.get(value.text);
      if (binding?.kind === "taint") return binding.taint;
      const part = handler.requestParts.get(value.text);
      const origin = part !== undefined ? originOfPart(part) : undefined;
      return origin ? { origin, shape: "whole" } : undefined;
    }
    const origin = requestPartOf(value, handler);
    if (origin) return { origin, shape: "whole" };
    if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) {
      if (ts.isPropertyAccessExpression(value) && value.name.text === "length") return undefined;
      const base = taintOf(value.expression);
      return base ? { origin: base.origin, shape: "value" } : undefined;
    }
    if (ts.isBinaryExpression(value)) {
      const operator = value.operatorToken.kind;
      if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) return taintOf(value.left) ?? taintOf(value.right);
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return taintOf(value.right);
      return undefined;
    }
    if (ts.isConditionalExpression(value)) return taintOf(value.whenTrue) ?? taintOf(value.whenFalse);
    if (ts.isAwaitExpression(value)) return taintOf(value.expression);
    return undefined;
  };

  /** `req.body.seats` in `req.body.seats ?? 1`: the part of an expression that carries the input. */
  const taintedOperand = (value: ts.Expression): ts.Expression => {
    if (ts.isBinaryExpression(value)) return taintedOperand(unwrap(taintOf(value.left) ? value.left : value.right));
    if (ts.isConditionalExpression(value)) return taintedOperand(unwrap(taintOf(value.whenTrue) ? value.whenTrue : value.whenFalse));
    if (ts.isAwaitExpression(value) && !requestPartOf(value, handler)) return taintedOperand(unwrap(value.expression));
    return value;
  };

  const findTainted = (expression: ts.Expression, mode: CheckMode, depth = 0): Found | undefined => {
    if (depth > 8) return undefined;
    const value = unwrap(expression);
    const taint = taintOf(value);
    if (taint) {
      if (validated.has(taint.origin)) return undefined;
      if (taint.origin === "params" && mode !== "rawSql") return undefined;
      return { node: taintedOperand(value), taint };
    }
    if (ts.isIdentifier(value)) {
      const binding = vars.get(value.text);
      if (binding?.kind === "literal") {
        const inner = findTainted(binding.literal, mode, depth + 1);
        return inner && { node: value, taint: inner.taint };
      }
      if (binding?.kind === "sql" && mode === "rawSql") return validated.has(binding.taint.origin) ? undefined : { node: value, taint: binding.taint };
      return undefined;
    }
    if (ts.isObjectLiteralExpression(value)) {
      if (mode === "rawSql") return undefined;
      for (const property of value.properties) {
        let found: Found | undefined;
        if (ts.isSpreadAssignment(property)) {
          found = findTainted(property.expression, mode, depth + 1);
        } else {
          const initializer = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
          if (!initializer) continue;
          const key = propertyNameText(property.name) ?? "";
          if (mode === "write") found = findTainted(initializer, "write", depth + 1);
          else if (mode === "mongoFilter") {
            if (!key.startsWith("$")) found = findTainted(initializer, "mongoFilter", depth + 1);
            else if (/^\$(or|and|nor)$/.test(key)) found = findTainted(initializer, "mongoFilter", depth + 1);
            else if (/^\$(where|expr|function|accumulator)$/.test(key)) found = findTainted(initializer, "write", depth + 1);
          } else if (ts.isObjectLiteralExpression(unwrap(initializer))) {
            found = findTainted(initializer, "sqlFilter", depth + 1);
          }
        }
        if (found) return found;
      }
      return undefined;
    }
    if (ts.isArrayLiteralExpression(value)) {
      if (mode === "rawSql" || mode === "sqlFilter") return undefined;
      for (const element of value.elements) {
        const found = findTainted(ts.isSpreadElement(element) ? element.expression : element, mode, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    if (mode === "rawSql") {
      if (ts.isTemplateExpression(value)) {
        for (const span of value.templateSpans) {
          const found = findTainted(span.expression, "rawSql", depth + 1);
          if (found) return found;
        }
      } else if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        return findTainted(value.left, "rawSql", depth + 1) ?? findTainted(value.right, "rawSql", depth + 1);
      }
    }
    return undefined;
  };

  const bindPattern = (pattern: ts.BindingPattern, base: Taint | "request") => {
    if (!ts.isObjectBindingPattern(pattern)) return;
    for (const element of pattern.elements) {
      const key = element.propertyName ? propertyNameText(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
      let child: Taint | undefined;
      if (base === "request") {
        const origin = key !== undefined && !element.dotDotDotToken ? originOfPart(key) : undefined;
        if (origin) child = { origin, shape: "whole" };
      } else {
        child = { origin: base.origin, shape: element.dotDotDotToken ? "whole" : "value" };
      }
      if (!child) continue;
      if (ts.isIdentifier(element.name)) {
        vars.set(element.name.text, { kind: "taint", taint: child });
      } else bindPattern(element.name, child);
    }
  };
  const bind = (name: ts.BindingName, initializer: ts.Expression) => {
    const value = unwrap(initializer);
    if (!ts.isIdentifier(name)) {
      const isRequest =
        (ts.isIdentifier(value) && handler.requestNames.has(value.text)) ||
        (ts.isPropertyAccessExpression(value) && value.name.text === "request" && ts.isIdentifier(unwrap(value.expression)) && handler.requestNames.has((unwrap(value.expression) as ts.Identifier).text));
      const base = isRequest ? "request" : taintOf(value);
      if (base) bindPattern(name, base);
      return;
    }
    const taint = taintOf(value);
    if (taint) {
      vars.set(name.text, { kind: "taint", taint });
      return;
    }
    if (ts.isObjectLiteralExpression(value) || ts.isArrayLiteralExpression(value)) {
      if (findTainted(value, "write")) {
        vars.set(name.text, { kind: "literal", literal: value });
      }
      return;
    }
    if ((ts.isTemplateExpression(value) || ts.isBinaryExpression(value)) && looksLikeSql(sqlTextOf(value, false))) {
      const found = findTainted(value, "rawSql");
      if (found) vars.set(name.text, { kind: "sql", taint: found.taint });
    }
  };

  const calls: ts.CallExpression[] = [];
  const constructions: ts.NewExpression[] = [];
  for (const node of nodes) {
    if (ts.isVariableDeclaration(node) && node.initializer) bind(node.name, node.initializer);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) bind(node.left, node.right);
    else if (ts.isCallExpression(node)) calls.push(node);
    else if (ts.isNewExpression(node)) constructions.push(node);
  }

  // Any validator applied to the request input in the handler: treat the handler as validated.
  // Input: `req.body`/`req.query`/`req.params` (and fields), variables holding them, or the whole request (`validationResult(req)`), not `req.user`.
  const isInput = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      if (parent && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node))) return false;
      return vars.has(node.text) || handler.requestParts.has(node.text);
    }
    return (ts.isPropertyAccessExpression(node) || ts.isAwaitExpression(node)) && requestPartOf(node, handler) !== undefined;
  };
  const mentionsInput = (argument: ts.Expression) => {
    const value = unwrap(argument);
    if (ts.isIdentifier(value) && handler.requestNames.has(value.text)) return true;
    return isInput(value) || findDescendant(argument, isInput) !== undefined;
  };
  if (calls.some((call) => call.arguments.length > 0 && isValidatorCall(call, context) && call.arguments.some(mentionsInput))) return;

  const name = handler.name;
  const registeredHere = handler.route !== undefined || handler.nest !== undefined || sameFileRegistrations.length > 0;
  const report = (found: Found, sink: ts.Node, messageId: string) => {
    context.report({
      node: found.node,
      messageId,
      data: { input: snippet(found.node, context.sourceFile, 40), sink: snippet(sink, context.sourceFile, 48) },
      severity: messageId === "sql" ? "error" : undefined,
      unless: validatedElsewhere(messageId === "nosql" && found.taint.shape === "value", name && !registeredHere ? name : undefined),
    });
  };

  for (const call of calls) {
    let checks: SinkCheck[] | undefined;
    let payment = false;
    const data = classifyDataCall(call, context);
    if (data) checks = data.checks;
    else if (isStripeWriteName(call)) {
      const stripe = stripeCallOf(call, context);
      if (stripe) {
        checks = call.arguments.map((expression) => ({ expression, mode: "write" as const }));
        payment = true;
      }
    }
    if (!checks) continue;
    for (const check of checks) {
      const found = findTainted(check.expression, check.mode);
      if (!found) continue;
      report(found, call.expression, check.mode === "rawSql" ? "sql" : check.mode === "mongoFilter" ? "nosql" : check.mode === "sqlFilter" ? "filter" : payment ? "payment" : found.taint.shape === "whole" ? "unvalidated" : "unvalidatedField");
      break;
    }
  }
  const saves = calls.some((call) => calleeName(call) === "save");
  if (saves) {
    for (const construction of constructions) {
      const argument = modelConstruction(construction, context);
      const found = argument && findTainted(argument, "write");
      if (found) report(found, construction.expression, found.taint.shape === "whole" ? "unvalidated" : "unvalidatedField");
    }
  }
}
