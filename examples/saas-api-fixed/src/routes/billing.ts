import { type Request, Router } from "express";
import { config } from "../config";
import { prisma } from "../db";
import { assertTeamMember, currentUserId, requireAuth } from "../middleware/auth";
import { CheckoutBody, CreditsBody, IdParams, IdempotencyKeyHeader, RefundBody, TeamQuery } from "../schemas";
import { listInvoicesForTeam } from "../services/invoices";
import { getOrCreateCustomer, stripe } from "../services/stripe";

export const billingRouter = Router();

billingRouter.use(requireAuth);

// The dashboard sends a fresh Idempotency-Key per click and reuses it on retry, so a double
// submit or a network retry never creates a second Checkout session or charge.
const idempotencyKey = (req: Request, scope: string) =>
  `${scope}:${currentUserId(req)}:${IdempotencyKeyHeader.parse(req.header("Idempotency-Key"))}`;

billingRouter.post("/checkout", async (req, res) => {
  const { teamId, plan, seats } = CheckoutBody.parse(req.body);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: currentUserId(req) } });
  await assertTeamMember(teamId, user.id, ["owner", "admin"]);
  const customerId = await getOrCreateCustomer(user);
  const session = await stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer: customerId,
      line_items: [{ price: config.stripe.prices[plan], quantity: seats }],
      success_url: `${config.appUrl}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${config.appUrl}/billing`,
      metadata: { teamId, userId: user.id },
      subscription_data: { metadata: { teamId } },
    },
    { idempotencyKey: idempotencyKey(req, "checkout") },
  );
  req.log.info({ checkoutSessionId: session.id, teamId }, "checkout session created");
  res.json({ url: session.url });
});

// One-off credit top-ups, confirmed client-side with Stripe Elements
billingRouter.post("/credits", async (req, res) => {
  const { teamId, amount } = CreditsBody.parse(req.body);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: currentUserId(req) } });
  await assertTeamMember(teamId, user.id, ["owner", "admin"]);
  const intent = await stripe.paymentIntents.create(
    {
      amount,
      currency: "usd",
      customer: await getOrCreateCustomer(user),
      metadata: { teamId, kind: "credits" },
    },
    { idempotencyKey: idempotencyKey(req, "credits") },
  );
  res.json({ clientSecret: intent.client_secret });
});

billingRouter.get("/invoices", async (req, res) => {
  const { teamId } = TeamQuery.parse(req.query);
  await assertTeamMember(teamId, currentUserId(req));
  res.json(await listInvoicesForTeam(teamId));
});

billingRouter.post("/invoices/:id/refund", async (req, res) => {
  const { id } = IdParams.parse(req.params);
  const { amount } = RefundBody.parse(req.body);
  const invoice = await prisma.invoice.findUnique({ where: { id } });
  if (!invoice?.stripePaymentIntentId || invoice.status === "refunded") {
    res.status(404).json({ error: "Invoice not found or not refundable" });
    return;
  }
  await assertTeamMember(invoice.teamId, currentUserId(req), ["owner"]);
  // One refund per invoice: the key is derived from the invoice, so retries return the same refund
  const refund = await stripe.refunds.create(
    { payment_intent: invoice.stripePaymentIntentId, amount, reason: "requested_by_customer" },
    { idempotencyKey: `refund:${invoice.id}` },
  );
  await prisma.invoice.update({ where: { id: invoice.id }, data: { status: "refunded", refundedAt: new Date() } });
  req.log.info({ refundId: refund.id, invoiceId: invoice.id }, "refund issued");
  res.json({ refundId: refund.id, status: refund.status });
});

billingRouter.post("/portal", async (req, res) => {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: currentUserId(req) } });
  const portal = await stripe.billingPortal.sessions.create(
    { customer: await getOrCreateCustomer(user), return_url: `${config.appUrl}/billing` },
    { idempotencyKey: idempotencyKey(req, "portal") },
  );
  res.json({ url: portal.url });
});
