import crypto from "node:crypto";
import jwt from "jsonwebtoken";
import { config } from "../config";

export interface AccessTokenPayload {
  sub: string;
}

// refresh token -> user id
const refreshTokens = new Map<string, string>();

export function signAccessToken(userId: string): string {
  return jwt.sign({ sub: userId }, config.jwtSecret, { expiresIn: config.accessTokenTtl });
}

export function verifyAccessToken(token: string): AccessTokenPayload | null {
  try {
    return jwt.verify(token, config.jwtSecret) as AccessTokenPayload;
  } catch {
    return null;
  }
}

export function issueRefreshToken(userId: string): string {
  const token = crypto.randomBytes(48).toString("base64url");
  refreshTokens.set(token, userId);
  return token;
}

export function rotateRefreshToken(token: string): { userId: string; refreshToken: string } | null {
  const userId = refreshTokens.get(token);
  if (!userId) return null;
  refreshTokens.delete(token);
  return { userId, refreshToken: issueRefreshToken(userId) };
}

export function revokeRefreshToken(token: string): void {
  refreshTokens.delete(token);
}
