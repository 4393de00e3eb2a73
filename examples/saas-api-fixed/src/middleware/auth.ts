import type { NextFunction, Request, Response } from "express";
import { prisma } from "../db";
import { verifyAccessToken } from "../services/tokens";

declare module "express-session" {
  interface SessionData {
    userId: string;
    mfaPendingUserId: string;
    csrfIssued: boolean;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
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

/** The authenticated user's id; only call behind `requireAuth`. */
export function currentUserId(req: Request): string {
  if (!req.userId) throw Object.assign(new Error("Unauthorized"), { status: 401 });
  return req.userId;
}

/** Throws a 404 (not 403: team ids are not enumerable) unless the user belongs to the team with one of `roles`. */
export async function assertTeamMember(teamId: string, userId: string, roles?: string[]) {
  const membership = await prisma.teamMember.findUnique({ where: { teamId_userId: { teamId, userId } } });
  if (!membership || (roles && !roles.includes(membership.role))) {
    throw Object.assign(new Error("Team not found"), { status: 404 });
  }
  return membership;
}
