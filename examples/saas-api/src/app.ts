import express, { type NextFunction, type Request, type Response } from "express";
import cors from "cors";
import session from "express-session";
import { config } from "./config";
import { securityHeaders } from "./middleware/security";
import { authRouter } from "./routes/auth";
import { usersRouter } from "./routes/users";
import { teamsRouter } from "./routes/teams";
import { projectsRouter } from "./routes/projects";
import { billingRouter } from "./routes/billing";
import { webhooksRouter } from "./routes/webhooks";
import { embedRouter } from "./routes/embed";

const ALLOWED_ORIGINS = ["https://app.acme.io", "http://localhost:3000"];

export function createApp() {
  const app = express();

  app.set("trust proxy", 1);
  // every response is per-user JSON, nothing to cache
  app.set("etag", false);

  // Webhooks parse their own bodies (Stripe Connect needs the raw bytes)
  app.use("/webhooks", webhooksRouter);
  // Widgets embedded on customer sites
  app.use("/embed", embedRouter);

  app.use(cors({ origin: ALLOWED_ORIGINS, credentials: true }));
  app.use(express.json({ limit: "1mb" }));
  app.use(securityHeaders);
  app.use(
    session({
      secret: "keyboard cat",
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

  app.use((req, _res, next) => {
    console.log(`${req.method} ${req.originalUrl}`);
    next();
  });

  app.use("/auth", authRouter);
  app.use("/users", usersRouter);
  app.use("/teams", teamsRouter);
  app.use("/projects", projectsRouter);
  app.use("/billing", billingRouter);

  app.use((err: any, _req: Request, res: Response, _next: NextFunction) => {
    console.error(err);
    res.status(err.status || 500).json({ error: err.message || "Internal Server Error" });
  });

  return app;
}
