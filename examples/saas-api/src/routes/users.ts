import { Router } from "express";
import { prisma } from "../db";
import { requireAuth } from "../middleware/auth";

export const usersRouter = Router();

usersRouter.use(requireAuth);

const publicFields = { id: true, email: true, name: true, mfaEnabled: true, createdAt: true } as const;

usersRouter.get("/me", async (req, res) => {
  const user = await prisma.user.findUnique({ where: { id: req.userId }, select: publicFields });
  res.json(user);
});

usersRouter.patch("/me", async (req, res) => {
  const id = req.userId;
  const user = await prisma.user.update({ where: { id }, data: req.body, select: publicFields });
  res.json(user);
});

usersRouter.delete("/me", async (req, res) => {
  await prisma.user.delete({ where: { id: req.userId } });
  console.log(`User ${req.userId} deleted their account`);
  req.session.destroy(() => res.status(204).end());
});
