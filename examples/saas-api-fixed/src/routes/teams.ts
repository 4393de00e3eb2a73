import { Router } from "express";
import jwt from "jsonwebtoken";
import { config } from "../config";
import { db, prisma } from "../db";
import { assertTeamMember, currentUserId, requireAuth } from "../middleware/auth";
import { AcceptInviteBody, CreateTeamBody, InviteBody, TeamParams } from "../schemas";
import { sendInviteEmail } from "../services/email";

export const teamsRouter = Router();

teamsRouter.use(requireAuth);

interface InviteClaims {
  inviteId: string;
  teamId: string;
}

teamsRouter.get("/", async (req, res) => {
  const teams = await prisma.team.findMany({ where: { members: { some: { userId: currentUserId(req) } } } });
  res.json(teams);
});

teamsRouter.post("/", async (req, res) => {
  const { name } = CreateTeamBody.parse(req.body);
  const team = await prisma.team.create({
    data: { name, members: { create: { userId: currentUserId(req), role: "owner" } } },
  });
  res.status(201).json(team);
});

teamsRouter.get("/:teamId/members", async (req, res) => {
  const { teamId } = TeamParams.parse(req.params);
  await assertTeamMember(teamId, currentUserId(req));
  const members = await prisma.teamMember.findMany({ where: { teamId } });
  const { rows } = await db.query('SELECT id, email, name, "lastLoginAt" FROM "User" WHERE id = ANY($1)', [
    members.map((member) => member.userId),
  ]);
  const roleByUserId = new Map(members.map((member) => [member.userId, member.role]));
  res.json(rows.map((row) => ({ ...row, role: roleByUserId.get(row.id) })));
});

teamsRouter.post("/:teamId/invites", async (req, res) => {
  const { teamId } = TeamParams.parse(req.params);
  const { email, role } = InviteBody.parse(req.body);
  const userId = currentUserId(req);
  await assertTeamMember(teamId, userId, ["owner", "admin"]);
  const { rows } = await db.query(
    'INSERT INTO "TeamInvite" (id, "teamId", email, role, "invitedById") VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id',
    [teamId, email, role, userId],
  );
  const inviteId: string = rows[0].id;
  const team = await prisma.team.findUniqueOrThrow({ where: { id: teamId } });
  const claims: InviteClaims = { inviteId, teamId };
  const token = jwt.sign(claims, config.jwtSecret, { expiresIn: "7d", audience: "team-invite" });
  await sendInviteEmail(email, team.name, `${config.appUrl}/invites/accept?token=${token}`);
  req.log.info({ inviteId, teamId }, "invite sent");
  res.status(201).json({ id: inviteId });
});

teamsRouter.post("/invites/accept", async (req, res) => {
  const { token } = AcceptInviteBody.parse(req.body);
  let claims: InviteClaims;
  try {
    claims = jwt.verify(token, config.jwtSecret, { audience: "team-invite" }) as InviteClaims;
  } catch (err) {
    if (!(err instanceof jwt.JsonWebTokenError)) throw err;
    res.status(400).json({ error: "Invalid or expired invite" });
    return;
  }
  // Claim the invite atomically so it can only be used once
  const { rows } = await db.query(
    'UPDATE "TeamInvite" SET "acceptedAt" = now() WHERE id = $1 AND "acceptedAt" IS NULL RETURNING role',
    [claims.inviteId],
  );
  if (rows.length === 0) {
    res.status(410).json({ error: "Invite already used" });
    return;
  }
  await prisma.teamMember.create({ data: { teamId: claims.teamId, userId: currentUserId(req), role: rows[0].role } });
  res.json({ teamId: claims.teamId });
});
