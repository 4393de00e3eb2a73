import { Router } from "express";
import { pingDatabase } from "../db";
import { logger } from "../logger";
import { redis } from "../redis";

export const healthRouter = Router();

// Liveness: the process is up and serving. No dependencies, so a database outage
// doesn't make the orchestrator restart every instance.
healthRouter.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});

// Readiness: only route traffic here while Postgres and Redis answer.
healthRouter.get("/readyz", async (_req, res) => {
  try {
    await Promise.all([pingDatabase(), redis.ping()]);
    res.json({ status: "ready" });
  } catch (err) {
    logger.warn({ err }, "readiness check failed");
    res.status(503).json({ status: "unavailable" });
  }
});
