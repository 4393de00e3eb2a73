import ts = require("typescript");
import type { Rule } from "../types";
import { SIGNALS, analyzeWebhook, webhookWalkVisitors } from "./support/payments-stripe";

/** A payment webhook that writes state but never records or checks the event id, so a redelivery is processed twice. */
export const webhookNotIdempotent: Rule = {
  meta: {
    id: "webhook-not-idempotent",
    checklistItem: "reliability.webhook-idempotency",
    defaultSeverity: "warning",
    description: "A payment webhook writes state without recording the event id, so a retried delivery is processed twice.",
    scope: "production",
    triggers: ["ebhook", "constructEvent", "checkout.session", "payment_intent", "invoice.", "customer.subscription", "event_name", "PAYMENT.", "BILLING."],
    messages: {
      notIdempotent:
        "Payment webhook {{label}} writes state ({{write}}) but never records or checks the event id. Providers deliver events at least once and retry on timeouts, so a redelivery runs these writes again (double credits, duplicate orders, repeated emails). Record `event.id` in a processed-events table (unique key) and skip events already seen.",
    },
    docs: {
      why:
        "Stripe, Paddle and Lemon Squeezy deliver each event *at least once*: a slow response, a deploy or a network blip makes them send the same event again, sometimes minutes later, sometimes concurrently. A handler that inserts an order, credits an account or sends a receipt on every delivery does it twice. Recording the event id under a unique constraint (and skipping ids already recorded) makes the handler safe to retry.",
      howToFix: [
        "Record the event id before (or in the same transaction as) the side effects, and stop when it is already there:",
        "",
        "```ts",
        "const event = stripe.webhooks.constructEvent(req.body, sig, secret);",
        "try {",
        "  await prisma.processedEvent.create({ data: { id: event.id, type: event.type } }); // id is the primary key",
        "} catch (err) {",
        '  if (err.code === "P2002") return res.json({ received: true }); // already processed',
        "  throw err;",
        "}",
        "// … handle the event",
        "```",
        "",
        "Other shapes that count: `INSERT … ON CONFLICT (event_id) DO NOTHING`, `redis.set(`stripe:${event.id}`, \"1\", { NX: true, EX: 86400 })`, `if (await alreadyProcessed(event.id)) return`. A handler whose every write is an upsert keyed by the provider's object id (`upsert({ where: { stripeSubscriptionId: sub.id } })`) is idempotent by construction and is not reported.",
      ].join("\n"),
      valid: [
        {
          note: "The event id is recorded under a unique key first.",
          code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  const fresh = await redis.set(\`stripe:event:\${event.id}\`, "1", { NX: true, EX: 86400 });
  if (!fresh) return res.json({ received: true });
  if (event.type === "checkout.session.completed") {
    await prisma.order.create({ data: { sessionId: event.data.object.id } });
  }
  res.json({ received: true });
});`,
        },
        {
          note: "Every write is an upsert keyed by the Stripe object id.",
          code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  const sub = event.data.object as Stripe.Subscription;
  await prisma.subscription.upsert({ where: { stripeId: sub.id }, create: { stripeId: sub.id, status: sub.status }, update: { status: sub.status } });
  res.json({ received: true });
});`,
        },
      ],
      invalid: [
        {
          note: "A redelivered checkout.session.completed creates a second order.",
          code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    await prisma.order.create({ data: { sessionId: session.id, email: session.customer_email } });
  }
  res.json({ received: true });
});`,
        },
      ],
    },
  },
  create(context) {
    return webhookWalkVisitors(context, ({ handlers, byName, notes }) => {
      for (const handler of handlers) {
        const facts = analyzeWebhook(handler, context, byName, notes);
        if (!facts) continue;
        if (facts.eventIdUse) {
          context.signal(SIGNALS.eventId, facts.eventIdUse, facts.label);
          continue;
        }
        const write = facts.writes.find((candidate) => !candidate.idempotent);
        // An event receiver: it verifies a delivery or reads the event type (not, say, a CRUD route for webhook settings).
        if (!write || (!facts.verification && !facts.eventTypeRead)) continue;
        const callee = ts.isCallExpression(write.node) ? write.node.expression : ts.isTaggedTemplateExpression(write.node) ? write.node.tag : write.node;
        const text = callee.getText(context.sourceFile).replace(/\s+/g, "");
        context.report({
          node: facts.anchor,
          messageId: "notIdempotent",
          data: { label: `\`${facts.label}\``, write: `\`${text.length > 48 ? `${text.slice(0, 47)}…` : text}\`` },
        });
      }
    });
  },
};
