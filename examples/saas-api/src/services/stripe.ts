import Stripe from "stripe";
import { config } from "../config";
import { prisma } from "../db";

export const stripe = new Stripe(config.stripe.secretKey, { apiVersion: "2025-08-27.basil" });

export async function getOrCreateCustomer(user: { id: string; email: string; stripeCustomerId: string | null }) {
  if (user.stripeCustomerId) return user.stripeCustomerId;
  const customer = await stripe.customers.create({ email: user.email, metadata: { userId: user.id } });
  await prisma.user.update({ where: { id: user.id }, data: { stripeCustomerId: customer.id } });
  return customer.id;
}

export function planForPrice(priceId: string): string {
  const entry = Object.entries(config.stripe.prices).find(([, id]) => id === priceId);
  return entry ? entry[0] : "unknown";
}
