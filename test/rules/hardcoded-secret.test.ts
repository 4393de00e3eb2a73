import { hardcodedSecret } from "../../rules/catalogue/hardcoded-secret";
import { testRule } from "../rule-tester";

// Every key below is synthetic: it matches the vendor's format (prefix, length, character set) and
// spells FAKE/fake, so it can never be a live credential.

testRule(hardcodedSecret, {
  valid: [
    {
      name: "secrets read from the environment, with no fallback",
      code: `import jwt from "jsonwebtoken";
import Stripe from "stripe";

const jwtSecret = process.env.JWT_SECRET;
if (!jwtSecret) throw new Error("JWT_SECRET is not set");
export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: "2024-06-20" });

export function issue(userId: string) {
  return jwt.sign({ sub: userId }, jwtSecret!, { expiresIn: "15m" });
}`,
    },
    {
      name: "passport-local field names, labels, i18n messages and password rules",
      code: `import passport from "passport";
import { Strategy as LocalStrategy } from "passport-local";

passport.use(new LocalStrategy({ usernameField: "email", passwordField: "password" }, verifyUser));

export const messages = {
  password: "Password",
  secret: "Secret",
  invalidPassword: "Invalid password",
  weakPassword: "Password must be at least 8 characters",
  apiKey: { label: "API key", placeholder: "Enter your API key" },
};
export const PASSWORD_MIN_LENGTH = 8;
export const BCRYPT_SALT_ROUNDS = 12;`,
    },
    {
      name: "header names, token types, OAuth grant types and enum-like values",
      code: `const API_KEY_HEADER = "x-api-key";
const AUTH_HEADER = "Authorization";

export async function refresh(refreshToken: string) {
  const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken });
  const revoke = { token: refreshToken, token_type_hint: "access_token" };
  const response = await fetch(tokenUrl, { method: "POST", headers: { [API_KEY_HEADER]: apiKey }, body });
  return { tokenType: "Bearer", expiresIn: 900, revoke, status: response.status };
}`,
    },
    {
      name: "placeholders that cannot work as a real secret",
      code: `export const example = {
  apiKey: "<your-api-key>",
  secret: "YOUR_SECRET_HERE",
  password: "********",
  accessToken: "xxxxxxxxxxxxxxxx",
  clientSecret: "replace-me",
  jwtSecret: "\${JWT_SECRET}",
  privateKey: "{{ PRIVATE_KEY }}",
};`,
    },
    {
      name: "env lookups, config getters, empty defaults and env-var names",
      code: `import { ConfigService } from "@nestjs/config";

export function load(config: ConfigService) {
  return {
    apiKey: process.env.API_KEY,
    secret: config.get<string>("jwt.secret"),
    password: process.env.DB_PASSWORD ?? "",
    token: process.env["SLACK_TOKEN"] || undefined,
    secretName: "prod/api/jwt",
    JWT_SECRET: "JWT_SECRET",
  };
}`,
    },
    {
      name: "paths to key files, password hashes, JWT fixtures",
      code: `import fs from "node:fs";

const privateKeyPath = "./keys/jwt-private.pem";
const privateKey = fs.readFileSync("./keys/jwt-private.pem", "utf8");
const adminPassword = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
const sampleToken = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";`,
    },
    {
      name: "URLs without credentials and connection strings with placeholder or template passwords",
      code: `export const urls = {
  api: "https://api.stripe.com/v1",
  docs: "postgresql://user:password@host:5432/database",
  atlas: "mongodb+srv://<username>:<password>@cluster0.mongodb.net/app",
  redis: "redis://localhost:6379",
  db: \`postgres://app:\${process.env.DB_PASSWORD}@db.internal:5432/app\`,
  masked: "postgres://app:****@db.internal:5432/app",
};`,
    },
    {
      name: "non-credential tokens (CSRF, pagination) and injection tokens",
      code: `export const REDIS_CLIENT = "REDIS_CLIENT";
export const API_KEY = "API_KEY";
const csrfToken = "a8f3c2d1e9b7a6f5c4d3e2f1";
const nextPageToken = "CAEQAhoGCgQIARAB";
const token = "Bearer";
@Injectable()
export class CacheService {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}
}`,
    },
    {
      name: "Sequelize docs placeholders",
      code: `import { Sequelize } from "sequelize";

export const sequelize = new Sequelize("database", "username", "password", {
  host: "localhost",
  dialect: "postgres",
});`,
    },
    {
      name: "AWS documentation example keys",
      code: `import { S3Client } from "@aws-sdk/client-s3";

export const s3 = new S3Client({
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
});`,
    },
    {
      name: "a Stripe test key in a test file",
      file: "test/billing.test.ts",
      code: `const stripe = new Stripe("sk_test_51HfakeFAKEfakeFAKEfake00");
const jwtSecret = "test-secret";`,
    },
    {
      name: "a secret in a spec file next to the source",
      file: "src/auth/auth.service.spec.ts",
      code: `const module = await Test.createTestingModule({ imports: [JwtModule.register({ secret: "test-secret" })] }).compile();`,
    },
    {
      name: "a Mailgun-shaped key in a file that never mentions Mailgun",
      code: `export const cacheKey = "key-0fa1ce2b3d4e5f6a7b8c9d0e1f2a3b4c";`,
    },
    {
      name: "short or low-entropy look-alikes of key formats",
      code: `const prefixes = ["sk_live_", "ghp_", "xoxb-", "AIza"];
const awsKeyId = "AKIAXXXXXXXXXXXXXXXX";
const slackBot = "xoxb-xxxxxxxxx-xxxxxxxxxx";
const task = "task_live_123";`,
    },
  ],
  invalid: [
    {
      name: "Stripe secret key passed to the client",
      code: `import Stripe from "stripe";

export const stripe = new Stripe("sk_live_51HfakeFAKEfakeFAKEfake00", { apiVersion: "2024-06-20" });`,
      errors: [{ line: 3, column: 34, message: 'Hardcoded Stripe secret key "sk_l…" in source; load it from process.env.STRIPE_SECRET_KEY and rotate it.' }],
      output: `import Stripe from "stripe";

export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { apiVersion: "2024-06-20" });`,
    },
    {
      name: "Stripe key in a variable named after it",
      code: `const stripeSecretKey = "sk_test_51HfakeFAKEfakeFAKEfake00";
export default stripeSecretKey;`,
      errors: [{ line: 1, column: 25, message: /Stripe secret key "sk_t…".*process\.env\.STRIPE_SECRET_KEY/ }],
      output: `const stripeSecretKey = process.env.STRIPE_SECRET_KEY;
export default stripeSecretKey;`,
    },
    {
      name: "Stripe restricted key and webhook signing secret in config",
      code: `export const stripeConfig = {
  restrictedKey: "rk_live_51HfakeFAKEfakeFAKEfake00",
  webhookSecret: "whsec_FAKEfake0123456789FAKEfake0123456789ab",
};`,
      errors: [
        { line: 2, column: 18, message: /Stripe restricted key "rk_l…"/ },
        { line: 3, column: 18, message: /Stripe webhook signing secret "whse…".*STRIPE_WEBHOOK_SECRET/ },
      ],
    },
    {
      name: "AWS access key id (and the secret key bound to an AWS name)",
      code: `import { S3Client } from "@aws-sdk/client-s3";

export const s3 = new S3Client({
  region: "eu-west-1",
  credentials: {
    accessKeyId: "AKIA2E3MFAKEKEY7WXQZ",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzKfAkEkEy1",
  },
});`,
      errors: [
        { line: 6, column: 18, message: /AWS access key ID "AKIA…".*AWS_ACCESS_KEY_ID/ },
        { line: 7, column: 22, message: 'Hardcoded secret access key "wJal…" in the "secretAccessKey" property; load it from process.env.AWS_SECRET_ACCESS_KEY instead.' },
      ],
    },
    {
      name: "GitHub tokens of every kind",
      code: `export const github = {
  pat: "ghp_FAKEfake0123456789FAKEfake0123456789",
  oauth: "gho_FAKEfake0123456789FAKEfake0123456789",
  user: "ghu_FAKEfake0123456789FAKEfake0123456789",
  server: "ghs_FAKEfake0123456789FAKEfake0123456789",
  refresh: "ghr_FAKEfake0123456789FAKEfake0123456789",
  fineGrained: "github_pat_11FAKE0fake1FAKE2fake3_11FAKE0fake1FAKE2fake3_11FAKE0fake1FAKE2fake3_11FAKE0fake1F",
};`,
      errors: [
        { line: 2, message: /GitHub personal access token "ghp_…".*GITHUB_TOKEN/ },
        { line: 3, message: /GitHub OAuth access token "gho_…"/ },
        { line: 4, message: /GitHub App token "ghu_…"/ },
        { line: 5, message: /GitHub App token "ghs_…"/ },
        { line: 6, message: /GitHub refresh token "ghr_…"/ },
        { line: 7, message: /GitHub fine-grained personal access token "gith…"/ },
      ],
    },
    {
      name: "Slack bot, user and app tokens",
      code: `import { App } from "@slack/bolt";

export const app = new App({
  token: "xoxb-1234567890-1234567890123-FaKeFaKe0FaKeFaKe1FaKeFaK",
  userToken: "xoxp-1234567890-1234567890-1234567890-0fake1fake2fake3fake4fake5fake6fa",
  appToken: "xapp-1-A0FAKEFAKE0-1234567890123-0fake1fake2fake3fake4fake5fake6fake7",
  socketMode: true,
});`,
      errors: [
        { line: 4, column: 10, message: /Slack bot token "xoxb…".*SLACK_BOT_TOKEN/ },
        { line: 5, column: 14, message: /Slack user token "xoxp…"/ },
        { line: 6, column: 13, message: /Slack app-level token "xapp…"/ },
      ],
      output: `import { App } from "@slack/bolt";

export const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  userToken: process.env.SLACK_USER_TOKEN,
  appToken: process.env.SLACK_APP_TOKEN,
  socketMode: true,
});`,
    },
    {
      name: "Slack incoming webhook URL",
      code: `export async function notify(text: string) {
  await fetch("https://hooks.slack.com/services/T00FAKE00/B00FAKE00/FAKEfakeFAKEfakeFAKEfake", {
    method: "POST",
    body: JSON.stringify({ text }),
  });
}`,
      errors: [{ line: 2, column: 15, message: /Slack webhook URL "http…".*SLACK_WEBHOOK_URL/ }],
    },
    {
      name: "Google API key inside a URL: reported, no automatic fix",
      code: `const GEOCODE_URL = "https://maps.googleapis.com/maps/api/geocode/json?key=AIzaSyFAKE-q8Xw2Lm5Rt9Vb3Nc7Pd1Gh4Jk6Zs";
export const geocode = (address: string) => fetch(\`\${GEOCODE_URL}&address=\${encodeURIComponent(address)}\`);`,
      errors: [{ line: 1, column: 21, message: 'Hardcoded Google API key "AIza…" inside a string; move it to the environment or a secret manager and rotate it.' }],
      output: null,
    },
    {
      name: "SendGrid, Twilio and npm tokens",
      code: `import sgMail from "@sendgrid/mail";
import twilio from "twilio";

sgMail.setApiKey("SG.FAKEfake0123FAKEfake01.FAKEfake0123456789-_xyzFAKEfake0123456789-_");
const client = twilio("SK0fa1ce2b3d4e5f6a7b8c9d0e1f2a3b4c", process.env.TWILIO_API_SECRET, { accountSid: process.env.TWILIO_ACCOUNT_SID });
const npmToken = "npm_FAKEfake0123456789FAKEfake0123456789";`,
      errors: [
        { line: 4, column: 18, message: /SendGrid API key "SG\.F…".*SENDGRID_API_KEY/ },
        { line: 5, column: 23, message: /Twilio API key "SK0f…".*TWILIO_API_KEY/ },
        { line: 6, column: 18, message: /npm access token "npm_…".*process\.env\.NPM_TOKEN/ },
      ],
    },
    {
      name: "OpenAI and Anthropic keys",
      code: `import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

export const openai = new OpenAI({ apiKey: "sk-proj-FAKEfake0123456789_-FAKEfake0123456789_-FAKEfake0123456789T3BlbkFJfakeFAKE9876543210-_fakeFAKE9876543210-_fakeFAKE9876543210" });
export const legacy = new OpenAI({ apiKey: "sk-FAKEfake0123456789abT3BlbkFJFAKEfake0123456789ab" });
export const anthropic = new Anthropic({ apiKey: "sk-ant-api03-FAKEfake0123456789_FAKEfake0123456789-FAKEfake0123456789_FAKEfake0123456789-FAKEfake012345678AA" });`,
      errors: [
        { line: 4, message: /OpenAI API key "sk-p…".*OPENAI_API_KEY/ },
        { line: 5, message: /OpenAI API key "sk-F…"/ },
        { line: 6, message: /Anthropic API key "sk-a…".*ANTHROPIC_API_KEY/ },
      ],
      output: `import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
export const legacy = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
export const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });`,
    },
    {
      name: "PEM private key in a template literal",
      code: `export const signingKey = \`-----BEGIN RSA PRIVATE KEY-----
MIIEFAKEfakeFAKEfake0123456789FAKEfake0123456789FAKEfake0123456789FAKEfake0123
FAKEfake0123456789FAKEfake0123456789FAKEfake0123456789FAKEfake0123456789FAKEfa
-----END RSA PRIVATE KEY-----\`;`,
      errors: [{ line: 1, column: 27, message: /private key "----…" in source; load it from process\.env\.PRIVATE_KEY/ }],
    },
    {
      name: "Mailgun and Shopify keys",
      code: `import formData from "form-data";
import Mailgun from "mailgun.js";

const mailgun = new Mailgun(formData);
export const mg = mailgun.client({ username: "api", key: "key-0fa1ce2b3d4e5f6a7b8c9d0e1f2a3b4c" });
export const shopify = { adminToken: "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", apiSecret: "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" };`,
      errors: [
        { line: 5, message: /Mailgun API key "key-…".*MAILGUN_API_KEY/ },
        { line: 6, column: 38, message: /Shopify access token "shpa…"/ },
        { line: 6, column: 91, message: /Shopify shared secret "shps…"/ },
      ],
    },
    {
      name: "JWT secret fallback: the fix drops the default",
      code: `export const config = {
  port: Number(process.env.PORT) || 3000,
  jwtSecret: process.env.JWT_SECRET || "dev-secret-change-me",
};`,
      errors: [
        {
          line: 3,
          column: 40,
          message: 'process.env.JWT_SECRET falls back to a hardcoded JWT secret "dev-…"; drop the default so a missing process.env.JWT_SECRET fails fast instead of running with a known secret.',
        },
      ],
      output: `export const config = {
  port: Number(process.env.PORT) || 3000,
  jwtSecret: process.env.JWT_SECRET,
};`,
    },
    {
      name: "a placeholder-looking fallback still works as a JWT secret; a vendor API key placeholder does not",
      code: `export function initConfig() {
  return {
    databaseUrl: process.env.DATABASE_URL || "postgresql://postgres:password@localhost:5432/shop",
    jwtSecret: process.env.JWT_SECRET || "your-secret-key-change-in-production",
    mapsApiKey: process.env.MAPS_API_KEY || "YOUR_API_KEY",
  };
}`,
      errors: [{ line: 4, column: 42, message: /process\.env\.JWT_SECRET falls back to a hardcoded JWT secret "your…"/ }],
      output: `export function initConfig() {
  return {
    databaseUrl: process.env.DATABASE_URL || "postgresql://postgres:password@localhost:5432/shop",
    jwtSecret: process.env.JWT_SECRET,
    mapsApiKey: process.env.MAPS_API_KEY || "YOUR_API_KEY",
  };
}`,
    },
    {
      name: "?? fallback of a NestJS ConfigService lookup",
      code: `import { JwtModule } from "@nestjs/jwt";
import { ConfigService } from "@nestjs/config";

export const jwtModule = JwtModule.registerAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService) => ({ secret: config.get<string>("JWT_SECRET") ?? "changeme" }),
});`,
      errors: [{ line: 6, column: 89, message: /config\.get<string>\("JWT_SECRET"\) falls back to a hardcoded secret "chan…".*process\.env\.JWT_SECRET/ }],
      output: `import { JwtModule } from "@nestjs/jwt";
import { ConfigService } from "@nestjs/config";

export const jwtModule = JwtModule.registerAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService) => ({ secret: config.get<string>("JWT_SECRET") }),
});`,
    },
    {
      name: "express-session with a literal secret",
      code: `import express from "express";
import session from "express-session";

const app = express();
app.use(
  session({
    secret: "keyboard cat",
    resave: false,
    saveUninitialized: false,
  }),
);`,
      errors: [{ line: 7, column: 13, message: 'Hardcoded session secret "keyb…" in the "secret" property; load it from process.env.SESSION_SECRET instead.' }],
      output: `import express from "express";
import session from "express-session";

const app = express();
app.use(
  session({
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
  }),
);`,
    },
    {
      name: "cookie-session keys and cookie-parser secret",
      code: `const cookieSession = require("cookie-session");
const cookieParser = require("cookie-parser");

app.use(cookieParser("s3cr3t-cookie-signer"));
app.use(cookieSession({ name: "session", keys: ["key1", "key2"], maxAge: 86400000 }));`,
      errors: [
        { line: 4, column: 22, message: 'Hardcoded cookie signing secret "s3cr…" passed to cookieParser(); load it from process.env.COOKIE_SECRET.' },
        { line: 5, column: 49, message: /session signing key "…" in the "keys" property/ },
        { line: 5, column: 57, message: /session signing key "…" in the "keys" property/ },
      ],
      output: `const cookieSession = require("cookie-session");
const cookieParser = require("cookie-parser");

app.use(cookieParser(process.env.COOKIE_SECRET));
app.use(cookieSession({ name: "session", keys: ["key1", "key2"], maxAge: 86400000 }));`,
    },
    {
      name: "Koa app.keys",
      code: `import Koa from "koa";
import session from "koa-session";

const app = new Koa();
app.keys = ["im a newer secret", "i like turtle"];
app.use(session(app));`,
      errors: [
        { line: 5, column: 13, message: 'Hardcoded Koa signing key "im a…" in app.keys; load it from process.env.APP_KEYS instead.' },
        { line: 5, column: 34 },
      ],
    },
    {
      name: "jsonwebtoken sign/verify with a literal key (default import)",
      code: `import jwt from "jsonwebtoken";

export function createInviteToken(inviteId: string) {
  return jwt.sign({ inviteId }, "super-secret-jwt-key", { expiresIn: "7d" });
}

export function readInviteToken(token: string) {
  return jwt.verify(token, "super-secret-jwt-key") as { inviteId: string };
}`,
      errors: [
        { line: 4, column: 33, message: 'jwt.sign() uses a hardcoded key "supe…"; load it from process.env.JWT_SECRET.' },
        { line: 8, column: 28, message: 'jwt.verify() uses a hardcoded key "supe…"; load it from process.env.JWT_SECRET.' },
      ],
      output: `import jwt from "jsonwebtoken";

export function createInviteToken(inviteId: string) {
  return jwt.sign({ inviteId }, process.env.JWT_SECRET, { expiresIn: "7d" });
}

export function readInviteToken(token: string) {
  return jwt.verify(token, process.env.JWT_SECRET) as { inviteId: string };
}`,
    },
    {
      name: "jsonwebtoken named imports, key in a constant whose name does not say secret",
      code: `const { sign } = require("jsonwebtoken");

const KEY = "a9f8e7d6c5b4";

module.exports.issue = (user) => sign({ sub: user.id }, KEY, { expiresIn: "1h" });`,
      errors: [{ line: 3, column: 13, message: /jwt\.sign\(\) uses a hardcoded key "a9f8…"/ }],
      output: `const { sign } = require("jsonwebtoken");

const KEY = process.env.JWT_SECRET;

module.exports.issue = (user) => sign({ sub: user.id }, KEY, { expiresIn: "1h" });`,
    },
    {
      name: "Fastify JWT plugin and NestJS JwtModule secrets",
      code: `import Fastify from "fastify";
import fastifyJwt from "@fastify/jwt";

const app = Fastify({ logger: true });
app.register(fastifyJwt, { secret: "supersecret" });

export const jwtConstants = { secret: "secretKey" };`,
      errors: [
        { line: 5, column: 36, message: 'Hardcoded JWT secret "supe…" in the "secret" property; load it from process.env.JWT_SECRET instead.' },
        { line: 7, column: 39, message: 'Hardcoded secret "secr…" in the "secret" property; load it from process.env.JWT_SECRET instead.' },
      ],
    },
    {
      name: "secret-named variables, class fields, default parameters and assignments",
      code: `export class PaymentsService {
  private readonly apiKey = "live_8f9a7b6c5d4e3f2a1b0c";
}

export function connect(password = "Tr0ub4dor&3") {
  return db.connect({ password });
}

config.adminPassword = "S3cure!Admin";
const refreshTokenSecret = "r3fr3sh-s1gn1ng";`,
      errors: [
        { line: 2, column: 29, message: 'Hardcoded API key "live…" in apiKey; load it from process.env.PAYMENTS_API_KEY instead.' },
        { line: 5, column: 36, message: /password "Tr0u…" in password/ },
        { line: 9, column: 24, message: 'Hardcoded password "S3cu…" in config.adminPassword; load it from process.env.ADMIN_PASSWORD instead.' },
        { line: 10, column: 28, message: /secret "r3fr…" in refreshTokenSecret; load it from process.env.REFRESH_TOKEN_SECRET/ },
      ],
      output: `export class PaymentsService {
  private readonly apiKey = process.env.PAYMENTS_API_KEY;
}

export function connect(password = process.env.PASSWORD) {
  return db.connect({ password });
}

config.adminPassword = process.env.ADMIN_PASSWORD;
const refreshTokenSecret = process.env.REFRESH_TOKEN_SECRET;`,
    },
    {
      name: "generic option names get their owner as env prefix",
      code: `import Redis from "ioredis";
import nodemailer from "nodemailer";

export const redis = new Redis({ host: "cache.internal", port: 6379, password: "r3d1s-Pa55" });
export const mailer = nodemailer.createTransport({
  host: "smtp.postmarkapp.com",
  auth: { user: "apikey", pass: "9f8e7d6c5b4a" },
});`,
      errors: [
        { line: 4, column: 80, message: /password "r3d1…" in the "password" property; load it from process\.env\.REDIS_PASSWORD/ },
        { line: 7, column: 33, message: /password "9f8e…" in the "pass" property; load it from process\.env\.NODEMAILER_PASS/ },
      ],
    },
    {
      name: "Sequelize positional password",
      code: `import { Sequelize } from "sequelize";

export const sequelize = new Sequelize("shop", "shop_user", "P@ssw0rd2024", { host: "db.prod.internal", dialect: "postgres" });`,
      errors: [{ line: 3, column: 61, message: 'Hardcoded database password "P@ss…" in new Sequelize(); load it from process.env.DB_PASSWORD instead.' }],
    },
    {
      name: "Postgres connection string with a password, in a pg Pool",
      code: `import { Pool } from "pg";

export const pool = new Pool({
  connectionString: "postgres://app:Xk82mPq0vLr5@db.prod.internal:5432/app",
  max: 20,
});`,
      errors: [{ line: 4, column: 21, severity: "error", message: 'Connection string for postgres://app@db.prod.internal has an inline password "Xk82…"; load the URL from process.env.DATABASE_URL.' }],
      output: `import { Pool } from "pg";

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
});`,
    },
    {
      name: "MongoDB SRV and Redis URLs with inline passwords",
      code: `import mongoose from "mongoose";
import { createClient } from "redis";

await mongoose.connect("mongodb+srv://admin:hunter22@cluster0.abcde.mongodb.net/prod");
export const redisUrl = "redis://:s3cretpass@cache.prod.internal:6379";
export const redis = createClient({ url: redisUrl });`,
      errors: [
        { line: 4, column: 24, message: /mongodb\+srv:\/\/admin@cluster0\.abcde\.mongodb\.net has an inline password "hunt…".*MONGODB_URI/ },
        { line: 5, column: 25, message: /redis:\/\/cache\.prod\.internal has an inline password "s3cr…".*process\.env\.REDIS_URL/ },
      ],
      output: `import mongoose from "mongoose";
import { createClient } from "redis";

await mongoose.connect(process.env.MONGODB_URI);
export const redisUrl = process.env.REDIS_URL;
export const redis = createClient({ url: redisUrl });`,
    },
    {
      name: "localhost dev credentials as a DATABASE_URL default: a warning",
      code: `const databaseUrl = process.env.DATABASE_URL || "postgres://postgres:postgres@localhost:5432/app";
const amqpUrl = process.env.AMQP_URL ?? "amqp://guest:guest@localhost:5672";`,
      errors: [
        {
          line: 1,
          column: 49,
          severity: "warning",
          message:
            'Connection string for postgres://postgres@localhost hardcodes local development credentials (password "post…"); production must get process.env.DATABASE_URL and fail when it is missing, not run with dev credentials.',
        },
        { line: 2, column: 41, severity: "warning", message: /amqp:\/\/guest@localhost/ },
      ],
      output: `const databaseUrl = process.env.DATABASE_URL;
const amqpUrl = process.env.AMQP_URL;`,
    },
    {
      name: "TypeORM config: a password fallback next to a localhost host is a warning",
      code: `import { TypeOrmModule } from "@nestjs/typeorm";

export const database = TypeOrmModule.forRoot({
  type: "postgres",
  host: process.env.DB_HOST || "localhost",
  port: 5432,
  username: process.env.DB_USER || "postgres",
  password: process.env.DB_PASSWORD || "postgres",
  database: "app",
});`,
      errors: [
        {
          line: 8,
          column: 40,
          severity: "warning",
          message:
            'process.env.DB_PASSWORD falls back to a hardcoded password "post…" for the local development host "localhost"; drop the default so a missing process.env.DB_PASSWORD fails fast instead of connecting with dev credentials.',
        },
      ],
      output: `import { TypeOrmModule } from "@nestjs/typeorm";

export const database = TypeOrmModule.forRoot({
  type: "postgres",
  host: process.env.DB_HOST || "localhost",
  port: 5432,
  username: process.env.DB_USER || "postgres",
  password: process.env.DB_PASSWORD,
  database: "app",
});`,
    },
    {
      name: "sequelize-cli config: dev password on 127.0.0.1 is a warning, production reads env",
      code: `module.exports = {
  development: { username: "postgres", password: "postgres", database: "app_dev", host: "127.0.0.1", dialect: "postgres" },
  production: { username: process.env.DB_USER, password: process.env.DB_PASS, host: process.env.DB_HOST, dialect: "postgres" },
};`,
      errors: [{ line: 2, column: 50, severity: "warning", message: /password "post…" in the "password" property for the local development host "127\.0\.0\.1"/ }],
    },
    {
      name: "an API key header with a literal value",
      code: `import axios from "axios";

export const partnerApi = axios.create({
  baseURL: "https://partner.example.com/v2",
  headers: { "X-API-Key": "9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d" },
});`,
      errors: [{ line: 5, column: 27, message: 'Hardcoded API key "9b1d…" in the "X-API-Key" property; load it from process.env.API_KEY instead.' }],
      output: `import axios from "axios";

export const partnerApi = axios.create({
  baseURL: "https://partner.example.com/v2",
  headers: { "X-API-Key": process.env.API_KEY },
});`,
    },
    {
      name: "a hardcoded bearer token in request headers",
      code: `export async function listInvoices() {
  const res = await fetch("https://billing.internal/api/invoices", {
    headers: { Authorization: "Bearer 8f3b2a1c9d7e6f5a4b3c2d1e", Accept: "application/json" },
  });
  return res.json();
}`,
      errors: [{ line: 3, column: 31, message: /bearer token "Bearer 8f3b…" in the Authorization header/ }],
      output: null,
    },
    {
      name: "HMAC key for webhook verification and a getter returning a secret",
      code: `import crypto from "node:crypto";

export const sign = (body: string) => crypto.createHmac("sha256", "wh-local-1234").update(body).digest("hex");

export class AppConfig {
  get jwtSecret() {
    return "changeme";
  }
}`,
      errors: [
        { line: 3, column: 67, message: 'Hardcoded HMAC key "wh-l…" passed to createHmac(); load it from process.env.HMAC_SECRET.' },
        { line: 7, column: 12, message: 'Hardcoded JWT secret "chan…" in jwtSecret(); load it from process.env.JWT_SECRET instead.' },
      ],
    },
    {
      name: "a key embedded in a template literal with substitutions",
      code: "export const authHeader = (org: string) => `Bearer sk_live_51HfakeFAKEfakeFAKEfake00 org=${org}`;",
      errors: [{ line: 1, column: 44, message: /Stripe secret key "sk_l…" inside a string/ }],
      output: null,
    },
    {
      name: "writing a secret into process.env",
      code: `process.env.JWT_SECRET = "hardcoded-in-bootstrap";`,
      errors: [{ line: 1, column: 26, message: 'Hardcoded JWT secret "hard…" written into process.env.JWT_SECRET; set it in the deployment environment or a secret manager, not in code.' }],
      output: null,
    },
  ],
});
