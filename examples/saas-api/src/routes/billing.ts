import { Router } from "express";
import { config } from "../config";
import { prisma } from "../db";
import { requireAuth } from "../middleware/auth";
import { listInvoicesForTeam } from "../services/invoices";
import { getOrCreateCustomer, stripe } from "../services/stripe";

export const billingRouter = Router();

billingRouter.use(requireAuth);

billingRouter.post("/checkout", async (req, res) => {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: req.userId } });
  const customerId = await getOrCreateCustomer(user);
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customerId,
    line_items: [{ price: config.stripe.prices[req.body.plan], quantity: req.body.seats ?? 1 }],
    success_url: `${config.appUrl}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${config.appUrl}/billing`,
    metadata: { teamId: req.body.teamId, userId: user.id },
    subscription_data: { metadata: { teamId: req.body.teamId } },
  });
  console.log(`Checkout session ${session.id} for team ${req.body.teamId}`);
  res.json({ url: session.url });
});

// One-off credit top-ups, confirmed client-side with Stripe Elements
billingRouter.post("/credits", async (req, res) => {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: req.userId } });
  const intent = await stripe.paymentIntents.create({
    amount: req.body.amount,
    currency: "usd",
    customer: await getOrCreateCustomer(user),
    metadata: { teamId: req.body.teamId, kind: "credits" },
  });
  res.json({ clientSecret: intent.client_secret });
});

billingRouter.get("/invoices", async (req, res) => {
  const invoices = await listInvoicesForTeam(String(req.query.teamId));
  res.json(invoices);
});

billingRouter.post("/invoices/:id/refund", async (req, res) => {
  const invoice = await prisma.invoice.findUnique({ where: { id: req.params.id } });
  if (!invoice?.stripePaymentIntentId) {
    res.status(404).json({ error: "Invoice not found or not refundable" });
    return;
  }
  const refund = await stripe.refunds.create({
    payment_intent: invoice.stripePaymentIntentId,
    amount: req.body.amount,
    reason: "requested_by_customer",
  });
  await prisma.invoice.update({ where: { id: invoice.id }, data: { status: "refunded", refundedAt: new Date() } });
  console.log(`Refund ${refund.id} issued for invoice ${invoice.id}`);
  res.json({ refundId: refund.id, status: refund.status });
});

billingRouter.post("/portal", async (req, res) => {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: req.userId } });
  const portal = await stripe.billingPortal.sessions.create({
    customer: await getOrCreateCustomer(user),
    return_url: `${config.appUrl}/billing`,
  });
  res.json({ url: portal.url });
});
