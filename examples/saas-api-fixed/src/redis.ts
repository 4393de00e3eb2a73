import { createClient } from "redis";
import { config } from "./config";
import { logger } from "./logger";

// One client for sessions, rate limits and login lockouts.
export const redis = createClient({
  url: config.redisUrl,
  socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) },
});

redis.on("error", (err) => logger.error({ err }, "redis error"));

export async function connectRedis(): Promise<void> {
  if (!redis.isOpen) await redis.connect();
}
