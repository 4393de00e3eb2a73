import ts = require("typescript");
import { calleeName, enclosingFunction, expressionPath, findDescendant, forEachDescendant, isModuleLevel, propertyNameText, unwrap } from "../ast";
import type { Fix, Rule, RuleContext } from "../types";
import { snippet } from "./support/payments-routes";
import { STRIPE_MONEY_CALLS, type StripeCall, idempotencyKeyOf, isEventProducingCall, moneyCallOf } from "./support/payments-stripe";

const ORDER_ID = /^(order|cart|checkout|booking|reservation|purchase|basket)_?id$/i;
const ORDER_OBJECT = /^(order|cart|booking|reservation|purchase|basket)$/i;
const USER_ID = /^(user|account)_?id$/i;
const USER_OBJECT = /^(user|account|currentUser)$/i;
const LOOP_CALLBACK = /^(forEach|map|flatMap|reduce|filter|some|every|all|allSettled|each|mapSeries|eachSeries)$/;

/** The variable holding a verified Stripe event in a function enclosing `call`: `const event = stripe.webhooks.constructEvent(…)`, or a `Stripe.Event` parameter. */
function eventInScope(call: ts.CallExpression, sourceFile: ts.SourceFile): { name: string; fn: ts.SignatureDeclaration } | undefined {
  for (let current: ts.Node | undefined = call.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    for (const parameter of current.parameters) {
      if (ts.isIdentifier(parameter.name) && parameter.type && /^Stripe\.(Event|DiscriminatedEvent)\b/.test(parameter.type.getText(sourceFile))) return { name: parameter.name.text, fn: current };
    }
    const body = (current as ts.FunctionLikeDeclaration).body;
    if (!body) continue;
    let name: string | undefined;
    forEachDescendant(body, (node) => {
      // Pre-order meets nodes in source order: nothing from the call on can hold the event before it.
      if (node.pos >= call.pos) return false;
      let target: ts.Node | undefined;
      let value: ts.Expression | undefined;
      if (ts.isVariableDeclaration(node) && node.initializer) [target, value] = [node.name, node.initializer];
      else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) [target, value] = [node.left, node.right];
      if (!target || !value || !ts.isIdentifier(target)) return true;
      let inner = unwrap(value);
      if (ts.isAwaitExpression(inner)) inner = unwrap(inner.expression);
      if (ts.isCallExpression(inner) && isEventProducingCall(inner) && /constructEvent/.test(calleeName(inner) ?? "")) {
        name = target.text;
        return false;
      }
      return true;
    });
    if (name) return { name, fn: current };
  }
  return undefined;
}

/** True when the call may run several times per invocation of `fn`: a loop, or an array callback. */
function repeatsWithin(call: ts.Node, fn: ts.Node): boolean {
  for (let current: ts.Node | undefined = call.parent; current && current !== fn; current = current.parent) {
    if (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) return true;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && current.parent && ts.isCallExpression(current.parent) && LOOP_CALLBACK.test(calleeName(current.parent) ?? "")) return true;
  }
  return false;
}

/** A side-effect-free expression naming a stable id: `orderId`, `order.id`, `req.params.orderId`, `session.metadata.orderId`. */
function stableId(call: ts.CallExpression, idName: RegExp, objectName: RegExp): string | undefined {
  const matches = (node: ts.Node): string | undefined => {
    if (ts.isPropertyAccessExpression(node)) {
      if (node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) return undefined;
      // The names first: the path is built only for a property access that names an id.
      let named = idName.test(node.name.text);
      if (!named && node.name.text === "id") {
        const object = unwrap(node.expression);
        const last = ts.isIdentifier(object) ? object.text : ts.isPropertyAccessExpression(object) ? object.name.text : undefined;
        named = last !== undefined && last !== "" && objectName.test(last);
      }
      return named ? expressionPath(node) || undefined : undefined;
    }
    if (ts.isShorthandPropertyAssignment(node) && idName.test(node.name.text)) return node.name.text;
    if (ts.isIdentifier(node) && idName.test(node.text)) {
      const parent = node.parent;
      if (parent && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node) || ts.isShorthandPropertyAssignment(parent))) return undefined;
      return node.text;
    }
    return undefined;
  };
  for (const argument of call.arguments) {
    let found = matches(argument);
    if (!found) findDescendant(argument, (node) => (found = matches(node)) !== undefined);
    if (found) return found;
  }
  // Parameters and earlier local declarations of the enclosing functions.
  const names = (name: ts.BindingName, into: string[]) => {
    if (ts.isIdentifier(name)) into.push(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) names(element.name, into);
  };
  for (let current: ts.Node | undefined = call.parent; current && !ts.isSourceFile(current); current = current.parent) {
    const candidates: string[] = [];
    if (ts.isFunctionLike(current)) for (const parameter of current.parameters) names(parameter.name, candidates);
    if (ts.isBlock(current)) {
      for (const statement of current.statements) {
        if (statement.end > call.pos) break;
        if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) names(declaration.name, candidates);
      }
    }
    for (const candidate of candidates) {
      if (idName.test(candidate)) return candidate;
      if (objectName.test(candidate)) return `${candidate}.id`;
    }
    if (ts.isClassLike(current)) break;
  }
  return undefined;
}

function keyFix(call: ts.CallExpression, key: string, title: string, preferred: boolean): Fix | undefined {
  const last = call.arguments[call.arguments.length - 1];
  if (!last) return undefined;
  return { title, edits: [{ start: last.getEnd(), end: last.getEnd(), newText: `, { idempotencyKey: ${key} }` }], preferred: preferred || undefined };
}

