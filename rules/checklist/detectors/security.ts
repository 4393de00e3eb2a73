/** Evidence detectors for the critical Security items. */
import { type Detector, type Evidence, type EvidenceContext, fail, filesMatching, importSites, open, pass, signalSites } from "../evidence";
import {
  appContext,
  declaredNames,
  declaredSites,
  dedupe,
  describe,
  filesImporting,
  HTTP_FRAMEWORKS,
  importers,
  importsAny,
  lineAt,
  listNames,
  matchesIn,
  matchIn,
  modulesListed,
  scriptSites,
  summary,
  textSites,
} from "./support";

// ---------------------------------------------------------------------------------------------
// security.hardcoded-mfa

const TOTP_LIBRARIES = ["otplib", "@otplib", "speakeasy", "@levminer/speakeasy", "otpauth", "node-2fa", "@epic-web/totp", "totp-generator", "notp"];

const hardcodedMfa: Detector = (context) => {
  const used = dedupe([...importSites(appContext(context), TOTP_LIBRARIES), ...signalSites(context, "security.hardcoded-mfa:totp-library")]);
  if (used.length > 0) return pass(`TOTP library in use: ${summary(used)}`, used);
  const declared = declaredSites(context, TOTP_LIBRARIES);
  if (declared.length > 0) {
    return open(`${listNames(declaredNames(context, TOTP_LIBRARIES))} declared in package.json but not imported by the application; if the product has MFA, implement TOTP with it`, declared);
  }
  return open("no TOTP library found; if the product has MFA, implement TOTP");
};

// ---------------------------------------------------------------------------------------------
// security.rate-limit-redis

const RATE_LIMITERS = [
  "express-rate-limit", "@fastify/rate-limit", "fastify-rate-limit", "@nestjs/throttler", "koa-ratelimit", "koa2-ratelimit", "rate-limiter-flexible",
  "express-slow-down", "express-brute", "hono-rate-limiter", "@upstash/ratelimit", "@hapi/hapi-rate-limit", "hapi-rate-limit",
];

/** Stores that keep the counters outside the process. */
const SHARED_RATE_LIMIT_STORES = [
  "rate-limit-redis", "@upstash/ratelimit", "rate-limit-memcached", "rate-limit-mongo", "@acpr/rate-limit-postgresql", "rate-limit-postgresql",
  "@nest-lab/throttler-storage-redis", "nestjs-throttler-storage-redis", "@hono-rate-limiter/redis", "express-brute-redis", "express-brute-mongo",
];

/** Per limiter: what in a file that imports it shows a shared store. */
const SHARED_STORE_TEXT: { modules: string[]; pattern: RegExp; note: (match: RegExpExecArray) => string }[] = [
  {
    modules: ["rate-limiter-flexible"],
    pattern: /\bnew\s+RateLimiter(Redis|Memcache|Mongo|Postgres|MySQL|DynamoDB|Prisma|Drizzle|Etcd|Valkey|ValkeyGlide|Sequelize|Knex)\b/,
    note: (match) => `rate-limiter-flexible with ${match[0].replace(/^new\s+/, "")}`,
  },
  { modules: ["@fastify/rate-limit", "fastify-rate-limit"], pattern: /\b(redis|store)\s*[:,}]/, note: (match) => `@fastify/rate-limit with a ${match[1]} option` },
  { modules: ["@nestjs/throttler"], pattern: /\bstorage\s*:|ThrottlerStorageRedis/, note: () => "@nestjs/throttler with a shared storage" },
  {
    modules: ["express-rate-limit", "express-slow-down", "hono-rate-limiter"],
    pattern: /\bstore\s*:\s*new\s+(?!(?:\w+\.)*\w*Memory\w*\b)([\w.]+)/,
    note: (match) => `rate limiter with store ${match[1]}`,
  },
];

