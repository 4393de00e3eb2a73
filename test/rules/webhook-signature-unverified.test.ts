import { webhookSignatureUnverified } from "../../rules/catalogue/webhook-signature-unverified";
import { testRule } from "../rule-tester";

testRule(webhookSignatureUnverified, {
  valid: [
    {
      name: "Express: constructEvent on the raw body",
      code: `import express from "express";
import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();

app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const sig = req.headers["stripe-signature"] as string;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, sig, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    return res.status(400).send(\`Webhook Error: \${(err as Error).message}\`);
  }
  switch (event.type) {
    case "checkout.session.completed":
      await fulfillOrder(event.data.object);
      break;
  }
  res.json({ received: true });
});`,
    },
    {
      name: "NestJS: constructEvent with req.rawBody",
      code: `import { Controller, Headers, Post, Req, RawBodyRequest } from "@nestjs/common";
import { Request } from "express";

@Controller("stripe")
export class StripeWebhookController {
  constructor(private readonly stripe: StripeService, private readonly orders: OrdersService) {}

  @Post("webhook")
  async handle(@Req() req: RawBodyRequest<Request>, @Headers("stripe-signature") signature: string) {
    const event = this.stripe.client.webhooks.constructEvent(req.rawBody!, signature, process.env.STRIPE_WEBHOOK_SECRET!);
    if (event.type === "invoice.paid") await this.orders.markPaid(event.data.object.id);
    return { received: true };
  }
}`,
    },
    {
      name: "Fastify: verification done in a same-file helper",
      code: `import Fastify from "fastify";
const app = Fastify();

function verifyStripeSignature(raw: Buffer, header: string) {
  return stripe.webhooks.constructEvent(raw, header, process.env.STRIPE_WEBHOOK_SECRET!);
}

app.post("/billing/webhook", { config: { rawBody: true } }, async (request, reply) => {
  const event = verifyStripeSignature(request.rawBody as Buffer, request.headers["stripe-signature"] as string);
  if (event.type === "customer.subscription.deleted") await cancel(event.data.object.id);
  return reply.send({ ok: true });
});`,
    },
    {
      name: "Lemon Squeezy: HMAC + timingSafeEqual",
      code: `import crypto from "node:crypto";
import express from "express";
const router = express.Router();

router.post("/webhooks/lemonsqueezy", express.raw({ type: "application/json" }), async (req, res) => {
  const hmac = crypto.createHmac("sha256", process.env.LEMON_SQUEEZY_WEBHOOK_SECRET!);
  const digest = Buffer.from(hmac.update(req.body).digest("hex"), "utf8");
  const signature = Buffer.from(req.get("X-Signature") ?? "", "utf8");
  if (!crypto.timingSafeEqual(digest, signature)) return res.status(401).end();
  const payload = JSON.parse(req.body.toString());
  if (payload.meta.event_name === "order_created") await createOrder(payload.data);
  res.sendStatus(200);
});`,
    },
    {
      name: "a verifying middleware in the route",
      code: `router.post("/payments/webhook", verifyWebhookSignature("stripe"), async (req, res) => {
  const event = req.body;
  if (event.type === "payment_intent.succeeded") await markPaid(event.data.object.metadata.orderId);
  res.sendStatus(200);
});`,
    },
    {
      name: "the signature header is handed to a service that verifies",
      code: `router.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const signature = req.headers["stripe-signature"];
  await billingService.handleStripeWebhook(req.body, signature);
  res.sendStatus(200);
});`,
    },
    {
      name: "the whole request is handed to a service",
      code: `export async function stripeWebhook(req: Request, res: Response) {
  const result = await paymentsService.processWebhook(req);
  res.status(result.status).end();
}`,
    },
    {
      name: "NestJS guard on the controller",
      code: `@Controller("webhooks")
@UseGuards(StripeSignatureGuard)
export class StripeWebhooksController {
  @Post("stripe")
  async handle(@Body() event: any) {
    if (event.type === "checkout.session.completed") await this.orders.fulfil(event.data.object);
  }
}`,
    },
    {
      name: "GitHub webhook: not a payment webhook",
      code: `app.post("/webhooks/github", express.json(), async (req, res) => {
  const event = req.headers["x-github-event"];
  if (event === "push") await deploy(req.body.ref);
  res.sendStatus(204);
});`,
    },
    {
      name: "Slack events endpoint",
      code: `app.post("/slack/events", async (req, res) => {
  if (req.body.type === "url_verification") return res.send(req.body.challenge);
  await handleSlackEvent(req.body.event);
  res.sendStatus(200);
});`,
    },
    {
      name: "a payment route that is not a webhook",
      code: `app.post("/payments/checkout", async (req, res) => {
  const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: [], success_url: "https://x.y" }, { idempotencyKey: req.body.cartId });
  res.json({ url: session.url });
});`,
    },
    {
      name: "Svix verification",
      code: `import { Webhook } from "svix";
app.post("/webhooks/billing", express.raw({ type: "application/json" }), (req, res) => {
  const wh = new Webhook(process.env.BILLING_WEBHOOK_SECRET!);
  const event = wh.verify(req.body, req.headers as Record<string, string>) as any;
  if (event.type === "invoice.paid") markPaid(event.data.id);
  res.sendStatus(204);
});`,
    },
    {
      name: "the handler is verified by a middleware in another file's registration",
      file: "src/controllers/stripe.ts",
      code: `export async function handleStripeWebhook(req: Request, res: Response) {
  const event = req.body;
  if (event.type === "checkout.session.completed") await fulfil(event.data.object);
  res.sendStatus(200);
}`,
      otherFiles: [
        {
          file: "src/routes.ts",
          code: `import { handleStripeWebhook } from "./controllers/stripe";
router.post("/webhooks/stripe", express.raw({ type: "application/json" }), verifyStripeSignature, handleStripeWebhook);`,
        },
      ],
    },
    {
      name: "managing webhook settings is not receiving webhooks",
      code: `router.get("/billing/webhooks", async (req, res) => {
  res.json(await prisma.webhookEndpoint.findMany({ where: { accountId: req.user.accountId } }));
});
router.post("/billing/webhooks", async (req, res) => {
  const endpoint = await prisma.webhookEndpoint.create({ data: { url: req.body.url, accountId: req.user.accountId } });
  res.status(201).json(endpoint);
});
router.put("/billing/webhooks/:id", async (req, res) => {
  if (req.body.type === "invoice.paid") await prisma.webhookEndpoint.update({ where: { id: req.params.id }, data: { events: ["invoice.paid"] } });
  res.sendStatus(204);
});`,
    },
    {
      name: "re-fetching the event from Stripe is a verification",
      code: `app.post("/webhooks/stripe", async (req, res) => {
  const event = await stripe.events.retrieve(req.body.id);
  if (event.type === "invoice.paid") await markPaid(event.data.object.id);
  res.sendStatus(200);
});`,
    },
    {
      name: "an admin endpoint reading events from the Stripe API",
      code: `app.post("/admin/replay", requireAdmin, async (req, res) => {
  const event = await stripeClient.events.retrieve(req.body.eventId);
  if (event.type === "checkout.session.completed") await fulfil(event.data.object);
  res.sendStatus(202);
});`,
    },
    {
      name: "a test file",
      file: "test/webhooks.test.ts",
      code: `app.post("/webhooks/stripe", (req, res) => {
  if (req.body.type === "checkout.session.completed") fulfil(req.body.data.object);
  res.end();
});`,
    },
  ],
  invalid: [
    {
      name: "Express: event read straight from the JSON body",
      code: `import express from "express";
const app = express();

app.post("/webhooks/stripe", express.json(), async (req, res) => {
  const event = req.body;
  switch (event.type) {
    case "checkout.session.completed":
      await fulfillOrder(event.data.object);
      break;
  }
  res.json({ received: true });
});`,
      errors: [{ line: 4, column: 10, endColumn: 28, message: /Payment webhook `\/webhooks\/stripe` acts on the request body without verifying its signature/ }],
    },
    {
      name: "the signature header is read but only checked for presence",
      code: `router.post("/stripe/webhook", async (req, res) => {
  const sig = req.headers["stripe-signature"];
  if (!sig) return res.status(400).end();
  const event = req.body;
  if (event.type === "invoice.paid") await db.invoice.update({ where: { stripeId: event.data.object.id }, data: { paid: true } });
  res.end();
});`,
      errors: [{ line: 1, column: 13 }],
    },
    {
      name: "path without payment word, Stripe event types in the body",
      code: `app.post("/api/webhook", async (req, res) => {
  const { type, data } = req.body;
  if (type === "customer.subscription.deleted") {
    await User.updateOne({ stripeCustomerId: data.object.customer }, { plan: "free" });
  }
  res.sendStatus(200);
});`,
      errors: [{ line: 1, column: 10 }],
    },
    {
      name: "NestJS controller with an untyped @Body",
      code: `import { Body, Controller, Post } from "@nestjs/common";

@Controller("billing")
export class BillingController {
  @Post("webhook")
  async webhook(@Body() body: any) {
    if (body.type === "checkout.session.completed") {
      await this.orders.fulfil(body.data.object.metadata.orderId);
    }
    return { received: true };
  }
}`,
      errors: [{ line: 6, column: 9, endColumn: 16 }],
    },
    {
      name: "Next.js app router route, detected by its file path",
      file: "app/api/webhooks/stripe/route.ts",
      code: `export async function POST(req: Request) {
  const event = await req.json();
  if (event.type === "payment_intent.succeeded") {
    await prisma.order.update({ where: { paymentIntentId: event.data.object.id }, data: { status: "paid" } });
  }
  return Response.json({ received: true });
}`,
      errors: [{ line: 1, column: 23, endColumn: 27 }],
    },
    {
      name: "named handler registered in the same file",
      code: `const handleStripeWebhook = async (req, res) => {
  const event = JSON.parse(req.body.toString());
  if (event.type === "invoice.payment_failed") await notifyCustomer(event.data.object.customer_email);
  res.sendStatus(200);
};

router.post("/webhooks/stripe", express.raw({ type: "application/json" }), handleStripeWebhook);`,
      errors: [{ line: 1, column: 7 }],
    },
    {
      name: "Koa",
      code: `router.post("/payments/webhook", async (ctx) => {
  const event = ctx.request.body;
  if (event.type === "charge.refunded") await refundOrder(event.data.object.metadata.orderId);
  ctx.status = 200;
});`,
      errors: [{ line: 1, column: 13 }],
    },
    {
      name: "Fastify route() with a handler property",
      code: `fastify.route({
  method: "POST",
  url: "/paddle/webhook",
  handler: async (request, reply) => {
    const event = request.body as any;
    if (event.event_type === "transaction.completed") await activate(event.data.customer_id);
    return reply.code(200).send();
  },
});`,
      errors: [{ line: 3, column: 8 }],
    },
    {
      name: "Lemon Squeezy: the event name read after destructuring",
      code: `app.post("/webhooks/lemon-squeezy", express.json(), async (req, res) => {
  const { meta, data } = req.body;
  if (meta.event_name === "subscription_created") await activate(data.attributes.user_email);
  res.sendStatus(200);
});`,
      errors: [{ line: 1, column: 10, endColumn: 35 }],
    },
    {
      name: "a handler registered in another file without verification",
      file: "src/controllers/stripe.ts",
      code: `export async function handleStripeWebhook(req: Request, res: Response) {
  const event = req.body;
  if (event.type === "checkout.session.completed") await fulfil(event.data.object);
  res.sendStatus(200);
}`,
      otherFiles: [{ file: "src/routes.ts", code: `router.post("/webhooks/stripe", express.json(), handleStripeWebhook);` }],
      errors: [{ line: 1, column: 23 }],
    },
  ],
});
