import type { Rule, WorkspaceFacts } from "../types";
import { SIGNALS, analyzeWebhook, webhookWalkVisitors, verifiedHandlerDetail, verifiedRegistrations } from "./support/payments-stripe";

/**
 * The condition of a handler registered in another file: that registration verifies it. Made here from a
 * string only: a closure made in `create` would keep the file's whole syntax tree alive until the
 * workspace is resolved.
 */
function verifiedElsewhere(detail: string): (facts: WorkspaceFacts) => boolean {
  return (facts) => (facts.signals.get(SIGNALS.verified) ?? []).some((signal) => signal.detail === detail);
}

/** A payment webhook (Stripe, Paddle, Lemon Squeezy, Braintree, PayPal) that trusts its body without checking the signature. */
export const webhookSignatureUnverified: Rule = {
  meta: {
    id: "webhook-signature-unverified",
    checklistItem: "reliability.webhook-idempotency",
    defaultSeverity: "error",
    description: "A payment webhook handler acts on the request body without verifying the provider's signature.",
    scope: "production",
    triggers: ["ebhook", "constructEvent", "checkout.session", "payment_intent", "invoice.", "customer.subscription", "event_name", "PAYMENT.", "BILLING."],
    messages: {
      unverified:
        "Payment webhook {{label}} acts on the request body without verifying its signature: anyone who finds the URL can POST a forged event (say `checkout.session.completed`) and get the goods. Verify the raw body with `stripe.webhooks.constructEvent(rawBody, signature, webhookSecret)` (or your provider's equivalent) before using it.",
    },
    docs: {
      why:
        "A webhook endpoint is a public URL. Without a signature check, anyone can send it a fake `checkout.session.completed`, `invoice.paid` or `subscription_created` and your service will fulfil orders, unlock plans or mark invoices paid that nobody paid. Providers sign every delivery (Stripe's `Stripe-Signature`, Paddle's `Paddle-Signature`, Lemon Squeezy's `X-Signature`) precisely so you can reject forgeries and replays.",
      howToFix: [
        "Read the **raw** body (JSON parsing changes the bytes the signature covers) and verify it before anything else:",
        "",
        "```ts",
        'app.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {',
        "  let event: Stripe.Event;",
        "  try {",
        '    event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, process.env.STRIPE_WEBHOOK_SECRET!);',
        "  } catch {",
        '    return res.status(400).send("Invalid signature");',
        "  }",
        "  // … handle event.type",
        "});",
        "```",
        "",
        "Paddle: `paddle.webhooks.unmarshal(rawBody, secret, signature)`. Lemon Squeezy: an HMAC-SHA256 of the raw body with `crypto.createHmac` compared with `crypto.timingSafeEqual`. Braintree: `gateway.webhookNotification.parse(signature, payload)`. In NestJS, enable `rawBody: true` and read `req.rawBody`.",
      ].join("\n"),
      valid: [
        {
          note: "The signature is verified with constructEvent.",
          code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const sig = req.headers["stripe-signature"] as string;
  const event = stripe.webhooks.constructEvent(req.body, sig, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "checkout.session.completed") {
    await fulfillOrder(event.data.object);
  }
  res.json({ received: true });
});`,
        },
        {
          note: "A verifying middleware runs before the handler.",
          code: `router.post("/billing/webhook", verifyStripeSignature, async (req, res) => {
  const event = req.body;
  if (event.type === "invoice.paid") await markPaid(event.data.object.id);
  res.sendStatus(200);
});`,
        },
        {
          note: "Not a payment webhook (GitHub).",
          code: `app.post("/webhooks/github", async (req, res) => {
  if (req.body.action === "opened") await notify(req.body.pull_request);
  res.sendStatus(204);
});`,
        },
      ],
      invalid: [
        {
          note: "Trusts whatever JSON arrives.",
          code: `app.post("/webhooks/stripe", express.json(), async (req, res) => {
  const event = req.body;
  switch (event.type) {
    case "checkout.session.completed":
      await fulfillOrder(event.data.object);
      break;
  }
  res.json({ received: true });
});`,
        },
        {
          note: "A Next.js route handler reading the event straight from the body.",
          code: `export async function POST(req: Request) {
  const event = await req.json();
  if (event.type === "customer.subscription.deleted") {
    await cancelPlan(event.data.object.customer);
  }
  return new Response("ok");
}`,
        },
      ],
    },
  },
  create(context) {
    return webhookWalkVisitors(context, ({ handlers, registrations, byName, notes }) => {
      for (const registration of verifiedRegistrations(registrations)) {
        context.signal(SIGNALS.verified, registration.route.call, verifiedHandlerDetail(registration.name));
      }
      for (const handler of handlers) {
        const facts = analyzeWebhook(handler, context, byName, notes);
        if (!facts) continue;
        context.signal(SIGNALS.webhook, facts.anchor, facts.label);
        if (facts.verification) {
          context.signal(SIGNALS.verified, facts.verification, facts.label);
          continue;
        }
        // Acting on the event: reading its type from the unverified body.
        if (facts.delegated || !facts.eventTypeRead) continue;
        const name = handler.name;
        const registeredHere = handler.route !== undefined || registrations.some((registration) => registration.name === name);
        context.report({
          node: facts.anchor,
          messageId: "unverified",
          data: { label: `\`${facts.label}\`` },
          unless: name && !registeredHere ? verifiedElsewhere(verifiedHandlerDetail(name)) : undefined,
        });
      }
    });
  },
};
