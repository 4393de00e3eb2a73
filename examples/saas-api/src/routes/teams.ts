import { Router } from "express";
import jwt from "jsonwebtoken";
import { config } from "../config";
import { db, prisma } from "../db";
import { requireAuth } from "../middleware/auth";
import { sendInviteEmail } from "../services/email";

export const teamsRouter = Router();

teamsRouter.use(requireAuth);

teamsRouter.get("/", async (req, res) => {
  const teams = await prisma.team.findMany({ where: { members: { some: { userId: req.userId } } } });
  res.json(teams);
});

teamsRouter.post("/", async (req, res) => {
  const team = await prisma.team.create({
    data: { name: req.body.name, members: { create: { userId: req.userId, role: "owner" } } },
  });
  res.status(201).json(team);
});

teamsRouter.get("/:teamId/members", async (req, res) => {
  const team = await prisma.team.findUnique({ where: { id: req.params.teamId }, include: { members: true } });
  if (!team || !team.members.some((m) => m.userId === req.userId)) {
    res.status(404).json({ error: "Team not found" });
    return;
  }
  const members = [];
  for (const member of team.members) {
    const { rows } = await db.query('SELECT id, email, name, "lastLoginAt" FROM "User" WHERE id = $1', [member.userId]);
    members.push({ ...rows[0], role: member.role });
  }
  res.json(members);
});

teamsRouter.post("/:teamId/invites", async (req, res) => {
  const { email, role } = req.body;
  const { rows } = await db.query(
    'INSERT INTO "TeamInvite" (id, "teamId", email, role, "invitedById") VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id',
    [req.params.teamId, email, role, req.userId],
  );
  const team = await prisma.team.findUniqueOrThrow({ where: { id: req.params.teamId } });
  const token = jwt.sign({ inviteId: rows[0].id, teamId: team.id }, "super-secret-jwt-key", { expiresIn: "7d" });
  await sendInviteEmail(email, team.name, `${config.appUrl}/invites/accept?token=${token}`);
  console.log(`Invite ${rows[0].id} sent to ${email} for team ${team.id}`);
  res.status(201).json({ id: rows[0].id });
});

teamsRouter.post("/invites/accept", async (req, res) => {
  const { inviteId, teamId } = jwt.verify(req.body.token, "super-secret-jwt-key") as { inviteId: string; teamId: string };
  const { rows } = await db.query('SELECT role FROM "TeamInvite" WHERE id = $1 AND "acceptedAt" IS NULL', [inviteId]);
  if (rows.length === 0) {
    res.status(410).json({ error: "Invite already used" });
    return;
  }
  await prisma.teamMember.create({ data: { teamId, userId: req.userId, role: rows[0].role } });
  await db.query('UPDATE "TeamInvite" SET "acceptedAt" = now() WHERE id = $1', [inviteId]);
  res.json({ teamId });
});
