import type { NextFunction, Request, Response } from "express";
import { vi } from "vitest";

/** Just enough of the node-redis client for connect-redis and the lockout counters. */
export function fakeRedis() {
  const data = new Map<string, string>();
  return {
    isOpen: true,
    get: vi.fn(async (key: string) => data.get(key) ?? null),
    set: vi.fn(async (key: string, value: string) => {
      data.set(key, value);
      return "OK";
    }),
    del: vi.fn(async (key: string) => Number(data.delete(key))),
    expire: vi.fn(async () => 1),
    incr: vi.fn(async (key: string) => {
      const next = Number(data.get(key) ?? 0) + 1;
      data.set(key, String(next));
      return next;
    }),
    ping: vi.fn(async () => "PONG"),
    on: vi.fn(),
  };
}

const pass = (_req: Request, _res: Response, next: NextFunction) => next();

/** Rate limiting is covered by express-rate-limit's own tests; here it is a pass-through. */
export const rateLimitModule = {
  apiLimiter: pass,
  loginLimiter: pass,
  feedbackLimiter: pass,
  checkLockout: pass,
  recordFailedLogin: vi.fn(async () => undefined),
  clearFailedLogins: vi.fn(async () => undefined),
};
