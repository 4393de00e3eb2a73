import bcrypt from "bcryptjs";
import { authenticator } from "otplib";
import request from "supertest";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const prisma = vi.hoisted(() => ({
  user: { findUnique: vi.fn(), findUniqueOrThrow: vi.fn(), create: vi.fn(), update: vi.fn() },
  refreshToken: { create: vi.fn(), findUnique: vi.fn(), updateMany: vi.fn() },
}));

vi.mock("../src/db", () => ({ prisma, db: { query: vi.fn() }, pingDatabase: vi.fn(async () => undefined) }));
vi.mock("../src/redis", async () => ({ redis: (await import("./fakes")).fakeRedis() }));
vi.mock("../src/middleware/rateLimit", async () => (await import("./fakes")).rateLimitModule);
vi.mock("../src/services/email", () => ({ sendWelcomeEmail: vi.fn(), sendInviteEmail: vi.fn() }));

import { createApp } from "../src/app";

const PASSWORD = "correct horse battery staple";
let user: Record<string, unknown>;

async function csrfAgent() {
  const agent = request.agent(createApp());
  const { body } = await agent.get("/auth/csrf-token").expect(200);
  return { agent, csrfToken: body.csrfToken as string };
}

beforeAll(async () => {
  user = { id: "user_1", email: "ada@example.com", name: "Ada", passwordHash: await bcrypt.hash(PASSWORD, 4), mfaEnabled: false, mfaSecret: null };
});

beforeEach(() => {
  vi.clearAllMocks();
  prisma.refreshToken.create.mockResolvedValue({});
  prisma.user.update.mockResolvedValue(user);
});

describe("POST /auth/login", () => {
  it("rejects a request without a CSRF token", async () => {
    await request(createApp()).post("/auth/login").send({ email: "ada@example.com", password: PASSWORD }).expect(403);
  });

  it("rejects an invalid body before touching the database", async () => {
    const { agent, csrfToken } = await csrfAgent();
    await agent.post("/auth/login").set("x-csrf-token", csrfToken).send({ email: "not-an-email" }).expect(400);
    expect(prisma.user.findUnique).not.toHaveBeenCalled();
  });

  it("returns tokens for valid credentials", async () => {
    prisma.user.findUnique.mockResolvedValue(user);
    const { agent, csrfToken } = await csrfAgent();
    const res = await agent.post("/auth/login").set("x-csrf-token", csrfToken).send({ email: "ada@example.com", password: PASSWORD }).expect(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(prisma.refreshToken.create).toHaveBeenCalledOnce();
  });

  it("rejects a wrong password", async () => {
    prisma.user.findUnique.mockResolvedValue(user);
    const { agent, csrfToken } = await csrfAgent();
    await agent.post("/auth/login").set("x-csrf-token", csrfToken).send({ email: "ada@example.com", password: "wrong password" }).expect(401);
  });
});

describe("POST /auth/mfa/verify", () => {
  it("accepts only the authenticator's current code", async () => {
    const secret = authenticator.generateSecret();
    prisma.user.findUnique.mockResolvedValue({ ...user, mfaEnabled: true, mfaSecret: secret });
    const { agent, csrfToken } = await csrfAgent();
    await agent.post("/auth/login").set("x-csrf-token", csrfToken).send({ email: "ada@example.com", password: PASSWORD }).expect(200, { mfaRequired: true });

    const fresh = (await agent.get("/auth/csrf-token")).body.csrfToken as string;
    await agent.post("/auth/mfa/verify").set("x-csrf-token", fresh).send({ code: "000000" }).expect(401);
    await agent.post("/auth/mfa/verify").set("x-csrf-token", fresh).send({ code: authenticator.generate(secret) }).expect(200);
  });
});

describe("health", () => {
  it("serves liveness and readiness", async () => {
    const app = createApp();
    await request(app).get("/healthz").expect(200, { status: "ok" });
    await request(app).get("/readyz").expect(200, { status: "ready" });
  });
});
