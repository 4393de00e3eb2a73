import rateLimit from "express-rate-limit";
import type { NextFunction, Request, Response } from "express";

export const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  max: 10,
  standardHeaders: true,
  legacyHeaders: false,
  message: { error: "Too many login attempts, please try again later" },
});

// Failed logins per IP, on top of the request limiter above
const loginAttempts = new Map<string, { count: number; firstAt: number }>();
const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 5;

export function checkLockout(req: Request, res: Response, next: NextFunction) {
  const entry = loginAttempts.get(req.ip ?? "unknown");
  if (entry && Date.now() - entry.firstAt < LOCKOUT_WINDOW_MS && entry.count >= MAX_FAILURES) {
    res.status(429).json({ error: "Too many failed attempts, try again in 15 minutes" });
    return;
  }
  next();
}

export function recordFailedLogin(ip = "unknown") {
  const entry = loginAttempts.get(ip);
  if (!entry || Date.now() - entry.firstAt > LOCKOUT_WINDOW_MS) {
    loginAttempts.set(ip, { count: 1, firstAt: Date.now() });
  } else {
    entry.count += 1;
  }
}

export function clearFailedLogins(ip = "unknown") {
  loginAttempts.delete(ip);
}
