import type { NextFunction, Request, Response } from "express";
import { verifyAccessToken } from "../services/tokens";

declare module "express-session" {
  interface SessionData {
    userId: string;
    mfaPendingUserId: string;
  }
}

declare global {
  namespace Express {
    interface Request {
      userId?: string;
    }
  }
}

// The dashboard uses the session cookie; the CLI and integrations send a bearer token.
export function requireAuth(req: Request, res: Response, next: NextFunction) {
  if (req.session?.userId) {
    req.userId = req.session.userId;
    return next();
  }
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) {
    const payload = verifyAccessToken(header.slice("Bearer ".length));
    if (payload) {
      req.userId = payload.sub;
      return next();
    }
  }
  res.status(401).json({ error: "Unauthorized" });
}
