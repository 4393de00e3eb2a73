import { Pool } from "pg";
import { PrismaClient } from "@prisma/client";
import { config } from "./config";
import { logger } from "./logger";

export const prisma = new PrismaClient({ datasourceUrl: config.databaseUrl });

export const pool = new Pool({
  connectionString: config.databaseUrl,
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
});

pool.on("error", (err) => logger.error({ err }, "idle postgres client error"));

// Raw SQL for the few queries Prisma makes awkward (invites, exports, member lists).
export const db = {
  query: (text: string, params: unknown[] = []) => pool.query(text, params),
};

/** Postgres can come up after the app on a fresh deploy, so boot retries with backoff. */
export async function connectWithRetry(maxAttempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await pool.connect();
      client.release();
      await prisma.$connect();
      return;
    } catch (err) {
      if (attempt >= maxAttempts) throw err;
      const delayMs = Math.min(500 * 2 ** attempt, 15_000);
      logger.warn({ err, attempt, delayMs }, "database not ready, retrying");
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

export async function pingDatabase(): Promise<void> {
  await pool.query("SELECT 1");
}

export async function closeDatabase(): Promise<void> {
  await Promise.all([pool.end(), prisma.$disconnect()]);
}
