import express, { type Request, Router } from "express";
import cors from "cors";
import { prisma } from "../db";
import { feedbackLimiter } from "../middleware/rateLimit";
import { FeedbackBody, PublicIdParams } from "../schemas";

export const embedRouter = Router();

// The status widget is embedded on customers' own sites: each project lists the origins allowed to
// call it (Project.embedOrigins, edited in project settings). No credentials are ever accepted here.
const embedCors = cors<Request>((req, callback) => {
  const parsed = PublicIdParams.safeParse(req.params);
  if (!parsed.success) return callback(null, { origin: false });
  prisma.project
    .findUnique({ where: { publicId: parsed.data.publicId }, select: { embedOrigins: true } })
    .then((project) => callback(null, { origin: project?.embedOrigins ?? false, methods: ["GET", "POST"], credentials: false }))
    .catch((err: Error) => callback(err));
});

embedRouter.options("/projects/:publicId/*path", embedCors);

embedRouter.get("/projects/:publicId/status", embedCors, async (req, res) => {
  const { publicId } = PublicIdParams.parse(req.params);
  const project = await prisma.project.findUnique({
    where: { publicId },
    select: { name: true, status: true, updatedAt: true },
  });
  if (!project) {
    res.status(404).json({ error: "Not found" });
    return;
  }
  res.setHeader("Cache-Control", "public, max-age=60");
  res.json(project);
});

embedRouter.post("/projects/:publicId/feedback", embedCors, feedbackLimiter, express.json({ limit: "16kb" }), async (req, res) => {
  const { publicId } = PublicIdParams.parse(req.params);
  const { message, email } = FeedbackBody.parse(req.body);
  await prisma.feedback.create({ data: { projectPublicId: publicId, message, email } });
  res.status(204).end();
});
