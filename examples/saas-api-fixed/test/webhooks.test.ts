import Stripe from "stripe";
import request from "supertest";
import { beforeEach, describe, expect, it, vi } from "vitest";

const { prisma, tx } = vi.hoisted(() => {
  const tx = {
    processedEvent: { create: vi.fn() },
    invoice: { upsert: vi.fn() },
    subscription: { upsert: vi.fn(), update: vi.fn() },
  };
  const prisma = {
    processedEvent: { findUnique: vi.fn() },
    $transaction: vi.fn(async (fn: (client: typeof tx) => Promise<void>) => fn(tx)),
  };
  return { prisma, tx };
});

vi.mock("../src/db", () => ({ prisma, db: { query: vi.fn() }, pingDatabase: vi.fn() }));
vi.mock("../src/redis", async () => ({ redis: (await import("./fakes")).fakeRedis() }));
vi.mock("../src/middleware/rateLimit", async () => (await import("./fakes")).rateLimitModule);

import { createApp } from "../src/app";

const stripe = new Stripe("sk_test_placeholder");

const invoicePaid = {
  id: "evt_test_invoice_paid",
  object: "event",
  type: "invoice.paid",
  data: {
    object: { id: "in_123", object: "invoice", amount_paid: 4900, currency: "usd", metadata: { teamId: "team_1", projectId: "proj_1" } },
  },
};

function deliver(event: object, secret = process.env.STRIPE_WEBHOOK_SECRET ?? "") {
  const payload = JSON.stringify(event);
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
  return request(createApp())
    .post("/webhooks/stripe")
    .set("content-type", "application/json")
    .set("stripe-signature", signature)
    .send(payload);
}

beforeEach(() => vi.clearAllMocks());

describe("POST /webhooks/stripe", () => {
  it("rejects events that are not signed with our secret", async () => {
    await deliver(invoicePaid, "whsec_someone_else").expect(400);
    expect(prisma.processedEvent.findUnique).not.toHaveBeenCalled();
  });

  it("records the event id and applies the event", async () => {
    prisma.processedEvent.findUnique.mockResolvedValue(null);
    await deliver(invoicePaid).expect(200);
    expect(tx.processedEvent.create).toHaveBeenCalledWith({ data: { id: "evt_test_invoice_paid", type: "invoice.paid" } });
    expect(tx.invoice.upsert).toHaveBeenCalledOnce();
  });

  it("skips a redelivered event", async () => {
    prisma.processedEvent.findUnique.mockResolvedValue({ id: "evt_test_invoice_paid" });
    await deliver(invoicePaid).expect(200);
    expect(tx.invoice.upsert).not.toHaveBeenCalled();
  });
});
