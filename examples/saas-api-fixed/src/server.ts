import "./instrument";
import * as Sentry from "@sentry/node";
import { logger } from "./logger";
import { loadSecrets } from "./secrets";

process.on("unhandledRejection", (reason) => {
  logger.error({ err: reason }, "unhandled rejection");
  Sentry.captureException(reason);
});

async function main() {
  // Secrets first: config.ts validates the environment when it is imported.
  await loadSecrets();
  const { config } = await import("./config");
  const { closeDatabase, connectWithRetry } = await import("./db");
  const { connectRedis, redis } = await import("./redis");
  await Promise.all([connectWithRetry(), connectRedis()]);

  const { createApp } = await import("./app");
  const server = createApp().listen(config.port, () => {
    logger.info({ port: config.port, env: config.env }, "acme-api listening");
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      await Promise.allSettled([closeDatabase(), redis.quit(), Sentry.flush(2_000)]);
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  logger.fatal({ err }, "failed to start");
  Sentry.captureException(err);
  void Sentry.flush(2_000).finally(() => process.exit(1));
});
