import rateLimit from "express-rate-limit";
import { RedisStore } from "rate-limit-redis";
import type { NextFunction, Request, Response } from "express";
import { redis } from "../redis";

// Counters live in Redis so limits hold across instances and restarts.
const redisStore = (prefix: string) =>
  new RedisStore({ prefix, sendCommand: (...args: string[]) => redis.sendCommand(args) });

export const apiLimiter = rateLimit({
  windowMs: 60 * 1000,
  limit: 300,
  standardHeaders: "draft-8",
  legacyHeaders: false,
  store: redisStore("rl:api:"),
});

export const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
  standardHeaders: "draft-8",
  legacyHeaders: false,
  message: { error: "Too many login attempts, please try again later" },
  store: redisStore("rl:login:"),
});

export const feedbackLimiter = rateLimit({
  windowMs: 60 * 60 * 1000,
  limit: 20,
  standardHeaders: "draft-8",
  legacyHeaders: false,
  store: redisStore("rl:feedback:"),
});

// Failed logins per IP, on top of the request limiter above
const LOCKOUT_WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES = 5;
const lockoutKey = (ip = "unknown") => `lockout:${ip}`;

export async function checkLockout(req: Request, res: Response, next: NextFunction) {
  const failures = Number(await redis.get(lockoutKey(req.ip)));
  if (failures >= MAX_FAILURES) {
    res.status(429).json({ error: "Too many failed attempts, try again in 15 minutes" });
    return;
  }
  next();
}

export async function recordFailedLogin(ip?: string): Promise<void> {
  const key = lockoutKey(ip);
  const failures = await redis.incr(key);
  if (failures === 1) await redis.expire(key, LOCKOUT_WINDOW_SECONDS);
}

export async function clearFailedLogins(ip?: string): Promise<void> {
  await redis.del(lockoutKey(ip));
}
