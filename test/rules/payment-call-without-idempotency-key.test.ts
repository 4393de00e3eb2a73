import { paymentCallWithoutIdempotencyKey } from "../../rules/catalogue/payment-call-without-idempotency-key";
import { testRule } from "../rule-tester";

testRule(paymentCallWithoutIdempotencyKey, {
  valid: [
    {
      name: "an idempotency key derived from the order",
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function chargeOrder(order: Order) {
  return stripe.paymentIntents.create(
    { amount: order.total, currency: "eur", customer: order.stripeCustomerId },
    { idempotencyKey: \`pi-\${order.id}\` },
  );
}`,
    },
    {
      name: "the client's Idempotency-Key header",
      code: `app.post("/refunds", async (req, res) => {
  const refund = await stripe.refunds.create({ payment_intent: req.body.paymentIntent }, { idempotencyKey: req.get("Idempotency-Key") });
  res.json(refund);
});`,
    },
    {
      name: "request options we cannot see into",
      code: `export async function subscribe(customer: string, price: string, requestOptions: Stripe.RequestOptions) {
  await stripe.subscriptions.create({ customer, items: [{ price }] }, requestOptions);
  await stripe.invoices.create({ customer }, { ...requestOptions, stripeAccount: ACCOUNT });
}`,
    },
    {
      name: "reads and updates",
      code: `export async function sync(id: string) {
  const intent = await stripe.paymentIntents.retrieve(id);
  const charges = await stripe.charges.list({ payment_intent: id });
  await stripe.paymentIntents.update(id, { metadata: { synced: "yes" } });
  return { intent, charges };
}`,
    },
    {
      name: "calls outside the money list (attach, billing portal, products)",
      code: `export async function portal(customer: string, pm: string) {
  await stripe.paymentMethods.attach(pm, { customer });
  await stripe.products.create({ name: "Pro" });
  return stripe.billingPortal.sessions.create({ customer, return_url: "https://example.com" });
}`,
    },
    {
      name: "confirm with the key in the options argument",
      code: `async function confirm(intentId: string, paymentMethod: string, key: string) {
  return stripe.paymentIntents.confirm(intentId, { payment_method: paymentMethod }, { idempotencyKey: key });
}`,
    },
    {
      name: "module-level setup code",
      code: `const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const platformCustomer = await stripe.customers.create({ email: "platform@example.com" });`,
    },
    {
      name: "not a Stripe client",
      code: `import Omise from "omise";
const omise = Omise({ secretKey: process.env.OMISE_SECRET_KEY });
export async function pay(token: string) {
  return omise.charges.create({ amount: 1000, currency: "thb", card: token });
}`,
    },
    {
      name: "a script",
      file: "scripts/backfill-customers.ts",
      code: `async function main() {
  for (const user of await db.user.findMany()) await stripe.customers.create({ email: user.email });
}`,
    },
    {
      name: "a spec file",
      file: "src/payments.spec.ts",
      code: `it("charges", async () => {
  await stripe.charges.create({ amount: 100, currency: "usd", source: "tok_visa" });
});`,
    },
  ],
  invalid: [
    {
      name: "Express: a payment for an order, keyed by the order in scope",
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

app.post("/orders/:orderId/pay", async (req, res) => {
  const order = await loadOrder(req.params.orderId);
  const intent = await stripe.paymentIntents.create({ amount: order.total, currency: "eur", confirm: true });
  res.json({ status: intent.status });
});`,
      errors: [
        {
          line: 6,
          column: 24,
          endColumn: 52,
          message:
            "`stripe.paymentIntents.create` runs without an idempotency key: when the request is retried (a client retry after a timeout, a job run twice, a redelivered webhook) Stripe creates a second PaymentIntent. Pass `{ idempotencyKey }` as the request options, derived from a stable id (the order id, the webhook event id, the client's `Idempotency-Key` header), not a fresh random value.",
        },
      ],
      output: null,
      suggestions: [`import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

app.post("/orders/:orderId/pay", async (req, res) => {
  const order = await loadOrder(req.params.orderId);
  const intent = await stripe.paymentIntents.create({ amount: order.total, currency: "eur", confirm: true }, { idempotencyKey: \`paymentIntents.create-\${order.id}\` });
  res.json({ status: intent.status });
});`],
    },
    {
      name: "in a webhook handler: keyed by the event id (preferred fix)",
      code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  if (event.type === "customer.created") {
    await stripe.subscriptions.create({
      customer: event.data.object.id,
      items: [{ price: TRIAL_PRICE }],
      trial_period_days: 14,
    });
  }
  res.sendStatus(200);
});`,
      errors: [{ line: 4, column: 11, endColumn: 38, message: /creates a second subscription/ }],
      output: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  if (event.type === "customer.created") {
    await stripe.subscriptions.create({
      customer: event.data.object.id,
      items: [{ price: TRIAL_PRICE }],
      trial_period_days: 14,
    }, { idempotencyKey: \`subscriptions.create-\${event.id}\` });
  }
  res.sendStatus(200);
});`,
    },
    {
      name: "NestJS service with an injected Stripe client: no stable id, no fix",
      code: `import { Injectable } from "@nestjs/common";
import Stripe from "stripe";

@Injectable()
export class BillingService {
  constructor(@Inject(STRIPE_CLIENT) private readonly client: Stripe) {}

  async startSubscription(customerId: string, priceId: string) {
    return this.client.subscriptions.create({ customer: customerId, items: [{ price: priceId }] });
  }
}`,
      errors: [{ line: 9, column: 12, endColumn: 44 }],
      output: null,
    },
    {
      name: "CommonJS client, cart id parameter",
      code: `const stripe = require("stripe")(process.env.STRIPE_KEY);

async function chargeCart(cartId, token, amount) {
  return stripe.charges.create({ amount, currency: "usd", source: token });
}

module.exports = { chargeCart };`,
      errors: [{ line: 4, column: 10, endColumn: 31, message: /creates a second charge/ }],
      output: null,
      suggestions: [`const stripe = require("stripe")(process.env.STRIPE_KEY);

async function chargeCart(cartId, token, amount) {
  return stripe.charges.create({ amount, currency: "usd", source: token }, { idempotencyKey: \`charges.create-\${cartId}\` });
}

module.exports = { chargeCart };`],
    },
    {
      name: "customers.create keyed by the user in the arguments",
      code: `export async function ensureCustomer(user: User) {
  if (user.stripeCustomerId) return user.stripeCustomerId;
  const customer = await stripe.customers.create({ email: user.email, metadata: { userId: user.id } });
  return customer.id;
}`,
      errors: [{ line: 3, column: 26, endColumn: 49 }],
      output: null,
      suggestions: [`export async function ensureCustomer(user: User) {
  if (user.stripeCustomerId) return user.stripeCustomerId;
  const customer = await stripe.customers.create({ email: user.email, metadata: { userId: user.id } }, { idempotencyKey: \`customers.create-\${user.id}\` });
  return customer.id;
}`],
    },
    {
      name: "refunds: no safe key to invent",
      code: `router.post("/orders/:id/refund", async (req, res) => {
  const order = await Order.findById(req.params.id);
  await stripe.refunds.create({ payment_intent: order.paymentIntentId, amount: req.body.amount });
  res.sendStatus(204);
});`,
      errors: [{ line: 3, column: 9, endColumn: 30, message: /creates a second refund/ }],
      output: null,
    },
    {
      name: "options without a key",
      code: `export async function checkout(connectedAccount: string, orderId: string) {
  return stripe.checkout.sessions.create({ mode: "payment", line_items: [] }, { stripeAccount: connectedAccount });
}`,
      errors: [{ line: 2, column: 10 }],
      output: null,
    },
    {
      name: "capture keyed by the PaymentIntent id",
      code: `export async function captureOrder(intentId: string) {
  return stripe.paymentIntents.capture(intentId);
}`,
      errors: [{ line: 2, column: 10, endColumn: 39, message: /the capture is sent again/ }],
      output: null,
      suggestions: [`export async function captureOrder(intentId: string) {
  return stripe.paymentIntents.capture(intentId, { idempotencyKey: \`paymentIntents.capture-\${intentId}\` });
}`],
    },
    {
      name: "imported client, invoices.pay in a job",
      code: `import { stripe } from "../lib/stripe";

export async function retryInvoice(job: Job<{ invoiceId: string }>) {
  await stripe.invoices.pay(job.data.invoiceId);
}`,
      errors: [{ line: 4, column: 9, endColumn: 28 }],
      output: null,
    },
    {
      name: "in a loop inside a webhook: no event-id fix",
      code: `app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, secret);
  for (const item of event.data.object.lines.data) {
    await stripe.transfers.create({ amount: item.amount, currency: "usd", destination: item.metadata.account });
  }
  res.sendStatus(200);
});`,
      errors: [{ line: 4, column: 11, message: /creates a second transfer/ }],
      output: null,
    },
    {
      name: "a helper taking the Stripe.Event: keyed by the event id",
      code: `async function onInvoicePaid(event: Stripe.Event) {
  const invoice = event.data.object as Stripe.Invoice;
  await stripe.invoiceItems.create({ customer: invoice.customer as string, amount: -500, currency: "usd" });
}`,
      errors: [{ line: 3, column: 9, endColumn: 35, message: /creates a second invoice item/ }],
      output: `async function onInvoicePaid(event: Stripe.Event) {
  const invoice = event.data.object as Stripe.Invoice;
  await stripe.invoiceItems.create({ customer: invoice.customer as string, amount: -500, currency: "usd" }, { idempotencyKey: \`invoiceItems.create-\${event.id}\` });
}`,
    },
    {
      name: "the same call twice for one event: no event-id fix",
      code: `async function onDispute(event: Stripe.Event, charges: string[]) {
  await stripe.refunds.create({ charge: charges[0] });
  await stripe.refunds.create({ charge: charges[1] });
}`,
      errors: [{ line: 2, column: 9 }, { line: 3, column: 9 }],
      output: null,
    },
    {
      name: "a client made by new Stripe() under another name",
      code: `const payments = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: "2024-06-20" });

export const topUp = async (amount: number) => payments.topups.create({ amount, currency: "usd" });`,
      errors: [{ line: 3, column: 48, endColumn: 70 }],
      output: null,
    },
    {
      name: "a class property client, Koa handler",
      code: `class PaymentsController {
  private stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

  setup = async (ctx: Context) => {
    const intent = await this.stripe.setupIntents.create({ customer: ctx.state.user.stripeId });
    ctx.body = { clientSecret: intent.client_secret };
  };
}`,
      errors: [{ line: 5, column: 26, endColumn: 57 }],
      output: null,
    },
  ],
});
