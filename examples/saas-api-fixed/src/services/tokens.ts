import crypto from "node:crypto";
import jwt from "jsonwebtoken";
import { config } from "../config";
import { prisma } from "../db";

export interface AccessTokenPayload {
  sub: string;
}

const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

export function signAccessToken(userId: string): string {
  return jwt.sign({ sub: userId }, config.jwtSecret, { expiresIn: config.accessTokenTtl, audience: "acme-api" });
}

export function verifyAccessToken(token: string): AccessTokenPayload | null {
  try {
    return jwt.verify(token, config.jwtSecret, { audience: "acme-api" }) as AccessTokenPayload;
  } catch (err) {
    // expired or malformed: the client refreshes or logs in again
    if (err instanceof jwt.JsonWebTokenError) return null;
    throw err;
  }
}

// Refresh tokens are stored hashed in Postgres: they survive deploys and work on every instance.
export async function issueRefreshToken(userId: string): Promise<string> {
  const token = crypto.randomBytes(48).toString("base64url");
  await prisma.refreshToken.create({
    data: { userId, tokenHash: sha256(token), expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS) },
  });
  return token;
}

export async function rotateRefreshToken(token: string): Promise<{ userId: string; refreshToken: string } | null> {
  const stored = await prisma.refreshToken.findUnique({ where: { tokenHash: sha256(token) } });
  if (!stored || stored.revokedAt || stored.expiresAt < new Date()) return null;
  // Conditional update: two concurrent refreshes cannot both win
  const { count } = await prisma.refreshToken.updateMany({
    where: { id: stored.id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) return null;
  return { userId: stored.userId, refreshToken: await issueRefreshToken(stored.userId) };
}

export async function revokeRefreshToken(token: string): Promise<void> {
  await prisma.refreshToken.updateMany({
    where: { tokenHash: sha256(token), revokedAt: null },
    data: { revokedAt: new Date() },
  });
}
