import express, { Router } from "express";
import type Stripe from "stripe";
import { config } from "../config";
import { prisma } from "../db";
import { recordPaidInvoice } from "../services/invoices";
import { planForPrice, stripe } from "../services/stripe";

export const webhooksRouter = Router();

// TODO: check the signature here too once STRIPE_WEBHOOK_SECRET is set everywhere
webhooksRouter.post("/stripe", express.json(), async (req, res) => {
  const event = req.body;
  console.log("Stripe webhook:", event.type, event.id);

  try {
    switch (event.type) {
      case "checkout.session.completed": {
        const session = event.data.object;
        const subscription = await stripe.subscriptions.retrieve(session.subscription);
        const item = subscription.items.data[0];
        await prisma.subscription.upsert({
          where: { teamId: session.metadata.teamId },
          create: {
            teamId: session.metadata.teamId,
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
        await recordPaidInvoice(event.data.object);
        break;
      case "customer.subscription.deleted":
        await prisma.subscription.update({
          where: { stripeSubscriptionId: event.data.object.id },
          data: { status: "canceled" },
        });
        break;
      default:
        console.log(`Unhandled Stripe event ${event.type}`);
    }
  } catch (err) {
    console.error("Failed to process Stripe webhook", err);
  }

  res.json({ received: true });
});

// Connected accounts (team payouts)
webhooksRouter.post("/stripe-connect", express.raw({ type: "application/json" }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, config.stripe.connectWebhookSecret);
  } catch (err) {
    res.status(400).send(`Webhook Error: ${(err as Error).message}`);
    return;
  }

  if (event.type === "account.updated") {
    const account = event.data.object;
    await prisma.team.updateMany({
      where: { stripeAccountId: account.id },
      data: { payoutsEnabled: account.payouts_enabled },
    });
  } else if (event.type === "payout.paid") {
    const payout = event.data.object;
    await prisma.payout.create({
      data: {
        stripePayoutId: payout.id,
        stripeAccountId: event.account,
        amount: payout.amount,
        currency: payout.currency,
        arrivalDate: new Date(payout.arrival_date * 1000),
      },
    });
  }

  res.json({ received: true });
});