function fixesFor(context: RuleContext, call: ts.CallExpression, stripe: StripeCall, shape: "create" | "id-first"): Fix[] {
  const fixes: Fix[] = [];
  // Only when there is no options argument yet (the key then goes in a new last argument).
  if (call.arguments.length === 0 || call.arguments.length > (shape === "create" ? 1 : 2)) return fixes;
  const label = `${stripe.resource}.${stripe.method}`;
  const event = eventInScope(call, context.sourceFile);
  if (event && !repeatsWithin(call, event.fn)) {
    const calleeText = call.expression.getText(context.sourceFile);
    const name = calleeName(call);
    const body = (event.fn as ts.FunctionLikeDeclaration).body;
    // Same callee text means same last name: compare names before texts.
    const twice =
      body !== undefined &&
      findDescendant(body, (node) => node !== call && ts.isCallExpression(node) && calleeName(node) === name && node.expression.getText(context.sourceFile) === calleeText) !== undefined;
    if (!twice) {
      const fix = keyFix(call, `\`${label}-\${${event.name}.id}\``, `Use the webhook event id as the idempotency key`, true);
      if (fix) fixes.push(fix);
    }
    return fixes;
  }
  let id: string | undefined;
  if (stripe.method === "create" && (stripe.resource === "paymentIntents" || stripe.resource === "charges" || stripe.resource === "checkout.sessions")) {
    id = stableId(call, ORDER_ID, ORDER_OBJECT);
  } else if (stripe.method === "create" && stripe.resource === "customers") {
    id = stableId(call, USER_ID, USER_OBJECT);
  } else if (stripe.method === "capture") {
    const first = call.arguments[0];
    id = first ? expressionPath(first) : undefined;
  }
  const fn = enclosingFunction(call);
  if (id && fn && !repeatsWithin(call, fn)) {
    const fix = keyFix(call, `\`${label}-\${${id}}\``, `Derive the idempotency key from \`${id}\``, false);
    if (fix) fixes.push(fix);
  }
  return fixes;
}

/** Stripe calls that create charges, refunds, subscriptions, customers… without an `idempotencyKey`, so a retried request does it twice. */
export const paymentCallWithoutIdempotencyKey: Rule = {
  meta: {
    id: "payment-call-without-idempotency-key",
    checklistItem: "reliability.webhook-idempotency",
    defaultSeverity: "warning",
    description: "A Stripe call that creates or moves money runs without an idempotency key, so a retried request repeats it.",
    scope: "production",
    fixable: true,
    triggers: ["stripe", "Stripe"],
    messages: {
      create:
        "`{{call}}` runs without an idempotency key: when the request is retried (a client retry after a timeout, a job run twice, a redelivered webhook) Stripe creates a second {{noun}}. Pass `{ idempotencyKey }` as the request options, derived from a stable id (the order id, the webhook event id, the client's `Idempotency-Key` header), not a fresh random value.",
      repeat:
        "`{{call}}` runs without an idempotency key: when the request is retried (a client retry after a timeout, a job run twice, a redelivered webhook) the {{method}} is sent again, and fails or repeats where the first attempt already succeeded. Pass `{ idempotencyKey }` as the request options, derived from a stable id.",
    },
    docs: {
      why:
        "Networks fail after the server has acted: the client times out, retries, and Stripe charges the card twice, issues a second refund or starts a second subscription. Webhook handlers and job queues retry by design. Stripe stores the result of a request under its idempotency key for 24 hours and returns that result for a retry with the same key instead of acting again. stripe-node only adds its own key to its internal network retries; a retry of *your* request is a new call with no key.",
      howToFix: [
        "Pass request options with a key that stays the same when the same operation is retried, e.g. derived from the order or the webhook event:",
        "",
        "```ts",
        "const intent = await stripe.paymentIntents.create(",
        '  { amount: order.total, currency: "eur", metadata: { orderId: order.id } },',
        "  { idempotencyKey: `paymentIntents.create-${order.id}` },",
        ");",
        "```",
        "",
        "Or forward the client's `Idempotency-Key` header. A fresh `crypto.randomUUID()` per call does not help: the retry gets a new key. The automatic fix uses the webhook event id when the call runs in a webhook handler; elsewhere it offers a key built from an order id (or a user id for `customers.create`) found in scope.",
      ].join("\n"),
      valid: [
        {
          note: "Keyed by the order.",
          code: `export async function payOrder(order: Order) {
  return stripe.paymentIntents.create(
    { amount: order.total, currency: "eur" },
    { idempotencyKey: \`pi-\${order.id}\` },
  );
}`,
        },
        {
          note: "Reads need no key.",
          code: `export async function getIntent(id: string) {
  return stripe.paymentIntents.retrieve(id);
}`,
        },
      ],
      invalid: [
        {
          note: "A timeout and a retry charge the customer twice.",
          code: `app.post("/orders/:orderId/pay", async (req, res) => {
  const order = await loadOrder(req.params.orderId);
  const intent = await stripe.paymentIntents.create({ amount: order.total, currency: "eur", confirm: true, payment_method: req.body.paymentMethod });
  res.json({ status: intent.status });
});`,
        },
      ],
    },
  },
  create(context) {
    return {
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        const money = moneyCallOf(node, context);
        if (!money || isModuleLevel(node)) return;
        const { stripe, shape } = money;
        if (idempotencyKeyOf(node, shape) !== "absent") return;
        const noun = STRIPE_MONEY_CALLS[stripe.resource].noun;
        context.report({
          node: node.expression,
          messageId: stripe.method === "create" ? "create" : "repeat",
          data: { call: snippet(node.expression, context.sourceFile, 60), noun, method: propertyNameText((unwrap(node.expression) as ts.PropertyAccessExpression).name) ?? stripe.method },
          fixes: fixesFor(context, node, stripe, shape),
        });
      },
    };
  },
};
