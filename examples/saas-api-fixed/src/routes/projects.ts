import { Router } from "express";
import { db, prisma } from "../db";
import { assertTeamMember, currentUserId, requireAuth } from "../middleware/auth";
import { CreateProjectBody, IdParams, UpdateProjectBody } from "../schemas";

export const projectsRouter = Router();

projectsRouter.use(requireAuth);

const memberOf = (userId: string) => ({ team: { members: { some: { userId } } } });

projectsRouter.get("/", async (req, res) => {
  const projects = await prisma.project.findMany({ where: memberOf(currentUserId(req)), orderBy: { updatedAt: "desc" } });
  res.json(projects);
});

projectsRouter.post("/", async (req, res) => {
  const input = CreateProjectBody.parse(req.body);
  const userId = currentUserId(req);
  await assertTeamMember(input.teamId, userId);
  const project = await prisma.project.create({ data: { ...input, createdById: userId } });
  req.log.info({ projectId: project.id }, "project created");
  res.status(201).json(project);
});

projectsRouter.get("/:id", async (req, res) => {
  const { id } = IdParams.parse(req.params);
  const project = await prisma.project.findFirst({ where: { id, ...memberOf(currentUserId(req)) } });
  if (!project) {
    res.status(404).json({ error: "Project not found" });
    return;
  }
  res.json(project);
});

projectsRouter.patch("/:id", async (req, res) => {
  const { id } = IdParams.parse(req.params);
  const data = UpdateProjectBody.parse(req.body);
  const { count } = await prisma.project.updateMany({ where: { id, ...memberOf(currentUserId(req)) }, data });
  res.status(count ? 204 : 404).end();
});

projectsRouter.delete("/:id", async (req, res) => {
  const { id } = IdParams.parse(req.params);
  const { count } = await prisma.project.deleteMany({ where: { id, ...memberOf(currentUserId(req)) } });
  res.status(count ? 204 : 404).end();
});

projectsRouter.get("/:id/invoices.csv", async (req, res) => {
  const { id } = IdParams.parse(req.params);
  const project = await prisma.project.findFirst({ where: { id, ...memberOf(currentUserId(req)) }, select: { id: true } });
  if (!project) {
    res.status(404).json({ error: "Project not found" });
    return;
  }
  const { rows } = await db.query(
    'SELECT "stripeInvoiceId", "amountCents", currency, status, "createdAt" FROM "Invoice" WHERE "projectId" = $1 ORDER BY "createdAt"',
    [project.id],
  );
  const lines = rows.map((r) => [r.stripeInvoiceId, r.amountCents, r.currency, r.status, r.createdAt.toISOString()].join(","));
  res.type("text/csv").send(["invoice,amount_cents,currency,status,created_at", ...lines].join("\n"));
});
