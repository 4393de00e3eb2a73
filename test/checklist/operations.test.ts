import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countExplicitAny, operationsDetectors } from "../../rules/checklist/detectors/operations";
import type { DetectorResult } from "../../rules/checklist/evidence";
import { evidenceFor } from "../checklist-fixture";

function run(id: string, files: Record<string, string>): DetectorResult {
  const detector = operationsDetectors[id];
  assert.ok(detector, `no detector for ${id}`);
  const result = detector(evidenceFor(files));
  return result;
}

function pkg(dependencies: Record<string, string> = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: "api", version: "1.0.0", dependencies: { express: "^4.19.0", ...dependencies }, ...extra }, null, 2);
}

const EXPRESS_APP = `import express from "express";
const app = express();
app.use(express.json());
app.get("/health", (req, res) => res.json({ ok: true }));
app.listen(3000);
`;

function evidenceAt(result: DetectorResult, file: string, line?: number) {
  const site = result.evidence.find((evidence) => evidence.file === file && (line === undefined || evidence.line === line));
  assert.ok(site, `no evidence at ${file}${line === undefined ? "" : `:${line}`} in ${JSON.stringify(result.evidence)}`);
  return site;
}

describe("operations detectors: ids", () => {
  it("covers exactly its twelve items", () => {
    assert.deepEqual(Object.keys(operationsDetectors).sort(), [
      "operations.api-docs",
      "operations.feature-flags",
      "operations.runbooks",
      "performance.load-testing",
      "performance.redis-cache",
      "quality.architecture-docs",
      "quality.code-review",
      "quality.lint-format",
      "quality.type-coverage",
      "security.oauth-sso",
      "security.password-breach",
      "security.vulnerability-scanning",
    ]);
  });
});

