import * as Sentry from "@sentry/node";
import { type Request, Router } from "express";
import bcrypt from "bcryptjs";
import { prisma } from "../db";
import { currentUserId, requireAuth } from "../middleware/auth";
import { checkLockout, clearFailedLogins, loginLimiter, recordFailedLogin } from "../middleware/rateLimit";
import { LoginBody, LogoutBody, MfaCodeBody, RefreshBody, SignupBody } from "../schemas";
import { sendWelcomeEmail } from "../services/email";
import { generateMfaSecret, verifyMfaCode } from "../services/mfa";
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken, signAccessToken } from "../services/tokens";

export const authRouter = Router();

// New session id on every privilege change (prevents session fixation)
const regenerateSession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));

authRouter.post("/signup", async (req, res) => {
  const { email, password, name } = SignupBody.parse(req.body);
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    res.status(409).json({ error: "Email already registered" });
    return;
  }
  const passwordHash = await bcrypt.hash(password, 12);
  const user = await prisma.user.create({ data: { email, name, passwordHash } });
  req.log.info({ userId: user.id }, "new signup");

  try {
    await sendWelcomeEmail(user.email, user.name);
  } catch (err) {
    // Signup still succeeds; Sentry alerts if Postmark keeps failing
    req.log.warn({ err, userId: user.id }, "welcome email failed");
    Sentry.captureException(err);
  }

  await regenerateSession(req);
  req.session.userId = user.id;
  res.status(201).json({ id: user.id, email: user.email, name: user.name });
});

authRouter.post("/login", loginLimiter, checkLockout, async (req, res) => {
  const { email, password } = LoginBody.parse(req.body);
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
    await recordFailedLogin(req.ip);
    req.log.info({ ip: req.ip }, "failed login");
    res.status(401).json({ error: "Invalid email or password" });
    return;
  }
  await clearFailedLogins(req.ip);
  await regenerateSession(req);

  if (user.mfaEnabled) {
    req.session.mfaPendingUserId = user.id;
    res.json({ mfaRequired: true });
    return;
  }

  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  req.session.userId = user.id;
  res.json({ accessToken: signAccessToken(user.id), refreshToken: await issueRefreshToken(user.id) });
});

authRouter.post("/mfa/verify", loginLimiter, async (req, res) => {
  const { code } = MfaCodeBody.parse(req.body);
  const userId = req.session.mfaPendingUserId;
  const user = userId ? await prisma.user.findUnique({ where: { id: userId } }) : null;
  if (!user || !verifyMfaCode(user, code)) {
    res.status(401).json({ error: "Invalid code" });
    return;
  }
  await regenerateSession(req);
  req.session.userId = user.id;
  res.json({ accessToken: signAccessToken(user.id), refreshToken: await issueRefreshToken(user.id) });
});

// MFA is only switched on once the user proves their authenticator works (/mfa/enable)
authRouter.post("/mfa/setup", requireAuth, async (req, res) => {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: currentUserId(req) } });
  const { secret, otpauthUrl } = generateMfaSecret(user.email);
  await prisma.user.update({ where: { id: user.id }, data: { mfaSecret: secret, mfaEnabled: false } });
  res.json({ otpauthUrl });
});

authRouter.post("/mfa/enable", requireAuth, async (req, res) => {
  const { code } = MfaCodeBody.parse(req.body);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: currentUserId(req) } });
  if (!verifyMfaCode(user, code)) {
    res.status(400).json({ error: "Invalid code" });
    return;
  }
  await prisma.user.update({ where: { id: user.id }, data: { mfaEnabled: true } });
  res.status(204).end();
});

authRouter.post("/refresh", async (req, res) => {
  const { refreshToken } = RefreshBody.parse(req.body);
  const rotated = await rotateRefreshToken(refreshToken);
  if (!rotated) {
    res.status(401).json({ error: "Invalid refresh token" });
    return;
  }
  res.json({ accessToken: signAccessToken(rotated.userId), refreshToken: rotated.refreshToken });
});

authRouter.post("/logout", async (req, res, next) => {
  const { refreshToken } = LogoutBody.parse(req.body ?? {});
  if (refreshToken) await revokeRefreshToken(refreshToken);
  req.session.destroy((err) => {
    if (err) return next(err);
    res.clearCookie("acme.sid");
    res.status(204).end();
  });
});
