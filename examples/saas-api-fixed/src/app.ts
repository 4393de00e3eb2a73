import path from "node:path";
import * as Sentry from "@sentry/node";
import express, { type NextFunction, type Request, type Response } from "express";
import cors from "cors";
import cookieParser from "cookie-parser";
import session from "express-session";
import { RedisStore } from "connect-redis";
import { pinoHttp } from "pino-http";
import { ZodError } from "zod";
import { config } from "./config";
import { logger } from "./logger";
import { redis } from "./redis";
import { doubleCsrfProtection, generateCsrfToken } from "./middleware/csrf";
import { apiLimiter } from "./middleware/rateLimit";
import { securityHeaders } from "./middleware/security";
import { authRouter } from "./routes/auth";
import { usersRouter } from "./routes/users";
import { teamsRouter } from "./routes/teams";
import { projectsRouter } from "./routes/projects";
import { billingRouter } from "./routes/billing";
import { webhooksRouter } from "./routes/webhooks";
import { embedRouter } from "./routes/embed";
import { healthRouter } from "./routes/health";

const allowedOrigins = (process.env.CORS_ORIGINS ?? "")
  .split(",")
  .map((origin) => origin.trim())
  .filter(Boolean);
if (process.env.NODE_ENV !== "production") {
  allowedOrigins.push("http://localhost:3000");
}

export function createApp() {
  const app = express();

  app.set("trust proxy", 1);

  app.use(securityHeaders);
  app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === "/healthz" } }));

  // Probes stay cheap: no session, CORS or rate limit
  app.use(healthRouter);
  app.use("/.well-known", express.static(path.join(__dirname, "..", "public", ".well-known")));

  // Webhooks verify Stripe signatures over the raw body, so they parse their own bodies
  app.use("/webhooks", webhooksRouter);
  // Widgets embedded on customer sites, each project allow-lists its own origins
  app.use("/embed", embedRouter);

  app.use(cors({ origin: allowedOrigins, credentials: true }));
  app.use(apiLimiter);
  app.use(express.json({ limit: "1mb" }));
  app.use(cookieParser());
  app.use(
    session({
      store: new RedisStore({ client: redis, prefix: "sess:" }),
      name: "acme.sid",
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        sameSite: "lax",
        secure: config.env === "production",
        maxAge: 7 * 24 * 60 * 60 * 1000,
      },
    }),
  );

  // Marking the session keeps its id (and so the token binding) stable; the SPA fetches a new token after login
  app.get("/auth/csrf-token", (req, res) => {
    req.session.csrfIssued = true;
    res.json({ csrfToken: generateCsrfToken(req, res) });
  });
  app.use(doubleCsrfProtection);

  app.use("/auth", authRouter);
  app.use("/users", usersRouter);
  app.use("/teams", teamsRouter);
  app.use("/projects", projectsRouter);
  app.use("/billing", billingRouter);

  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof ZodError)) return next(err);
    res.status(400).json({ error: "Invalid request", issues: err.issues.map((i) => ({ path: i.path, message: i.message })) });
  });
  Sentry.setupExpressErrorHandler(app);
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    if (status >= 500) req.log.error({ err }, "request failed");
    res.status(status).json({ error: status >= 500 ? "Internal Server Error" : (err as Error).message });
  });

  return app;
}
