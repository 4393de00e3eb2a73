import type { NextFunction, Request, Response } from "express";

// Basic hardening until we sort out a proper setup
export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Strict-Transport-Security", "max-age=3600");
  res.removeHeader("X-Powered-By");
  next();
}
