import { z } from "zod";

// Every request body, query and path parameter is parsed with one of these before it reaches
// Prisma, SQL or Stripe. A ZodError becomes a 400 in app.ts.

const id = z.string().min(1).max(64);

export const IdParams = z.object({ id });
export const TeamParams = z.object({ teamId: id });
export const PublicIdParams = z.object({ publicId: id });
export const TeamQuery = z.object({ teamId: id });

export const SignupBody = z.object({
  email: z.email().max(254),
  password: z.string().min(12).max(128),
  name: z.string().trim().min(1).max(100),
});

export const LoginBody = z.object({
  email: z.email(),
  password: z.string().min(1).max(128),
});

export const MfaCodeBody = z.object({ code: z.string().regex(/^\d{6}$/) });
export const RefreshBody = z.object({ refreshToken: z.string().min(32).max(128) });
export const LogoutBody = z.object({ refreshToken: z.string().max(128).optional() });

export const UpdateUserBody = z
  .object({ name: z.string().trim().min(1).max(100), email: z.email().max(254) })
  .partial()
  .strict();

export const CreateTeamBody = z.object({ name: z.string().trim().min(1).max(100) });
export const InviteBody = z.object({ email: z.email(), role: z.enum(["admin", "member"]) });
export const AcceptInviteBody = z.object({ token: z.string().min(1).max(2048) });

export const CreateProjectBody = z.object({
  teamId: id,
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).optional(),
});
export const UpdateProjectBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000),
    status: z.enum(["active", "paused", "archived"]),
    embedOrigins: z.array(z.url().startsWith("https://")).max(20),
  })
  .partial()
  .strict();

export const CheckoutBody = z.object({
  teamId: id,
  plan: z.enum(["starter", "pro", "business"]),
  seats: z.number().int().min(1).max(500).default(1),
});
export const CreditsBody = z.object({ teamId: id, amount: z.number().int().min(500).max(1_000_000) });
export const RefundBody = z.object({ amount: z.number().int().positive().optional() });

export const FeedbackBody = z.object({
  message: z.string().trim().min(1).max(2000),
  email: z.email().optional(),
});

/** Clients send a fresh UUID per user action and reuse it on retry. */
export const IdempotencyKeyHeader = z.uuid();
