import { Router } from "express";
import { Client } from "pg";
import { config } from "../config";
import { prisma } from "../db";
import { requireAuth } from "../middleware/auth";

export const projectsRouter = Router();

projectsRouter.use(requireAuth);

const memberOf = (userId: string) => ({ team: { members: { some: { userId } } } });

projectsRouter.get("/", async (req, res) => {
  const projects = await prisma.project.findMany({ where: memberOf(req.userId), orderBy: { updatedAt: "desc" } });
  res.json(projects);
});

projectsRouter.post("/", async (req, res) => {
  const project = await prisma.project.create({ data: { ...req.body, createdById: req.userId } });
  console.log(`Project ${project.id} created by ${req.userId}`);
  res.status(201).json(project);
});

projectsRouter.get("/:id", async (req, res) => {
  const project = await prisma.project.findFirst({ where: { id: req.params.id, ...memberOf(req.userId) } });
  if (!project) {
    res.status(404).json({ error: "Project not found" });
    return;
  }
  res.json(project);
});

projectsRouter.patch("/:id", async (req, res) => {
  const { count } = await prisma.project.updateMany({
    where: { id: req.params.id, ...memberOf(req.userId) },
    data: { name: req.body.name, description: req.body.description, status: req.body.status },
  });
  res.status(count ? 204 : 404).end();
});

projectsRouter.delete("/:id", async (req, res) => {
  const { count } = await prisma.project.deleteMany({ where: { id: req.params.id, ...memberOf(req.userId) } });
  res.status(count ? 204 : 404).end();
});

// Own connection so a big export doesn't tie up the app's queries
projectsRouter.get("/:id/invoices.csv", async (req, res) => {
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT "stripeInvoiceId", "amountCents", currency, status, "createdAt" FROM "Invoice" WHERE "projectId" = $1 ORDER BY "createdAt"',
      [req.params.id],
    );
    const lines = rows.map((r) => [r.stripeInvoiceId, r.amountCents, r.currency, r.status, r.createdAt.toISOString()].join(","));
    res.type("text/csv").send(["invoice,amount_cents,currency,status,created_at", ...lines].join("\n"));
  } finally {
    await client.end();
  }
});
