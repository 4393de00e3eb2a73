import { Router } from "express";
import bcrypt from "bcryptjs";
import { prisma } from "../db";
import { requireAuth } from "../middleware/auth";
import { checkLockout, clearFailedLogins, loginLimiter, recordFailedLogin } from "../middleware/rateLimit";
import { sendWelcomeEmail } from "../services/email";
import { generateMfaSecret, verifyMfaCode } from "../services/mfa";
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken, signAccessToken } from "../services/tokens";

export const authRouter = Router();

authRouter.post("/signup", async (req, res) => {
  const { email, password, name } = req.body;
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    res.status(409).json({ error: "Email already registered" });
    return;
  }
  const passwordHash = await bcrypt.hash(password, 10);
  const user = await prisma.user.create({ data: { email, name, passwordHash } });
  console.log("New signup:", user.email);

  try {
    await sendWelcomeEmail(user.email, user.name);
  } catch (e) {}

  req.session.userId = user.id;
  res.status(201).json({ id: user.id, email: user.email, name: user.name });
});

authRouter.post("/login", loginLimiter, checkLockout, async (req, res) => {
  const { email, password } = req.body;
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
    recordFailedLogin(req.ip);
    console.log(`Failed login for ${email} from ${req.ip}`);
    res.status(401).json({ error: "Invalid email or password" });
    return;
  }
  clearFailedLogins(req.ip);

  if (user.mfaEnabled) {
    req.session.mfaPendingUserId = user.id;
    res.json({ mfaRequired: true });
    return;
  }

  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  req.session.userId = user.id;
  res.json({ accessToken: signAccessToken(user.id), refreshToken: issueRefreshToken(user.id) });
});

authRouter.post("/mfa/verify", async (req, res) => {
  const userId = req.session.mfaPendingUserId;
  const user = userId ? await prisma.user.findUnique({ where: { id: userId } }) : null;
  if (!user || !verifyMfaCode(user, String(req.body.code))) {
    res.status(401).json({ error: "Invalid code" });
    return;
  }
  delete req.session.mfaPendingUserId;
  req.session.userId = user.id;
  res.json({ accessToken: signAccessToken(user.id), refreshToken: issueRefreshToken(user.id) });
});

authRouter.post("/mfa/setup", requireAuth, async (req, res) => {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: req.userId } });
  const { secret, otpauthUrl } = generateMfaSecret(user.email);
  await prisma.user.update({ where: { id: user.id }, data: { mfaSecret: secret, mfaEnabled: true } });
  res.json({ otpauthUrl });
});

authRouter.post("/refresh", (req, res) => {
  const rotated = rotateRefreshToken(req.body.refreshToken);
  if (!rotated) {
    res.status(401).json({ error: "Invalid refresh token" });
    return;
  }
  res.json({ accessToken: signAccessToken(rotated.userId), refreshToken: rotated.refreshToken });
});

authRouter.post("/logout", (req, res) => {
  if (req.body?.refreshToken) revokeRefreshToken(req.body.refreshToken);
  req.session.destroy((err) => {
    if (err) console.error("Failed to destroy session", err);
    res.clearCookie("connect.sid");
    res.status(204).end();
  });
});