const rateLimitRedis: Detector = (context) => {
  const app = appContext(context);
  const shared = importSites(app, SHARED_RATE_LIMIT_STORES);
  for (const { modules, pattern, note } of SHARED_STORE_TEXT) {
    shared.push(...textSites(context, filesImporting(app, modules), pattern, note));
  }
  shared.push(...signalSites(context, "security.rate-limit-redis:shared-store"));
  // koa-ratelimit's driver is Redis unless it says `driver: "memory"`.
  if (shared.length === 0) {
    for (const analysis of importers(app, ["koa-ratelimit"])) {
      if (matchIn(context, analysis.file, /\bdriver\s*:\s*['"`]memory['"`]/)) continue;
      shared.push({ file: analysis.file, line: analysis.imports.find(({ module }) => module === "koa-ratelimit")?.line, note: "koa-ratelimit with its Redis driver" });
    }
  }
  if (shared.length > 0) return pass(`Rate limiting with a shared store: ${summary(shared)}`, dedupe(shared));
  const imported = importSites(app, RATE_LIMITERS);
  const limiters = dedupe([...imported, ...signalSites(context, "security.rate-limit-redis:rate-limiter")]);
  if (limiters.length > 0) {
    return fail(`Rate limiting found (${summary(imported.length > 0 ? imported : limiters)}) but it keeps its counters in process memory: no Redis or other shared store`, limiters);
  }
  return fail("no rate limiting found");
};

// ---------------------------------------------------------------------------------------------
// security.session-store

/** Session middleware whose default store is process memory. */
const SERVER_SESSIONS = ["express-session", "@fastify/session", "fastify-session", "koa-generic-session", "@hapi/yar"];
/** Sessions kept in a signed or encrypted cookie: nothing on the server. */
const COOKIE_SESSIONS = ["cookie-session", "@fastify/secure-session", "fastify-secure-session", "koa-session", "iron-session", "@hapi/cookie"];
const SESSION_STORES = [
  "connect-redis", "connect-pg-simple", "connect-mongo", "connect-mongodb-session", "@quixo3/prisma-session-store", "connect-session-sequelize",
  "connect-typeorm", "express-mysql-session", "connect-session-knex", "connect-memcached", "connect-dynamodb", "@google-cloud/connect-firestore",
  "connect-mssql-v2", "koa-redis", "@mgcrea/fastify-session-redis-store", "fastify-session-redis-store", "@mgcrea/fastify-session-prisma-store",
];
/** Token-based authentication. */
const TOKEN_AUTH = [
  "jsonwebtoken", "jose", "passport-jwt", "@nestjs/jwt", "@fastify/jwt", "express-jwt", "express-oauth2-jwt-bearer", "koa-jwt", "jwks-rsa",
  "aws-jwt-verify", "fast-jwt", "passport-http-bearer",
];

const sessionStore: Detector = (context) => {
  const app = appContext(context);
  const sessions = importSites(app, SERVER_SESSIONS);
  const sessionFiles = filesImporting(app, SERVER_SESSIONS);
  const external = dedupe([
    ...importSites(app, SESSION_STORES),
    ...textSites(context, sessionFiles, /\bstore\s*[:,}](?![^\n]*\bMemoryStore\b)/, "session middleware configured with a store"),
    ...signalSites(context, "security.session-store:external-store"),
  ]);
  if (external.length > 0) return pass(`Sessions are kept in an external store: ${summary(external)}`, external);
  // Server-side session middleware without a store: the rule decides (it fails MemoryStore); this cannot tell more.
  if (sessions.length > 0) {
    return open(`${modulesListed(sessions)} in use but no external session store found (connect-redis, connect-pg-simple, connect-mongo…)`, sessions);
  }
  const cookie = dedupe([...importSites(app, COOKIE_SESSIONS), ...signalSites(context, "security.session-store:cookie-session")]);
  if (cookie.length > 0) return pass(`Cookie-backed sessions (${summary(cookie)}): nothing is stored in server memory`, cookie);
  const tokens = importSites(app, TOKEN_AUTH);
  if (tokens.length > 0) return pass("no server-side sessions (token-based auth)", tokens);
  return open("no sessions and no authentication library found");
};

// ---------------------------------------------------------------------------------------------
// security.secrets-management

const SECRET_MANAGERS = [
  "@aws-sdk/client-secrets-manager", "@aws-sdk/client-ssm", "@google-cloud/secret-manager", "@azure/keyvault-secrets", "node-vault", "hashi-vault-js",
  "@infisical/sdk", "@dopplerhq/node-sdk", "@1password/sdk", "@aws-lambda-powertools/parameters", "@hashicorp/vault-client",
];
/** CLIs that inject secrets into the process they start. */
const SECRETS_CLI = /\b(?:doppler\s+run|infisical\s+run|op\s+run|chamber\s+exec|envconsul|sops\s+exec-env|teller\s+run|vault\s+kv\s+get)\b/;
/** Config files of secrets tools (`doppler setup`, `infisical init`). */
const SECRETS_CONFIG = /(?:^|\/)(?:doppler\.ya?ml|\.infisical\.json|\.sops\.ya?ml|\.teller\.yml)$/;
const DOTENV = ["dotenv", "dotenv-flow", "dotenv-safe", "@dotenvx/dotenvx", "dotenv-expand", "env-cmd", "@nestjs/config"];

const secretsManagement: Detector = (context) => {
  const app = appContext(context);
  const managers = dedupe([...importSites(app, SECRET_MANAGERS), ...signalSites(context, "security.secrets-management:secret-manager")]);
  const awsSdk = filesImporting(app, ["aws-sdk"]);
  managers.push(...textSites(context, awsSdk, /\bSecretsManager\b/, "aws-sdk SecretsManager client"));
  if (managers.length > 0) return pass(`Secrets manager client in use: ${summary(managers)}`, managers);
  const cli = scriptSites(context, SECRETS_CLI, (name, command) => `script "${name}" runs ${SECRETS_CLI.exec(command)![0]}`);
  if (cli.length > 0) return pass(`Secrets injected by a secrets manager CLI (${SECRETS_CLI.exec(cli[0].note)![0]})`, cli);
  const config = filesMatching(context, SECRETS_CONFIG).map((file) => ({ file, note: "secrets manager configuration" }));
  if (config.length > 0) return pass(`Secrets manager configured (${config.map((site) => site.file).join(", ")})`, config);
  const dotenv = [...importSites(app, DOTENV), ...scriptSites(context, /\b(?:dotenv|dotenvx|env-cmd)\b|--env-file/, (name) => `script "${name}" loads a .env file`)];
  if (dotenv.length > 0) return open("environment variables via dotenv; no secrets manager found", dotenv);
  return open("no secrets manager found");
};

// ---------------------------------------------------------------------------------------------
// security.input-validation

const VALIDATORS = [
  "zod", "joi", "@hapi/joi", "yup", "valibot", "class-validator", "ajv", "express-validator", "celebrate", "@sinclair/typebox", "superstruct",
  "io-ts", "runtypes", "arktype", "@vinejs/vine", "fastest-validator", "@hono/zod-validator", "@hono/valibot-validator", "nestjs-zod", "typia",
  "@effect/schema", "@fastify/type-provider-typebox", "fastify-type-provider-zod", "express-zod-api", "zod-express-middleware", "@conform-to/zod",
];

const inputValidation: Detector = (context) => {
  const app = appContext(context);
  const validators = dedupe([...importSites(app, VALIDATORS), ...signalSites(context, "security.input-validation:validator")]);
  if (validators.length > 0) return pass(`Input validation library in use: ${summary(validators)}`, validators);
  const fastifyFiles = filesImporting(app, ["fastify"]);
  const schemas = textSites(context, fastifyFiles, /\bschema\s*:\s*\{\s*(?:body|querystring|params|headers)\b/, "Fastify route schema");
  if (schemas.length > 0) return pass("Fastify route schemas validate the input", schemas);
  const frameworks = importSites(app, HTTP_FRAMEWORKS);
  const declared = declaredSites(context, VALIDATORS);
  const unused = declared.length > 0 ? ` (${listNames(declaredNames(context, VALIDATORS))} declared in package.json but never imported)` : "";
  if (frameworks.length > 0) {
    const routes = frameworks.slice(0, 1).map((site) => ({ ...site, note: `HTTP routes (${describe(site)}) without a validation library` }));
    return fail(`no input validation library found${unused}`, [...routes, ...declared]);
  }
  return open(`no HTTP framework and no validation library found${unused}`, declared);
};

// ---------------------------------------------------------------------------------------------
// security.csrf

const CSRF_MODULES = [
  "csurf", "@dr.pogodin/csurf", "csrf-csrf", "csrf-sync", "csrf", "@fastify/csrf-protection", "fastify-csrf", "koa-csrf", "tiny-csrf",
  "@edge-csrf/express", "@edge-csrf/node", "@edge-csrf/core", "@edge-csrf/nextjs",
];
const COOKIE_LIBRARIES = ["cookie-parser", "@fastify/cookie", "fastify-cookie", "cookie"];
const AUTH_COOKIE_NAME = /session|sess\b|sid|token|auth|jwt|access|refresh|remember|login/i;
const COOKIE_WRITE = /\.(?:cookie|setCookie)\(\s*['"`]([^'"`]+)['"`]|\bcookies\.set\(\s*['"`]([^'"`]+)['"`]/;

const csrf: Detector = (context) => {
  const app = appContext(context);
  const protection = dedupe([...importSites(app, CSRF_MODULES), ...signalSites(context, "security.csrf:protection")]);
  const lusca = filesImporting(app, ["lusca"]);
  protection.push(...textSites(context, lusca, /\bcsrf\b/, "lusca CSRF protection"));
  if (protection.length > 0) return pass(`CSRF protection in use: ${summary(protection)}`, dedupe(protection));

  const sessionFiles = filesImporting(app, [...SERVER_SESSIONS, ...COOKIE_SESSIONS]);
  const strict = [
    ...textSites(context, sessionFiles, /\bsameSite\s*:\s*(?:['"`]strict['"`]|true\b)/i, 'session cookie with sameSite: "strict"'),
    ...signalSites(context, "security.csrf:same-site-strict"),
  ];
  if (strict.length > 0) return pass('Session cookie set with sameSite: "strict": browsers do not send it on cross-site requests', dedupe(strict));

  const cookieAuth = dedupe([...importSites(app, [...SERVER_SESSIONS, ...COOKIE_SESSIONS]), ...signalSites(context, "security.csrf:auth-cookie")]);
  if (cookieAuth.length === 0) {
    const files = filesImporting(app, [...HTTP_FRAMEWORKS, ...COOKIE_LIBRARIES]);
    for (const file of files) {
      for (const { match, line } of matchesIn(context, file, COOKIE_WRITE)) {
        const name = match[1] ?? match[2];
        if (AUTH_COOKIE_NAME.test(name) && !/csrf|xsrf/i.test(name)) cookieAuth.push({ file, line, note: `sets auth cookie "${name}"` });
      }
    }
  }
  if (cookieAuth.length > 0) {
    return fail(`Cookie-based auth (${summary(cookieAuth, 2)}) without CSRF protection: add CSRF tokens (csrf-csrf, csurf) or sameSite: "strict"`, cookieAuth);
  }
  return pass("no cookie-based auth: CSRF does not apply", importSites(app, TOKEN_AUTH));
};

// ---------------------------------------------------------------------------------------------
// security.security-txt

const SECURITY_TXT = /(?:^|\/)\.well-known\/security\.txt$/;

interface Field {
  value: string;
  line: number;
}

/** `Contact:` and `Expires:` of a security.txt (field names are case-insensitive), or of a source that inlines one. */
function securityTxtFields(text: string, inline: boolean): { contact?: Field; expires?: Field } {
  const field = (name: string): Field | undefined => {
    const pattern = inline ? new RegExp(`(?<=^|[^A-Za-z-]|\\\\[nr])${name}:[ \\t]*([^\\s'"\`\\\\]+)`, "im") : new RegExp(`^[ \\t]*${name}[ \\t]*:[ \\t]*(\\S[^\\r\\n]*?)[ \\t]*\\r?$`, "im");
    const match = pattern.exec(text);
    return match ? { value: match[1], line: lineAt(text, match.index) } : undefined;
  };
  return { contact: field("Contact"), expires: field("Expires") };
}

/** Checks a security.txt (RFC 9116): Contact present, Expires present and in the future. */
function checkSecurityTxt(file: string, fields: { contact?: Field; expires?: Field }, now: Date): { ok: boolean; note: string; line?: number } {
  const { contact, expires } = fields;
  if (!contact) return { ok: false, note: `${file} has no Contact: field` };
  if (!expires) return { ok: false, note: `${file} has no Expires: field (required by RFC 9116)` };
  const date = new Date(expires.value);
  if (Number.isNaN(date.getTime())) return { ok: false, note: `${file}: Expires: "${expires.value}" is not a date (RFC 3339 expected)`, line: expires.line };
  const day = date.toISOString().slice(0, 10);
  if (date.getTime() <= now.getTime()) return { ok: false, note: `${file} expired on ${day} (Expires:)`, line: expires.line };
  return { ok: true, note: `Contact ${contact.value}, expires ${day}`, line: contact.line };
}

const securityTxt: Detector = (context) => {
  const files = filesMatching(context, SECURITY_TXT);
  if (files.length > 0) {
    const checks = files.map((file) => ({ file, ...checkSecurityTxt(file, securityTxtFields(context.read(file) ?? "", false), context.now) }));
    const evidence = checks.map(({ file, line, ok, note }) => ({ file, line, note: ok ? `security.txt: ${note}` : note }));
    const bad = checks.find((check) => !check.ok);
    if (bad) return fail(bad.note, evidence);
    return pass(checks.length === 1 ? `${checks[0].file} found: ${checks[0].note}` : `${checks.length} security.txt files found, all with Contact and a future Expires`, evidence);
  }
  const app = appContext(context);
  const serving = filesImporting(app, HTTP_FRAMEWORKS);
  const routes = textSites(context, serving, /['"`](?:\/\.well-known)?\/security\.txt['"`]/, "serves /.well-known/security.txt");
  if (routes.length > 0) {
    const route = routes[0];
    const fields = securityTxtFields(context.read(route.file!) ?? "", true);
    if (!fields.contact && !fields.expires) return pass("A route serves /.well-known/security.txt (its content is built elsewhere and was not checked)", routes);
    const check = checkSecurityTxt(route.file!, fields, context.now);
    const evidence = [route, ...(check.line ? [{ file: route.file, line: check.line, note: check.ok ? `security.txt: ${check.note}` : check.note }] : [])];
    if (!check.ok) return fail(check.note, evidence);
    return pass(`A route serves /.well-known/security.txt: ${check.note}`, evidence);
  }
  return fail("no security.txt found (.well-known/security.txt with Contact: and Expires:, RFC 9116)");
};

// ---------------------------------------------------------------------------------------------
// security.hsts and security.security-headers

const HELMETS = ["helmet", "@fastify/helmet", "fastify-helmet", "koa-helmet", "hono/secure-headers"];
const HSTS_MIN_AGE = 15552000;
/** Hosting configs that may set response headers. */
const HEADER_CONFIGS = /(?:^|\/)(?:vercel\.json|netlify\.toml|_headers|firebase\.json|staticwebapp\.config\.json|Caddyfile|nginx[^/]*\.conf|[^/]*\.nginx|nginx\/[^/]+\.conf|next\.config\.[cm]?[jt]s)$/;

/** Sources likely to set headers, by name, when they import no framework (a plain `(req, res, next)` middleware). */
const HEADER_SOURCE_NAME = /(?:header|security|secure|middleware|server|app|main|index|hsts)[^/]*$/i;

/**
 * Files a header may be set in: hosting configs, then the application's sources that import a
 * server framework or are named like middleware (read only when helmet is absent).
 */
function headerFiles(context: EvidenceContext): string[] {
  const sources = appContext(context).analyses.filter((analysis) => HEADER_SOURCE_NAME.test(analysis.file) || importsAny(analysis, HTTP_FRAMEWORKS));
  return [...filesMatching(context, HEADER_CONFIGS), ...sources.map((analysis) => analysis.file)];
}

const hsts: Detector = (context) => {
  const enabled = signalSites(context, "security.hsts:enabled");
  const app = appContext(context);
  const helmetFiles = filesImporting(app, HELMETS);
  const disabled = textSites(context, helmetFiles, /\b(?:hsts|strictTransportSecurity)\s*:\s*false\b/, "helmet with HSTS disabled");
  const short = helmetFiles.flatMap((file) => {
    const found = matchIn(context, file, /\b(?:hsts|strictTransportSecurity)\s*:\s*\{[^}]*?\bmaxAge\s*:\s*([\d_]+)\b/);
    const age = found && Number(found.match[1].replace(/_/g, ""));
    return found && age !== undefined && age < HSTS_MIN_AGE ? [{ file, line: found.line, note: `helmet HSTS maxAge ${age} s` }] : [];
  });
  const helmet = importSites(app, HELMETS).filter((site) => !disabled.some((off) => off.file === site.file) && !short.some((off) => off.file === site.file));
  if (helmet.length > 0) {
    const evidence = helmet.map((site) => ({ ...site, note: `${describe(site)}: default HSTS` }));
    if (helmet.every((site) => /helmet/.test(site.note))) return pass("helmet's default HSTS (Strict-Transport-Security)", dedupe([...evidence, ...enabled]));
    return pass(`default HSTS of ${summary(helmet)} (Strict-Transport-Security)`, dedupe([...evidence, ...enabled]));
  }

  const headers: Evidence[] = [];
  const weak: Evidence[] = [];
  for (const file of headerFiles(context)) {
    const found = matchIn(context, file, /Strict-Transport-Security[\s\S]{0,120}?max-age\s*=\s*(\d+)/i);
    if (!found) continue;
    const age = Number(found.match[1]);
    (age >= HSTS_MIN_AGE ? headers : weak).push({ file, line: found.line, note: `Strict-Transport-Security max-age=${age}` });
  }
  if (headers.length > 0) return pass(`Strict-Transport-Security header set (max-age=${headers[0].note.split("=")[1]})`, dedupe([...headers, ...enabled]));
  // The rule knows HSTS is on in ways text does not show (an options object it resolved, an environment guard).
  if (enabled.length > 0) return pass(`HSTS enabled (${summary(enabled)})`, enabled);
  const problems = [...disabled, ...short, ...weak];
  if (weak.length > 0 || short.length > 0) {
    const age = [...short, ...weak][0];
    return fail(`HSTS max-age is too short (${age.note}): use at least ${HSTS_MIN_AGE} s (180 days)`, problems);
  }
  if (disabled.length > 0) return fail("helmet is registered with HSTS disabled (hsts: false)", disabled);
  return fail("no HSTS found (helmet or a Strict-Transport-Security header); if TLS ends at a proxy or CDN that sets it, mark this done", []);
};

const SECURITY_HEADERS = ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Strict-Transport-Security", "Referrer-Policy", "Permissions-Policy"];

const securityHeaders: Detector = (context) => {
  const app = appContext(context);
  const signalled = signalSites(context, "security.security-headers:helmet");
  // The rule says `helmet.hsts only` when just one of helmet's middlewares is registered.
  const complete = signalled.filter((site) => !/ only$/.test(site.note));
  const imported = importSites(app, HELMETS);
  if (complete.length > 0 || (signalled.length === 0 && imported.length > 0)) {
    const evidence = dedupe([...imported, ...complete]);
    return pass(`Security headers set by ${summary(imported.length > 0 ? imported : complete)}`, evidence);
  }
  const manual = new Map<string, Evidence>();
  for (const site of signalSites(context, "security.security-headers:manual")) {
    const name = SECURITY_HEADERS.find((header) => header.toLowerCase() === site.note.toLowerCase()) ?? site.note;
    if (!manual.has(name)) manual.set(name, site);
  }
  if (manual.size === 0) {
    let best: { file: string; names: string[]; sites: Evidence[] } | undefined;
    for (const file of headerFiles(context)) {
      const text = context.read(file);
      if (text === undefined || !/X-Content-Type-Options|Content-Security-Policy|X-Frame-Options/i.test(text)) continue;
      const sites = SECURITY_HEADERS.flatMap((name) => {
        const found = matchIn(context, file, new RegExp(name, "i"));
        return found ? [{ file, line: found.line, note: name }] : [];
      });
      if (!best || sites.length > best.sites.length) best = { file, names: sites.map((site) => site.note), sites };
    }
    for (const site of best?.sites ?? []) manual.set(site.note, site);
  }
  const names = [...manual.keys()];
  const evidence = [...manual.values()].map((site) => ({ ...site, note: `sets ${site.note}` }));
  // By hand, the set is complete enough with a CSP, nosniff and at least two more of the usual headers.
  if (names.includes("Content-Security-Policy") && names.includes("X-Content-Type-Options") && names.length >= 4) {
    return pass(`Security headers set manually: ${listNames(names)}`, [...evidence, ...signalled]);
  }
  if (names.length > 0 || signalled.length > 0) {
    const set = [...names, ...signalled.map((site) => describe(site).replace(/ only$/, ""))];
    const missing = names.length > 0 ? ` (missing ${listNames(SECURITY_HEADERS.filter((name) => !names.includes(name)))})` : "";
    return fail(`Only ${listNames(set)} set${missing}: use helmet for a complete set of security headers`, [...evidence, ...signalled]);
  }
  const declared = declaredSites(context, HELMETS);
  if (declared.length > 0) return fail(`${listNames(declaredNames(context, HELMETS))} declared in package.json but never registered`, declared);
  return fail("no security headers middleware found (helmet, @fastify/helmet, koa-helmet)");
};

export const securityDetectors: Record<string, Detector> = {
  "security.hardcoded-mfa": hardcodedMfa,
  "security.rate-limit-redis": rateLimitRedis,
  "security.session-store": sessionStore,
  "security.secrets-management": secretsManagement,
  "security.input-validation": inputValidation,
  "security.csrf": csrf,
  "security.security-txt": securityTxt,
  "security.hsts": hsts,
  "security.security-headers": securityHeaders,
};
