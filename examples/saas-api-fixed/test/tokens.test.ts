import { beforeEach, describe, expect, it, vi } from "vitest";

const prisma = vi.hoisted(() => ({
  refreshToken: { create: vi.fn(), findUnique: vi.fn(), updateMany: vi.fn() },
}));
vi.mock("../src/db", () => ({ prisma }));

import { issueRefreshToken, rotateRefreshToken, signAccessToken, verifyAccessToken } from "../src/services/tokens";

beforeEach(() => vi.clearAllMocks());

describe("access tokens", () => {
  it("signs and verifies", () => {
    expect(verifyAccessToken(signAccessToken("user_1"))?.sub).toBe("user_1");
  });

  it("rejects a tampered token", () => {
    const token = signAccessToken("user_1");
    expect(verifyAccessToken(token.slice(0, -2) + "xx")).toBeNull();
  });
});

describe("refresh tokens", () => {
  it("stores only a hash of the token", async () => {
    const token = await issueRefreshToken("user_2");
    const { data } = prisma.refreshToken.create.mock.calls[0]![0];
    expect(data.tokenHash).not.toContain(token);
    expect(data.userId).toBe("user_2");
  });

  it("rotates a token once", async () => {
    prisma.refreshToken.findUnique.mockResolvedValue({ id: "rt_1", userId: "user_2", revokedAt: null, expiresAt: new Date(Date.now() + 60_000) });
    prisma.refreshToken.updateMany.mockResolvedValueOnce({ count: 1 }).mockResolvedValueOnce({ count: 0 });
    expect((await rotateRefreshToken("a".repeat(64)))?.userId).toBe("user_2");
    expect(await rotateRefreshToken("a".repeat(64))).toBeNull();
  });
});
