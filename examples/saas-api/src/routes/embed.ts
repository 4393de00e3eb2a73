import express, { Router } from "express";
import cors from "cors";
import { prisma } from "../db";

export const embedRouter = Router();

// The status widget is embedded on customers' own sites
embedRouter.use((_req, res, next) => {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  next();
});

embedRouter.get("/projects/:publicId/status", async (req, res) => {
  const project = await prisma.project.findUnique({
    where: { publicId: req.params.publicId },
    select: { name: true, status: true, updatedAt: true },
  });
  if (!project) {
    res.status(404).json({ error: "Not found" });
    return;
  }
  res.setHeader("Cache-Control", "public, max-age=60");
  res.json(project);
});

embedRouter.post("/projects/:publicId/feedback", cors({ origin: "*" }), express.json(), async (req, res) => {
  await prisma.feedback.create({
    data: { projectPublicId: req.params.publicId, message: req.body.message, email: req.body.email },
  });
  res.status(204).end();
});
