import { missingCsrfProtection } from "../../rules/catalogue/missing-csrf-protection";
import { testRule } from "../rule-tester";

const expressSessionServer = `import express from "express";
import session from "express-session";
import { router } from "./routes";

const app = express();
app.use(session({
  secret: process.env.SESSION_SECRET!,
  resave: false,
  saveUninitialized: false,
}));
app.use("/api", router);`;

const postRoutes = {
  file: "src/routes.ts",
  code: `import { Router } from "express";

export const router = Router();
router.get("/me", (req, res) => res.json(req.session.user));
router.post("/transfer", async (req, res) => {
  await transfer(req.session.userId, req.body);
  res.sendStatus(204);
});`,
};

testRule(missingCsrfProtection, {
  valid: [
    {
      name: "csrf-csrf's doubleCsrf registered in another file",
      code: expressSessionServer,
      otherFiles: [
        postRoutes,
        {
          file: "src/csrf.ts",
          code: `import { doubleCsrf } from "csrf-csrf";

export const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
  getSecret: () => process.env.CSRF_SECRET!,
  getSessionIdentifier: (req) => req.session.id,
});`,
        },
      ],
    },
    {
      name: "csurf (CommonJS) in the same file",
      file: "src/app.js",
      code: `const session = require("express-session");
const csrf = require("csurf");

app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.use(csrf());
app.post("/profile", updateProfile);`,
    },
    {
      name: "lusca's csrf middleware",
      code: `import session from "express-session";
import lusca from "lusca";

app.use(session({ secret: SECRET, resave: false, saveUninitialized: false }));
app.use(lusca({ csrf: true, xframe: "SAMEORIGIN" }));
app.post("/comments", createComment);`,
    },
    {
      name: "a strict same-site session cookie",
      code: `import session from "express-session";

app.use(session({
  secret: process.env.SESSION_SECRET!,
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: true, secure: true, sameSite: "strict" },
}));
app.post("/transfer", transfer);`,
    },
    {
      name: "cookie-session with sameSite strict, and sameSite: true (strict) on express-session",
      code: `import cookieSession from "cookie-session";
import session from "express-session";

admin.use(cookieSession({ name: "session", keys: [KEY], sameSite: "strict" }));
app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, cookie: { sameSite: true } }));
app.post("/orders", createOrder);`,
    },
    {
      name: "a token-only API: no session or auth cookie",
      code: `import express from "express";
import { expressjwt } from "express-jwt";

const app = express();
app.use(express.json());
app.use(expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ["HS256"] }));
app.post("/orders", createOrder);
app.delete("/orders/:id", deleteOrder);`,
    },
    {
      name: "sessions on a read-only app: no state-changing route anywhere",
      code: expressSessionServer,
      otherFiles: [{ file: "src/routes.ts", code: `export const router = Router();\nrouter.get("/me", (req, res) => res.json(req.session.user));` }],
    },
    {
      name: "HTTP clients posting are not routes",
      code: `import session from "express-session";
import axios from "axios";

app.use(session({ secret: SECRET, resave: false, saveUninitialized: false }));
app.get("/sync", async (req, res) => {
  await axios.post("/api/sync", { user: req.session.userId });
  await api.post("/events", payload);
  res.send("ok");
});`,
    },
    {
      name: "Fastify with @fastify/csrf-protection",
      code: `import Fastify from "fastify";
import fastifySession from "@fastify/session";
import fastifyCsrf from "@fastify/csrf-protection";

const fastify = Fastify();
fastify.register(fastifySession, { secret: process.env.SESSION_SECRET! });
fastify.register(fastifyCsrf, { sessionPlugin: "@fastify/session" });
fastify.post("/settings", { onRequest: fastify.csrfProtection }, async (request, reply) => saveSettings(request.body));`,
    },
    {
      name: "cookie-parser without any auth cookie",
      code: `import cookieParser from "cookie-parser";

app.use(cookieParser());
app.post("/preferences", (req, res) => {
  res.cookie("theme", req.body.theme, { maxAge: 31536000000 });
  res.sendStatus(204);
});`,
    },
    {
      name: "tests are exempt",
      file: "test/session.test.ts",
      code: `import session from "express-session";
app.use(session({ secret: "test" }));
app.post("/login", login);`,
    },
  ],
  invalid: [
    {
      name: "express-session here, the POST route in another file",
      code: expressSessionServer,
      otherFiles: [postRoutes],
      errors: [
        {
          line: 6,
          column: 9,
          endLine: 10,
          endColumn: 3,
          message:
            '`express-session` authenticates requests by cookie, which the browser also attaches to requests a malicious site makes it send, and this app has state-changing routes but no CSRF protection. Add CSRF tokens (csrf-csrf\'s `doubleCsrf`) or set `sameSite: "strict"` on the session cookie.',
        },
      ],
      output: null,
    },
    {
      name: "lax same-site cookies do not count",
      code: `import express from "express";
import session from "express-session";

const app = express();
app.use(session({
  secret: process.env.SESSION_SECRET!,
  cookie: { sameSite: "lax", secure: true },
}));
app.post("/account/delete", deleteAccount);`,
      errors: [{ line: 5, column: 9, message: /\(`sameSite: "lax"` does not stop it\)/ }],
    },
    {
      name: "NestJS: session in main.ts, @Post() in a controller",
      file: "src/main.ts",
      code: `import { NestFactory } from "@nestjs/core";
import * as session from "express-session";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
  await app.listen(3000);
}
bootstrap();`,
      otherFiles: [
        {
          file: "src/users/users.controller.ts",
          code: `import { Body, Controller, Post } from "@nestjs/common";

@Controller("users")
export class UsersController {
  @Post("password")
  changePassword(@Body() body: ChangePasswordDto) {
    return this.users.changePassword(body);
  }
}`,
        },
      ],
      errors: [{ line: 7, column: 11 }],
    },
    {
      name: "cookie-session with a router.route(...).put() chain",
      file: "src/app.js",
      code: `const cookieSession = require("cookie-session");

app.use(cookieSession({ name: "session", keys: [process.env.COOKIE_KEY], maxAge: 24 * 60 * 60 * 1000 }));
app.route("/profile").get(showProfile).put(updateProfile);`,
      errors: [{ line: 3, column: 9, message: /^`cookie-session` authenticates/ }],
    },
    {
      name: "@fastify/secure-session with fastify.route({ method: 'POST' })",
      code: `import Fastify from "fastify";
import secureSession from "@fastify/secure-session";

const fastify = Fastify();
fastify.register(secureSession, { key: Buffer.from(process.env.SESSION_KEY!, "hex"), cookie: { path: "/", httpOnly: true } });
fastify.route({ method: ["POST", "PUT"], url: "/settings", handler: saveSettings });`,
      errors: [{ line: 5, column: 1, message: /^`@fastify\/secure-session` authenticates/ }],
    },
    {
      name: "koa-session with a koa-router POST route",
      code: `import Koa from "koa";
import Router from "@koa/router";
import session from "koa-session";

const app = new Koa();
const router = new Router();
app.keys = [process.env.APP_KEY!];
app.use(session(app));
router.post("/cart/items", async (ctx) => {
  ctx.session!.cart = [...(ctx.session!.cart ?? []), ctx.request.body];
  ctx.status = 201;
});`,
      errors: [{ line: 8, column: 9, message: /^`koa-session` authenticates/ }],
    },
    {
      name: "cookie-parser with a JWT auth cookie set elsewhere",
      code: `import express from "express";
import cookieParser from "cookie-parser";

const app = express();
app.use(cookieParser());
app.use("/api", apiRouter);`,
      otherFiles: [
        {
          file: "src/auth/login.ts",
          code: `export async function login(req: Request, res: Response) {
  const token = await issueJwt(req.body);
  res.cookie("access_token", token, { httpOnly: true, secure: true, sameSite: "lax" });
  res.sendStatus(204);
}

apiRouter.patch("/me", updateMe);`,
        },
      ],
      errors: [{ line: 5, column: 9, message: /^`cookie-parser` with auth cookies/ }],
    },
  ],
});