describe("security.oauth-sso", () => {
  it("passes on a passport OAuth strategy imported by the auth module", () => {
    const result = run("security.oauth-sso", {
      "package.json": pkg({ passport: "^0.7.0", "passport-google-oauth20": "^2.0.0" }),
      "src/app.ts": EXPRESS_APP,
      "src/auth/google.ts": `import passport from "passport";
import { Strategy as GoogleStrategy } from "passport-google-oauth20";
passport.use(new GoogleStrategy({ clientID: process.env.GOOGLE_ID!, clientSecret: process.env.GOOGLE_SECRET!, callbackURL: "/auth/google/callback" }, (a, r, profile, done) => done(null, profile)));
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /passport-google-oauth20/);
    evidenceAt(result, "src/auth/google.ts", 2);
  });

  it("passes on Auth.js, Clerk or WorkOS (scoped packages)", () => {
    const result = run("security.oauth-sso", {
      "package.json": pkg({ "@auth/express": "^0.5.0", "@workos-inc/node": "^7.0.0" }),
      "src/auth.ts": `import { ExpressAuth } from "@auth/express";
import GitHub from "@auth/express/providers/github";
import { WorkOS } from "@workos-inc/node";
export const auth = ExpressAuth({ providers: [GitHub] });
export const workos = new WorkOS(process.env.WORKOS_KEY);
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /through @auth\/express and @workos-inc\/node$/);
    assert.match(result.note, /@workos-inc\/node/);
    evidenceAt(result, "src/auth.ts", 1);
    evidenceAt(result, "src/auth.ts", 3);
  });

  it("passes on Supabase Auth OAuth sign-in", () => {
    const result = run("security.oauth-sso", {
      "package.json": pkg({ "@supabase/supabase-js": "^2.0.0" }),
      "src/login.ts": `import { createClient } from "@supabase/supabase-js";
const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_KEY!);
export const login = () => supabase.auth.signInWithOAuth({ provider: "github" });
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Supabase Auth/);
    evidenceAt(result, "src/login.ts", 3);
  });

  it("does not count passport-local or passport-jwt", () => {
    const result = run("security.oauth-sso", {
      "package.json": pkg({ passport: "^0.7.0", "passport-local": "^1.0.0", "passport-jwt": "^4.0.0" }),
      "src/auth.ts": `import passport from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import { Strategy as JwtStrategy } from "passport-jwt";
passport.use(new LocalStrategy((u, p, done) => done(null, false)));
`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No OAuth\/SSO library/);
    assert.deepEqual(result.evidence, []);
  });

  it("is open when an SSO package is only declared", () => {
    const result = run("security.oauth-sso", { "package.json": pkg({ "openid-client": "^5.6.0" }), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "open");
    assert.match(result.note, /openid-client declared/);
    evidenceAt(result, "package.json", 6);
  });
});

describe("security.password-breach", () => {
  it("passes on the Pwned Passwords range API", () => {
    const result = run("security.password-breach", {
      "package.json": pkg({ bcrypt: "^5.1.0" }),
      "src/auth/password.ts": `import bcrypt from "bcrypt";
import { createHash } from "node:crypto";

export async function isBreached(password: string): Promise<boolean> {
  const sha1 = createHash("sha1").update(password).digest("hex").toUpperCase();
  const res = await fetch(\`https://api.pwnedpasswords.com/range/\${sha1.slice(0, 5)}\`);
  return (await res.text()).includes(sha1.slice(5));
}
export const hash = (password: string) => bcrypt.hash(password, 12);
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Pwned Passwords range API/);
    evidenceAt(result, "src/auth/password.ts", 6);
  });

  it("passes on the hibp package", () => {
    const result = run("security.password-breach", {
      "package.json": pkg({ hibp: "^15.0.0", argon2: "^0.40.0" }),
      "src/users/signup.ts": `import argon2 from "argon2";
import { pwnedPassword } from "hibp";
export async function signUp(email: string, password: string) {
  if ((await pwnedPassword(password)) > 0) throw new Error("breached password");
  return { email, hash: await argon2.hash(password) };
}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /hibp/);
    evidenceAt(result, "src/users/signup.ts", 2);
  });

  it("fails when passwords are hashed without a breach check", () => {
    const result = run("security.password-breach", {
      "package.json": pkg({ bcryptjs: "^2.4.3" }),
      "src/services/user.service.ts": `import bcrypt from "bcryptjs";
export const hashPassword = (password: string) => bcrypt.hash(password, 12);
`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /bcryptjs/);
    assert.match(result.note, /never checked against breached-password lists/);
    evidenceAt(result, "src/services/user.service.ts", 1);
  });

  it("fails on Node's own crypto.scrypt without a breach check", () => {
    const result = run("security.password-breach", {
      "package.json": pkg(),
      "src/lib/hash.ts": `import { scrypt, randomBytes } from "node:crypto";
export function hash(password: string) {
  const salt = randomBytes(16);
  return new Promise((resolve) => scrypt(password, salt, 64, (_e, key) => resolve(key)));
}
`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /crypto\.scrypt/);
    evidenceAt(result, "src/lib/hash.ts", 4);
  });

  it("is open and suggests not applicable without any passwords", () => {
    const result = run("security.password-breach", {
      "package.json": pkg({ "passport-github2": "^0.1.12" }),
      "src/auth.ts": `import { Strategy } from "passport-github2";\nexport const strategy = Strategy;\n`,
    });
    assert.equal(result.status, "open");
    assert.equal(result.suggestNotApplicable, true);
    assert.match(result.note, /No password hashing/);
  });
});

describe("security.vulnerability-scanning", () => {
  it("passes on a Dependabot config", () => {
    const result = run("security.vulnerability-scanning", {
      "package.json": pkg(),
      ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n",
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Dependabot/);
    evidenceAt(result, ".github/dependabot.yml");
  });

  it("passes on npm audit and CodeQL in GitHub workflows, with the line", () => {
    const result = run("security.vulnerability-scanning", {
      "package.json": pkg(),
      ".github/workflows/ci.yml": "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm audit --audit-level=high\n",
      ".github/workflows/codeql.yml": "name: codeql\non: [push]\njobs:\n  analyze:\n    steps:\n      - uses: github/codeql-action/init@v3\n",
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /npm audit in CI/);
    assert.match(result.note, /CodeQL in CI/);
    evidenceAt(result, ".github/workflows/ci.yml", 9);
    evidenceAt(result, ".github/workflows/codeql.yml", 6);
  });

  it("passes on a renovate key in package.json", () => {
    const result = run("security.vulnerability-scanning", { "package.json": pkg({}, { renovate: { extends: ["config:recommended"] } }) });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Renovate/);
    assert.equal(evidenceAt(result, "package.json").line, 7);
  });

  it("passes when CI runs an audit script of package.json", () => {
    const result = run("security.vulnerability-scanning", {
      "package.json": pkg({}, { scripts: { "audit:ci": "audit-ci --high" } }),
      ".gitlab-ci.yml": "stages: [test]\nsecurity:\n  script:\n    - npm ci\n    - npm run audit:ci\n",
    });
    assert.equal(result.status, "pass");
    evidenceAt(result, ".gitlab-ci.yml", 5);
    evidenceAt(result, "package.json");
  });

  it("fails when an audit script exists but CI never runs it", () => {
    const result = run("security.vulnerability-scanning", {
      "package.json": pkg({}, { scripts: { audit: "npm audit" } }),
      ".github/workflows/ci.yml": "jobs:\n  test:\n    steps:\n      - run: npm test\n",
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /no CI workflow runs it/);
    evidenceAt(result, "package.json");
  });

  it("fails without any scanner", () => {
    const result = run("security.vulnerability-scanning", {
      "package.json": pkg(),
      ".github/workflows/ci.yml": "jobs:\n  test:\n    steps:\n      - run: npm test\n",
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No vulnerability scanning/);
  });
});

describe("performance.redis-cache", () => {
  it("passes on a cache module reading and writing Redis", () => {
    const result = run("performance.redis-cache", {
      "package.json": pkg({ ioredis: "^5.4.0" }),
      "src/lib/redis.ts": `import Redis from "ioredis";\nexport const redis = new Redis(process.env.REDIS_URL!);\n`,
      "src/lib/cache.ts": `import { redis } from "./redis";
export async function cached<T>(key: string, ttl: number, load: () => Promise<T>): Promise<T> {
  const hit = await redis.get(key);
  if (hit) return JSON.parse(hit) as T;
  const value = await load();
  await redis.set(key, JSON.stringify(value), "EX", ttl);
  return value;
}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /src\/lib\/cache\.ts/);
    evidenceAt(result, "src/lib/cache.ts", 3);
    evidenceAt(result, "src/lib/redis.ts", 1);
  });

  it("passes on a cache function of a service using the shared Redis client", () => {
    const result = run("performance.redis-cache", {
      "package.json": pkg({ redis: "^4.6.0" }),
      "src/db/redis.ts": `import { createClient } from "redis";\nexport const client = createClient({ url: process.env.REDIS_URL });\n`,
      "src/services/products.ts": `import { client } from "../db/redis";
import { db } from "../db/postgres";
export async function getCachedProduct(id: string) {
  const hit = await client.get(\`product:\${id}\`);
  if (hit) return JSON.parse(hit);
  const product = await db.product.findUnique({ where: { id } });
  await client.set(\`product:\${id}\`, JSON.stringify(product), { EX: 300 });
  return product;
}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /src\/services\/products\.ts/);
    evidenceAt(result, "src/services/products.ts", 4);
  });

  it("passes on a Redis store for cache-manager (NestJS)", () => {
    const result = run("performance.redis-cache", {
      "package.json": pkg({ "@nestjs/common": "^10.0.0", "@nestjs/cache-manager": "^2.2.0", "cache-manager-redis-yet": "^5.0.0" }),
      "src/app.module.ts": `import { Module } from "@nestjs/common";
import { CacheModule } from "@nestjs/cache-manager";
import { redisStore } from "cache-manager-redis-yet";
@Module({ imports: [CacheModule.registerAsync({ useFactory: async () => ({ store: await redisStore({ url: process.env.REDIS_URL }) }) })] })
export class AppModule {}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /cache-manager-redis-yet/);
    evidenceAt(result, "src/app.module.ts", 3);
  });

  it("is open when Redis only backs sessions", () => {
    const result = run("performance.redis-cache", {
      "package.json": pkg({ redis: "^4.6.0", "connect-redis": "^7.1.0", "express-session": "^1.18.0" }),
      "src/session.ts": `import session from "express-session";
import RedisStore from "connect-redis";
import { createClient } from "redis";
const client = createClient({ url: process.env.REDIS_URL });
export const sessions = session({ store: new RedisStore({ client }), secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false });
`,
    });
    assert.equal(result.status, "open");
    assert.match(result.note, /Redis is present \(redis and connect-redis\)/);
    evidenceAt(result, "src/session.ts", 3);
    evidenceAt(result, "src/session.ts", 2);
  });

  it("fails with only an in-process cache", () => {
    const result = run("performance.redis-cache", {
      "package.json": pkg({ "lru-cache": "^10.0.0" }),
      "src/cache.ts": `import { LRUCache } from "lru-cache";\nexport const cache = new LRUCache<string, string>({ max: 500 });\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /in-process cache \(lru-cache\)/);
    evidenceAt(result, "src/cache.ts", 1);
  });

  it("fails without Redis", () => {
    const result = run("performance.redis-cache", { "package.json": pkg(), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No Redis client found/);
  });
});

describe("performance.load-testing", () => {
  it("passes on a k6 script", () => {
    const result = run("performance.load-testing", {
      "package.json": pkg(),
      "load/checkout.js": `import http from "k6/http";
import { check } from "k6";
export const options = { vus: 50, duration: "1m" };
export default function () { check(http.get("http://localhost:3000/health"), { ok: (r) => r.status === 200 }); }
`,
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Load tests found: load/checkout.js (k6)");
    evidenceAt(result, "load/checkout.js", 1);
  });

  it("passes on an Artillery scenario", () => {
    const result = run("performance.load-testing", {
      "package.json": pkg({}, { devDependencies: { artillery: "^2.0.0" }, scripts: { test: "node --test" } }),
      "perf/api.yml": "config:\n  target: http://localhost:3000\n  phases:\n    - duration: 60\n      arrivalRate: 20\nscenarios:\n  - flow:\n      - get:\n          url: /health\n",
    });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "perf/api.yml").line, 6);
  });

  it("passes on an autocannon package script", () => {
    const result = run("performance.load-testing", {
      "package.json": pkg({}, { devDependencies: { autocannon: "^7.15.0" }, scripts: { bench: "autocannon -c 100 -d 30 http://localhost:3000/health" } }),
    });
    assert.equal(result.status, "pass");
    assert.match(evidenceAt(result, "package.json").note, /script "bench"/);
  });

  it("is open when a load-test tool is only declared", () => {
    const result = run("performance.load-testing", { "package.json": pkg({}, { devDependencies: { autocannon: "^7.15.0" } }) });
    assert.equal(result.status, "open");
    assert.match(result.note, /autocannon declared/);
  });

  it("fails without load tests", () => {
    const result = run("performance.load-testing", { "package.json": pkg(), "src/app.ts": EXPRESS_APP });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No load tests/);
  });
});

describe("operations.api-docs", () => {
  it("passes on an openapi.yaml file", () => {
    const result = run("operations.api-docs", {
      "package.json": pkg(),
      "docs/openapi.yaml": "# Public API\nopenapi: 3.1.0\ninfo:\n  title: API\n  version: 1.0.0\npaths: {}\n",
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /docs\/openapi\.yaml/);
    assert.equal(evidenceAt(result, "docs/openapi.yaml").line, 2);
  });

  it("passes on a spec found by content under api/", () => {
    const result = run("operations.api-docs", {
      "package.json": pkg(),
      "api/public.json": '{\n  "swagger": "2.0",\n  "info": { "title": "API", "version": "1" }\n}\n',
    });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "api/public.json").note, "Swagger 2 specification");
  });

  it("passes on NestJS SwaggerModule.setup", () => {
    const result = run("operations.api-docs", {
      "package.json": pkg({ "@nestjs/swagger": "^7.0.0" }),
      "src/main.ts": `import { NestFactory } from "@nestjs/core";
import { DocumentBuilder, SwaggerModule } from "@nestjs/swagger";
import { AppModule } from "./app.module";
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  SwaggerModule.setup("docs", app, SwaggerModule.createDocument(app, new DocumentBuilder().build()));
  await app.listen(3000);
}
bootstrap();
`,
    });
    assert.equal(result.status, "pass");
    evidenceAt(result, "src/main.ts", 6);
  });

  it("passes on @fastify/swagger", () => {
    const result = run("operations.api-docs", {
      "package.json": pkg({ fastify: "^4.0.0", "@fastify/swagger": "^8.0.0" }),
      "src/server.ts": `import Fastify from "fastify";\nimport swagger from "@fastify/swagger";\nconst app = Fastify();\napp.register(swagger, { openapi: { info: { title: "API", version: "1" } } });\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /@fastify\/swagger/);
    evidenceAt(result, "src/server.ts", 2);
  });

  it("is open when @nestjs/swagger decorators are used but no document is built", () => {
    const result = run("operations.api-docs", {
      "package.json": pkg({ "@nestjs/swagger": "^7.0.0" }),
      "src/users/user.dto.ts": `import { ApiProperty } from "@nestjs/swagger";\nexport class UserDto { @ApiProperty() email!: string; }\n`,
    });
    assert.equal(result.status, "open");
    assert.match(result.note, /never called/);
    evidenceAt(result, "src/users/user.dto.ts", 1);
  });

  it("fails without a spec or generator", () => {
    const result = run("operations.api-docs", { "package.json": pkg(), "src/app.ts": EXPRESS_APP, "config/settings.yaml": "port: 3000\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No OpenAPI\/Swagger/);
  });
});

describe("operations.runbooks", () => {
  it("passes on documents in docs/runbooks", () => {
    const result = run("operations.runbooks", {
      "package.json": pkg(),
      "docs/runbooks/database-failover.md": "# Database failover\n",
      "docs/runbooks/rotate-secrets.md": "# Rotate secrets\n",
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "2 runbook documents in docs/runbooks/");
    evidenceAt(result, "docs/runbooks/database-failover.md");
  });

  it("fails on a runbooks folder without documents", () => {
    const result = run("operations.runbooks", { "package.json": pkg(), "runbooks/.gitkeep": "" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /runbooks folder runbooks\/ has no documents/);
    evidenceAt(result, "runbooks/.gitkeep");
  });

  it("fails without runbooks (an Ansible playbooks folder is not one)", () => {
    const result = run("operations.runbooks", { "package.json": pkg(), "playbooks/deploy.yml": "- hosts: all\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No runbooks found/);
  });
});

describe("operations.feature-flags", () => {
  it("passes on the LaunchDarkly server SDK", () => {
    const result = run("operations.feature-flags", {
      "package.json": pkg({ "@launchdarkly/node-server-sdk": "^9.0.0" }),
      "src/flags.ts": `import { init } from "@launchdarkly/node-server-sdk";\nexport const flags = init(process.env.LD_SDK_KEY!);\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /@launchdarkly\/node-server-sdk/);
    evidenceAt(result, "src/flags.ts", 1);
  });

  it("passes on PostHog feature flag calls", () => {
    const result = run("operations.feature-flags", {
      "package.json": pkg({ "posthog-node": "^4.0.0" }),
      "src/analytics.ts": `import { PostHog } from "posthog-node";\nexport const posthog = new PostHog(process.env.POSTHOG_KEY!);\n`,
      "src/routes/checkout.ts": `import { posthog } from "../analytics";
export async function newCheckout(userId: string) {
  return posthog.isFeatureEnabled("new-checkout", userId);
}
`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /PostHog feature flags/);
    evidenceAt(result, "src/routes/checkout.ts", 3);
  });

  it("fails when PostHog is only used for events", () => {
    const result = run("operations.feature-flags", {
      "package.json": pkg({ "posthog-node": "^4.0.0" }),
      "src/analytics.ts": `import { PostHog } from "posthog-node";\nexport const posthog = new PostHog(process.env.POSTHOG_KEY!);\nposthog.capture({ distinctId: "1", event: "signup" });\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No feature-flag/);
  });

  it("is open when a flag SDK is only declared", () => {
    const result = run("operations.feature-flags", { "package.json": pkg({ "unleash-client": "^5.0.0" }) });
    assert.equal(result.status, "open");
    evidenceAt(result, "package.json", 6);
  });
});

describe("quality.lint-format", () => {
  it("passes on ESLint flat config and Prettier, naming both", () => {
    const result = run("quality.lint-format", {
      "package.json": pkg({}, { devDependencies: { eslint: "^9.0.0", prettier: "^3.0.0" } }),
      "eslint.config.js": "export default [];\n",
      ".prettierrc": '{ "singleQuote": true }\n',
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Linting/formatting set up: ESLint (eslint.config.js) and Prettier (.prettierrc)");
    evidenceAt(result, "eslint.config.js");
    evidenceAt(result, ".prettierrc");
  });

  it("passes on Biome", () => {
    const result = run("quality.lint-format", { "package.json": pkg(), "biome.json": '{ "linter": { "enabled": true } }\n' });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Biome \(biome\.json\)/);
  });

  it("passes on eslintConfig in package.json, with its line", () => {
    const result = run("quality.lint-format", { "package.json": pkg({}, { eslintConfig: { extends: "eslint:recommended" } }) });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "package.json").line, 7);
  });

  it("passes on Prettier run by a script with default settings", () => {
    const result = run("quality.lint-format", { "package.json": pkg({}, { devDependencies: { prettier: "^3.0.0" }, scripts: { format: "prettier --write ." } }) });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Prettier \(script "format", default settings\)/);
  });

  it("does not count configs of test fixtures", () => {
    const result = run("quality.lint-format", { "package.json": pkg(), "test/fixtures/project/.eslintrc.json": "{}\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No linter or formatter/);
  });

  it("is open when ESLint is declared without a config or script", () => {
    const result = run("quality.lint-format", { "package.json": pkg({}, { devDependencies: { eslint: "^9.0.0" } }) });
    assert.equal(result.status, "open");
    evidenceAt(result, "package.json");
  });
});

describe("quality.code-review", () => {
  it("passes on .github/CODEOWNERS (a dot folder the scanner lists)", () => {
    const result = run("quality.code-review", { "package.json": pkg(), ".github/CODEOWNERS": "# owners\n\n* @acme/backend\n" });
    assert.equal(result.status, "pass");
    assert.match(result.note, /\.github\/CODEOWNERS/);
    assert.equal(evidenceAt(result, ".github/CODEOWNERS").line, 3);
  });

  it("passes on a pull request template folder or GitLab MR template", () => {
    const github = run("quality.code-review", { "package.json": pkg(), ".github/PULL_REQUEST_TEMPLATE/feature.md": "## What\n" });
    assert.equal(github.status, "pass");
    assert.equal(evidenceAt(github, ".github/PULL_REQUEST_TEMPLATE/feature.md").note, "pull request template");
    const gitlab = run("quality.code-review", { "package.json": pkg(), ".gitlab/merge_request_templates/Default.md": "## What\n" });
    assert.equal(gitlab.status, "pass");
    assert.equal(evidenceAt(gitlab, ".gitlab/merge_request_templates/Default.md").note, "merge request template");
  });

  it("passes on a lower-case root pull_request_template.md", () => {
    const result = run("quality.code-review", { "package.json": pkg(), ".github/pull_request_template.md": "## Checklist\n" });
    assert.equal(result.status, "pass");
  });

  it("fails on a CODEOWNERS file without rules", () => {
    const result = run("quality.code-review", { "package.json": pkg(), "CODEOWNERS": "# TODO: add owners\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /CODEOWNERS has no ownership rules/);
    evidenceAt(result, "CODEOWNERS");
  });

  it("fails without CODEOWNERS or templates", () => {
    const result = run("quality.code-review", { "package.json": pkg(), ".github/workflows/ci.yml": "jobs: {}\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No CODEOWNERS/);
  });
});

describe("quality.architecture-docs", () => {
  it("passes on ARCHITECTURE.md in any case", () => {
    const result = run("quality.architecture-docs", { "package.json": pkg(), "docs/Architecture.md": "# Architecture\n" });
    assert.equal(result.status, "pass");
    evidenceAt(result, "docs/Architecture.md");
  });

  it("passes on numbered ADRs", () => {
    const result = run("quality.architecture-docs", {
      "package.json": pkg(),
      "docs/adr/0001-record-architecture-decisions.md": "# 1. Record decisions\n",
      "docs/adr/0002-use-postgres.md": "# 2. Use Postgres\n",
      "docs/adr/template.md": "# Title\n",
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /2 ADRs in docs\/adr\//);
    assert.equal(result.evidence.length, 2);
  });

  it("passes on a Structurizr workspace", () => {
    const result = run("quality.architecture-docs", { "package.json": pkg(), "docs/c4/workspace.dsl": "workspace {\n  model {}\n}\n" });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "docs/c4/workspace.dsl").line, 1);
  });

  it("fails without architecture docs", () => {
    const result = run("quality.architecture-docs", { "package.json": pkg(), "README.md": "# API\n", "docs/adr/template.md": "# Title\n" });
    assert.equal(result.status, "fail");
    assert.match(result.note, /No architecture documentation/);
  });
});

describe("quality.type-coverage", () => {
  const service = `import express from "express";
const app = express();
export function total(items: { price: number }[]): number {
  return items.reduce((sum, item) => sum + item.price, 0);
}
app.get("/health", (_req, res) => res.json({ ok: true }));
app.listen(3000);
`;

  it("passes with strict on and few explicit any, reporting the rate", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "tsconfig.json": `{
  // JSONC: comments and trailing commas
  "compilerOptions": {
    "target": "ES2022",
    "strict": true,
  },
}
`,
      "src/app.ts": service,
      "src/util.ts": "export const parse = (text: string) => JSON.parse(text) as unknown;\n".repeat(1) + "// the word any: in a comment is not counted\n".repeat(3) + 'const label = "x: any";\n' + "export const value = 1;\n".repeat(95),
      "test/app.test.ts": "const loose: any = 1;\nconst more = loose as any;\n",
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "strict on; 0 explicit `any` in 107 lines (0.00 per 100 lines)");
    assert.equal(evidenceAt(result, "tsconfig.json").line, 5);
  });

  it("follows extends to a base config and reports any rate", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "tsconfig.base.json": '{ "compilerOptions": { "strict": true } }\n',
      "packages/api/tsconfig.json": '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "outDir": "dist" } }\n',
      "packages/api/src/app.ts": service + "export function log(value: any): void {\n  console.log(value as any);\n}\n",
    });
    assert.equal(result.status, "fail", result.note);
    assert.equal(result.note, "strict on; 2 explicit `any` in 10 lines (20.00 per 100 lines): above 1 per 100 lines");
    evidenceAt(result, "packages/api/src/app.ts", 8);
    assert.equal(evidenceAt(result, "tsconfig.base.json").note, "strict: true (from tsconfig.base.json)");
  });

  it("formats large counts: 1 any in 1,200 lines is below the threshold", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "tsconfig.json": '{ "compilerOptions": { "strict": true } }\n',
      "src/big.ts": "export const a = 1;\n".repeat(1199) + "export const b = JSON.parse('{}') as any;\n",
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "strict on; 1 explicit `any` in 1,200 lines (0.08 per 100 lines)");
    evidenceAt(result, "src/big.ts", 1200);
  });

  it("fails when strict is missing, naming the tsconfig", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "tsconfig.json": '{ "compilerOptions": { "target": "ES2022" } }\n',
      "src/app.ts": service,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^strict off in tsconfig\.json \(strict not set\); 0 explicit `any` in 7 lines/);
    evidenceAt(result, "tsconfig.json");
  });

  it("fails when strict: false is inherited, pointing at the base config's line", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "tsconfig.base.json": '{\n  "compilerOptions": {\n    "strict": false\n  }\n}\n',
      "tsconfig.json": '{ "extends": "./tsconfig.base.json" }\n',
      "src/app.ts": service,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^strict off in tsconfig\.json \(strict: false\)/);
    assert.equal(evidenceAt(result, "tsconfig.base.json", 3).note, "strict: false (from tsconfig.base.json)");
  });

  it("fails on TypeScript without any tsconfig.json", () => {
    const result = run("quality.type-coverage", { "package.json": pkg(), "src/app.ts": service });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^TypeScript without a tsconfig\.json/);
    evidenceAt(result, "src/app.ts");
  });

  it("fails when strict is undone by noImplicitAny: false", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "tsconfig.json": '{ "compilerOptions": { "strict": true, "noImplicitAny": false } }\n',
      "src/app.ts": service,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /noImplicitAny: false/);
  });

  it("follows solution-style references", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "tsconfig.json": '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }] }\n',
      "tsconfig.app.json": '{ "compilerOptions": { "strict": false } }\n',
      "src/app.ts": service,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /strict off in tsconfig\.app\.json \(strict: false\)/);
    assert.equal(evidenceAt(result, "tsconfig.app.json").line, 1);
  });

  it("fails on JavaScript without type checking", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "src/app.js": `const express = require("express");\nconst app = express();\napp.listen(3000);\n`,
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /^JavaScript without type checking/);
    evidenceAt(result, "src/app.js");
  });

  it("passes on JavaScript with checkJs in jsconfig.json", () => {
    const result = run("quality.type-coverage", {
      "package.json": pkg(),
      "jsconfig.json": '{\n  "compilerOptions": {\n    "checkJs": true,\n    "strict": true\n  }\n}\n',
      "src/app.js": `const express = require("express");\nexpress().listen(3000);\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /checkJs and strict in jsconfig\.json/);
    assert.equal(evidenceAt(result, "jsconfig.json").line, 3);
  });

  it("counts explicit any but not comments, strings or words containing any", () => {
    const counted = countExplicitAny(`let a: any;
const b = c as any;
const d: Array<any> = [];
const e: Record<string, any> = {};
const f: any[] = [];
// x: any
const g = "y: any";
const company: Company = anything;
`);
    assert.equal(counted.count, 5);
    assert.equal(counted.firstLine, 1);
    assert.equal(counted.lines, 8);
  });
});
