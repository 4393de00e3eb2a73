import { webhookNotIdempotent } from "../../rules/catalogue/webhook-not-idempotent";
import { testRule } from "../rule-tester";

testRule(webhookNotIdempotent, {
  valid: [
    {
      name: "the event id is recorded in a processed-events table",
      code: `import express from "express";
import Stripe from "stripe";
import { prisma } from "./db";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const router = express.Router();

router.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  try {
    await prisma.processedEvent.create({ data: { id: event.id, type: event.type } });
  } catch {
    return res.json({ received: true, duplicate: true });
  }
  if (event.type === "checkout.session.completed") {
    await prisma.order.create({ data: { sessionId: event.data.object.id } });
  }
  res.json({ received: true });
});`,
    },
    {
      name: "INSERT … ON CONFLICT with the event id as a parameter",
      code: `app.post("/billing/webhook", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.get("stripe-signature")!, secret);
  const { rowCount } = await pool.query("INSERT INTO stripe_events (id) VALUES ($1) ON CONFLICT DO NOTHING", [event.id]);
  if (rowCount === 0) return res.sendStatus(200);
  await pool.query("UPDATE accounts SET credits = credits + 100 WHERE stripe_customer = $1", [event.data.object.customer]);
  res.sendStatus(200);
});`,
    },
    {
      name: "a same-file helper checks the event id",
      code: `async function alreadyProcessed(id: string) {
  return (await redis.set(\`stripe:\${id}\`, "1", { NX: true })) === null;
}

app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  if (await alreadyProcessed(event.id)) return res.sendStatus(200);
  await Order.create({ session: event.data.object.id });
  res.sendStatus(200);
});`,
    },
    {
      name: "every write is an upsert keyed by the Stripe object id",
      code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  switch (event.type) {
    case "customer.subscription.updated":
    case "customer.subscription.created": {
      const sub = event.data.object as Stripe.Subscription;
      await prisma.subscription.upsert({
        where: { stripeSubscriptionId: sub.id },
        create: { stripeSubscriptionId: sub.id, status: sub.status },
        update: { status: sub.status },
      });
      break;
    }
  }
  res.json({ received: true });
});`,
    },
    {
      name: "Mongoose updateOne with upsert: true",
      code: `router.post("/payments/webhook", verifyStripe, async (req, res) => {
  const event = req.body;
  if (event.type === "invoice.paid") {
    await Invoice.updateOne({ stripeId: event.data.object.id }, { status: "paid" }, { upsert: true });
  }
  res.sendStatus(200);
});`,
    },
    {
      name: "destructured event id checked",
      code: `app.post("/webhooks/paddle", async (req, res) => {
  const event = paddle.webhooks.unmarshal(req.body, secret, req.get("paddle-signature")!);
  const { eventId: id, eventType } = event;
  const { id: eventId } = event;
  if (await ProcessedEvent.exists({ _id: eventId })) return res.end();
  if (eventType === "transaction.completed") await Order.create({ paddleId: event.data.id });
  res.end();
});`,
    },
    {
      name: "the handler only hands the event to a service",
      code: `@Controller("stripe")
export class StripeController {
  @Post("webhook")
  async webhook(@Req() req: RawBodyRequest<Request>, @Headers("stripe-signature") sig: string) {
    const event = this.stripe.webhooks.constructEvent(req.rawBody!, sig, this.secret);
    await this.billing.handle(event);
    return { received: true };
  }
}`,
    },
    {
      name: "not a payment webhook",
      code: `app.post("/webhooks/github", async (req, res) => {
  await prisma.deployment.create({ data: { ref: req.body.ref } });
  res.sendStatus(204);
});`,
    },
    {
      name: "a Stripe call keyed by the event id",
      code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  if (event.type === "checkout.session.completed") {
    await stripe.invoiceItems.create({ customer: event.data.object.customer as string, amount: 500, currency: "usd" }, { idempotencyKey: \`bonus-\${event.id}\` });
  }
  res.sendStatus(200);
});`,
    },
    {
      name: "CRUD for webhook endpoints under /billing",
      code: `router.post("/billing/webhooks", async (req, res) => {
  const endpoint = await prisma.webhookEndpoint.create({ data: { url: req.body.url, secret: randomSecret() } });
  res.status(201).json(endpoint);
});`,
    },
    {
      name: "a test file",
      file: "src/webhooks.spec.ts",
      code: `app.post("/webhooks/stripe", async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, "sig", "whsec");
  await prisma.order.create({ data: { id: event.data.object.id } });
});`,
    },
  ],
  invalid: [
    {
      name: "Express: an order is created on every delivery",
      code: `import express from "express";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();

app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    await prisma.order.create({ data: { sessionId: session.id, email: session.customer_details?.email } });
  }
  res.json({ received: true });
});`,
      errors: [{ line: 6, column: 10, endColumn: 28, message: /Payment webhook `\/webhooks\/stripe` writes state \(`prisma\.order\.create`\) but never records or checks the event id/ }],
    },
    {
      name: "the event id is only logged",
      code: `app.post("/billing/webhook", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.get("stripe-signature")!, secret);
  console.log("received", event.id, event.type);
  if (event.type === "invoice.paid") {
    await db.account.update({ where: { customerId: event.data.object.customer }, data: { credits: { increment: 100 } } });
  }
  res.sendStatus(200);
});`,
      errors: [{ line: 1, column: 10 }],
    },
    {
      name: "NestJS: writes through the injected Prisma service",
      code: `import { Controller, Headers, Post, Req } from "@nestjs/common";

@Controller("stripe")
export class StripeWebhookController {
  constructor(private readonly prisma: PrismaService, private readonly stripe: StripeService) {}

  @Post("webhook")
  async handle(@Req() req: RawBodyRequest<Request>, @Headers("stripe-signature") sig: string) {
    const event = this.stripe.client.webhooks.constructEvent(req.rawBody!, sig, process.env.STRIPE_WEBHOOK_SECRET!);
    if (event.type === "payment_intent.succeeded") {
      await this.prisma.payment.create({ data: { intentId: event.data.object.id, amount: event.data.object.amount } });
    }
    return { received: true };
  }
}`,
      errors: [{ line: 8, column: 9, endColumn: 15 }],
    },
    {
      name: "the write is in a same-file helper",
      code: `async function handleCheckoutCompleted(session: Stripe.Checkout.Session) {
  await Order.create({ sessionId: session.id, total: session.amount_total });
  await sendReceipt(session.customer_email);
}

export async function stripeWebhook(req: Request, res: Response) {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, secret);
  if (event.type === "checkout.session.completed") await handleCheckoutCompleted(event.data.object);
  res.json({ received: true });
}`,
      errors: [{ line: 6, column: 23, endColumn: 36, message: /`Order\.create`/ }],
    },
    {
      name: "raw SQL INSERT without a conflict clause",
      code: `router.post("/payments/webhook", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  if (event.type === "charge.succeeded") {
    await pool.query("INSERT INTO payments (charge_id, amount) VALUES ($1, $2)", [event.data.object.id, event.data.object.amount]);
  }
  res.sendStatus(200);
});`,
      errors: [{ line: 1, column: 13 }],
    },
    {
      name: "a Stripe create without an idempotency key",
      code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  if (event.type === "customer.created") {
    await stripe.subscriptions.create({ customer: event.data.object.id, items: [{ price: TRIAL_PRICE }] });
  }
  res.sendStatus(200);
});`,
      errors: [{ line: 1, column: 10, message: /`stripe\.subscriptions\.create`/ }],
    },
    {
      name: "Koa + Mongoose, Lemon Squeezy event",
      code: `router.post("/webhooks/lemonsqueezy", verifyLemonSignature, async (ctx) => {
  const payload = ctx.request.body;
  if (payload.meta.event_name === "order_created") {
    await License.create({ orderId: payload.data.id, email: payload.data.attributes.user_email });
  }
  ctx.status = 200;
});`,
      errors: [{ line: 1, column: 13 }],
    },
    {
      name: "Knex insert in a Fastify webhook",
      code: `fastify.post("/stripe/webhook", { config: { rawBody: true } }, async (request, reply) => {
  const event = stripe.webhooks.constructEvent(request.rawBody!, request.headers["stripe-signature"] as string, secret);
  if (event.type === "invoice.paid") {
    await knex("credits").insert({ customer: event.data.object.customer, amount: 100 });
  }
  return { received: true };
});`,
      errors: [{ line: 1, column: 14 }],
    },
    {
      name: "an unverified handler is not idempotent either",
      code: `app.post("/api/webhook", async (req, res) => {
  const { type, data } = req.body;
  if (type === "checkout.session.completed") await Order.create({ session: data.object.id });
  res.end();
});`,
      errors: [{ line: 1, column: 10 }],
    },
  ],
});
