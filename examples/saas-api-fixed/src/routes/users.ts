import { Router } from "express";
import { prisma } from "../db";
import { currentUserId, requireAuth } from "../middleware/auth";
import { UpdateUserBody } from "../schemas";

export const usersRouter = Router();

usersRouter.use(requireAuth);

const publicFields = { id: true, email: true, name: true, mfaEnabled: true, createdAt: true } as const;

usersRouter.get("/me", async (req, res) => {
  const user = await prisma.user.findUnique({ where: { id: currentUserId(req) }, select: publicFields });
  res.json(user);
});

usersRouter.patch("/me", async (req, res) => {
  const id = currentUserId(req);
  const data = UpdateUserBody.parse(req.body);
  const user = await prisma.user.update({ where: { id }, data, select: publicFields });
  res.json(user);
});

// GDPR data export (art. 15 and 20)
usersRouter.get("/me/export", async (req, res) => {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: currentUserId(req) },
    select: { ...publicFields, lastLoginAt: true, memberships: { select: { role: true, team: { select: { id: true, name: true } } } } },
  });
  res.attachment("acme-account.json").json(user);
});

usersRouter.delete("/me", async (req, res, next) => {
  const id = currentUserId(req);
  await prisma.user.delete({ where: { id } });
  req.log.info({ userId: id }, "account deleted");
  req.session.destroy((err) => (err ? next(err) : res.status(204).end()));
});
