import express, { Router } from "express";
import { Prisma } from "@prisma/client";
import type Stripe from "stripe";
import { config } from "../config";
import { prisma } from "../db";
import { recordPaidInvoice } from "../services/invoices";
import { planForPrice, stripe } from "../services/stripe";

export const webhooksRouter = Router();

type Handler = (tx: Prisma.TransactionClient, event: Stripe.Event) => Promise<void>;

/**
 * Stripe delivers at least once. The event id is recorded in the same transaction as the
 * handler's writes: a redelivery is skipped, and a failed handler rolls back so Stripe's retry
 * can apply it again. Handler errors propagate (500), which is what makes Stripe retry.
 */
async function processOnce(event: Stripe.Event, handle: Handler): Promise<boolean> {
  const seen = await prisma.processedEvent.findUnique({ where: { id: event.id } });
  if (seen) return false;
  try {
    await prisma.$transaction(
      async (tx) => {
        await tx.processedEvent.create({ data: { id: event.id, type: event.type } });
        await handle(tx, event);
      },
      { timeout: 15_000 },
    );
    return true;
  } catch (err) {
    // Unique violation on ProcessedEvent.id: a concurrent delivery of the same event won the race
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return false;
    throw err;
  }
}

const handleBillingEvent: Handler = async (tx, event) => {
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      const teamId = session.metadata?.teamId;
      if (!teamId || typeof session.subscription !== "string") return;
      const subscription = await stripe.subscriptions.retrieve(session.subscription);
      const item = subscription.items.data[0];
      if (!item) return;
      await tx.subscription.upsert({
        where: { teamId },
        create: {
          teamId,
          stripeSubscriptionId: subscription.id,
          plan: planForPrice(item.price.id),
          status: subscription.status,
          currentPeriodEnd: new Date(item.current_period_end * 1000),
        },
        update: { stripeSubscriptionId: subscription.id, status: subscription.status },
      });
      break;
    }
    case "invoice.paid":
      await recordPaidInvoice(tx, event.data.object);
      break;
    case "customer.subscription.deleted":
      await tx.subscription.update({
        where: { stripeSubscriptionId: event.data.object.id },
        data: { status: "canceled" },
      });
      break;
    default:
      break;
  }
};

// Connected accounts (team payouts)
const handleConnectEvent: Handler = async (tx, event) => {
  if (event.type === "account.updated") {
    const account = event.data.object;
    await tx.team.updateMany({
      where: { stripeAccountId: account.id },
      data: { payoutsEnabled: account.payouts_enabled },
    });
  } else if (event.type === "payout.paid" && event.account) {
    const payout = event.data.object;
    await tx.payout.create({
      data: {
        stripePayoutId: payout.id,
        stripeAccountId: event.account,
        amount: payout.amount,
        currency: payout.currency,
        arrivalDate: new Date(payout.arrival_date * 1000),
      },
    });
  }
};

webhooksRouter.post("/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.header("stripe-signature") ?? "", config.stripe.webhookSecret);
  } catch (err) {
    req.log.warn({ err }, "rejected Stripe webhook: bad signature");
    res.status(400).send("Invalid signature");
    return;
  }
  const applied = await processOnce(event, handleBillingEvent);
  req.log.info({ eventId: event.id, type: event.type, applied }, "stripe webhook");
  res.json({ received: true });
});

webhooksRouter.post("/stripe-connect", express.raw({ type: "application/json" }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.header("stripe-signature") ?? "", config.stripe.connectWebhookSecret);
  } catch (err) {
    req.log.warn({ err }, "rejected Stripe Connect webhook: bad signature");
    res.status(400).send("Invalid signature");
    return;
  }
  const applied = await processOnce(event, handleConnectEvent);
  req.log.info({ eventId: event.id, type: event.type, applied }, "stripe connect webhook");
  res.json({ received: true });
});
