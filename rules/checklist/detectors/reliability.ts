/** Evidence detectors for the critical Reliability items. */
import type { FileAnalysis } from "../../engine";
import { type Detector, type Evidence, type EvidenceContext, fail, importSites, open, pass, signalSites } from "../evidence";
import {
  agentSites,
  appContext,
  callName,
  dedupe,
  declaredNames,
  declaredSites,
  describe,
  ERROR_TRACKERS,
  filesImporting,
  HTTP_FRAMEWORKS,
  importers,
  importsAny,
  listNames,
  matchesIn,
  matchIn,
  moduleMatches,
  modulesListed,
  notApplicable,
  paymentProviderSites,
  PAYMENT_PROVIDERS,
  SELF_STARTING_TRACKERS,
  summary,
  textSites,
} from "./support";

/** The line a file imports a module on (or one of its subpaths). */
function importLine(analysis: FileAnalysis, modules: readonly string[]): number | undefined {
  return analysis.imports.find(({ module }) => moduleMatches(module, modules))?.line;
}

// ---------------------------------------------------------------------------------------------
// reliability.structured-logging

const LOGGERS = [
  "pino", "pino-http", "nestjs-pino", "winston", "express-winston", "nest-winston", "bunyan", "log4js", "consola", "roarr", "tslog",
  "@aws-lambda-powertools/logger", "@google-cloud/logging-winston", "@google-cloud/logging-bunyan", "loglayer", "@logtape/logtape", "hono-pino", "koa-pino-logger",
];

const structuredLogging: Detector = (context) => {
  const app = appContext(context);
  const loggers = signalSites(context, "reliability.structured-logging:logger");
  const imported = importSites(app, LOGGERS);
  if (loggers.length > 0 || imported.length > 0) {
    return pass(`Structured logger in use${imported.length > 0 ? `: ${modulesListed(imported)}` : ""}`, dedupe([...loggers, ...imported]));
  }
  const nestFiles = filesImporting(app, ["@nestjs/common"]);
  const nest = textSites(context, nestFiles, /import\s*\{[^}]*\bLogger\b[^}]*\}\s*from\s*['"]@nestjs\/common['"]/, "imports Logger from @nestjs/common");
  if (nest.length > 0) return pass("NestJS Logger in use", nest);
  const fastifyFiles = filesImporting(app, ["fastify"]);
  const fastify = textSites(context, fastifyFiles, /\blogger(?:Instance)?\s*:\s*(?!false\b)[^\s,}]/, "Fastify's built-in pino logger enabled");
  if (fastify.length > 0) return pass("Fastify's built-in pino logger is enabled", fastify);
  const declared = declaredSites(context, LOGGERS);
  if (declared.length > 0) return fail(`no structured logger found: ${listNames(declaredNames(context, LOGGERS))} declared in package.json but never imported`, declared);
  return fail("no structured logger found");
};

// ---------------------------------------------------------------------------------------------
// reliability.error-tracking

const TRACKER_PACKAGES = ERROR_TRACKERS.flatMap((tracker) => tracker.modules);

const errorTracking: Detector = (context) => {
  const signalled = signalSites(context, "reliability.error-tracking:tracker");
  const { started, importedOnly } = agentSites(context, ERROR_TRACKERS, SELF_STARTING_TRACKERS, "error tracking");
  if (signalled.length > 0 || started.length > 0) {
    const labels = ERROR_TRACKERS.filter((tracker) => started.some((site) => site.note.includes(tracker.label) || tracker.modules.some((name) => site.note.includes(name)))).map(
      (tracker) => tracker.label,
    );
    return pass(`Error tracking initialised${labels.length > 0 ? `: ${listNames(labels)}` : ""}`, dedupe([...started, ...signalled]));
  }
  if (importedOnly.length > 0) return fail(`${listNames(importedOnly.map(moduleOfNote))} imported but never initialised: errors are not reported`, importedOnly);
  const declared = declaredSites(context, TRACKER_PACKAGES);
  if (declared.length > 0) return fail(`${listNames(declaredNames(context, TRACKER_PACKAGES))} declared in package.json but never imported or initialised`, declared);
  return fail("no error tracking found (Sentry, Datadog, Rollbar, Bugsnag…)");
};

function moduleOfNote(evidence: Evidence): string {
  return describe(evidence).replace(/ but .*$/, "");
}

// ---------------------------------------------------------------------------------------------
// reliability.connection-pooling

interface DatabaseLibrary {
  modules: string[];
  label: string;
  /** What shows a pool in a file that imports the library. */
  pooled?: RegExp;
  /** What shows a single connection without a pool. */
  unpooled?: RegExp;
  /** The library pools by itself: why. */
  poolsByDefault?: string;
  /** Embedded database: no connections to pool. */
  embedded?: boolean;
}

const DATABASES: readonly DatabaseLibrary[] = [
  { modules: ["pg", "pg-pool"], label: "pg", pooled: /\bnew\s+(?:\w+\.)?Pool\s*\(|\bPool\s*\(/, unpooled: /\bnew\s+(?:\w+\.)?Client\s*\(/ },
  { modules: ["mysql", "mysql2"], label: "mysql", pooled: /\bcreatePool(?:Cluster)?\s*\(/, unpooled: /\bcreateConnection\s*\(/ },
  { modules: ["mariadb"], label: "mariadb", pooled: /\bcreatePool(?:Cluster)?\s*\(/, unpooled: /\bcreateConnection\s*\(/ },
  { modules: ["oracledb"], label: "oracledb", pooled: /\bcreatePool\s*\(/, unpooled: /\bgetConnection\s*\(/ },
  { modules: ["tedious"], label: "tedious", unpooled: /\bnew\s+(?:\w+\.)?Connection\s*\(/ },
  // One PrismaClient per process (module level, or a Nest provider extending it) shares its pool.
  {
    modules: ["@prisma/client"],
    label: "Prisma",
    pooled: new RegExp(
      [
        String.raw`^(?:export\s+)?(?:const|let|var)\b[^\n]*\bnew\s+PrismaClient\b`,
        String.raw`^(?:export\s+default|module\.exports\s*=|exports\.\w+\s*=)\s*new\s+PrismaClient\b`,
        String.raw`\b(?:global|globalThis|globalFor\w*)(?:\.\w+|\[[^\]\n]+\])+\s*(?:=|\?\?=|\|\|=)\s*new\s+PrismaClient\b`,
        String.raw`(?:\?\?|\|\|)\s*new\s+PrismaClient\b`,
        String.raw`^let\s+(\w+)\b[\s\S]*^\s+\1\s*=\s*new\s+PrismaClient\b`,
        String.raw`\bextends\s+PrismaClient\b`,
      ].join("|"),
      "m",
    ),
    unpooled: /^[ \t]+[^\n]*\bnew\s+PrismaClient\b/m,
  },
  { modules: ["postgres"], label: "postgres.js", poolsByDefault: "postgres.js keeps a connection pool (max 10 by default)" },
  { modules: ["mongoose", "@nestjs/mongoose"], label: "mongoose", poolsByDefault: "mongoose keeps a connection pool (maxPoolSize 100 by default)" },
  { modules: ["mongodb"], label: "MongoDB", poolsByDefault: "MongoClient keeps a connection pool (maxPoolSize 100 by default)" },
  { modules: ["knex", "objection"], label: "knex", poolsByDefault: "knex keeps a connection pool (min 2, max 10 by default)" },
  { modules: ["typeorm", "@nestjs/typeorm"], label: "TypeORM", poolsByDefault: "TypeORM keeps a connection pool through its driver" },
  { modules: ["sequelize", "sequelize-typescript", "@nestjs/sequelize"], label: "Sequelize", poolsByDefault: "Sequelize keeps a connection pool (max 5 by default)" },
  { modules: ["@mikro-orm"], label: "MikroORM", poolsByDefault: "MikroORM keeps a connection pool through knex" },
  { modules: ["mssql"], label: "mssql", poolsByDefault: "mssql keeps a connection pool (ConnectionPool, max 10 by default)" },
  // Drizzle and Kysely pool when their driver does: the driver's own entry decides, or a connection string (Drizzle creates a pg Pool).
  { modules: ["drizzle-orm"], label: "Drizzle", pooled: /\bdrizzle\s*\(\s*(?:process\.env|['"`]|\{\s*connection\b)/ },
  { modules: ["kysely"], label: "Kysely" },
  { modules: ["better-sqlite3", "sqlite3", "sqlite", "bun:sqlite", "node:sqlite"], label: "SQLite", embedded: true },
];

/** Scripts, migrations and seeds: one connection for a one-off job is fine. */
const ONE_OFF_FILE = /(?:^|\/)(?:scripts|migrations?|seeds?|seeders)\/|(?:^|\/)[^/]*(?:seed|migrate)[^/]*$/;

const firstLine = (text: string) => text.trim().split("\n")[0].trim();

interface DatabaseUse {
  library: DatabaseLibrary;
  sites: Evidence[];
  pooled: Evidence[];
  unpooled: Evidence[];
}

function databaseUses(context: EvidenceContext): DatabaseUse[] {
  const app = appContext(context);
  const uses: DatabaseUse[] = [];
  for (const library of DATABASES) {
    const files = importers(app, library.modules);
    if (files.length === 0) continue;
    const sites = files.map((analysis) => ({ file: analysis.file, line: importLine(analysis, library.modules), note: `imports ${library.label}` }));
    const names = files.map((analysis) => analysis.file);
    const pooled = library.poolsByDefault
      ? [{ ...sites[0], note: library.poolsByDefault }]
      : library.pooled
        ? textSites(context, names, library.pooled, (match) => `${library.label} pool: ${firstLine(match[0])}`)
        : [];
    const unpooled = library.unpooled ? textSites(context, names, library.unpooled, (match) => `${library.label} without a pool: ${firstLine(match[0])}`) : [];
    uses.push({ library, sites, pooled, unpooled });
  }
  return uses;
}

const connectionPooling: Detector = (context) => {
  const signalled = signalSites(context, "reliability.connection-pooling:pool");
  if (signalled.length > 0) return pass(`Connection pool in use: ${summary(signalled)}`, signalled);
  const uses = databaseUses(context);
  const pooled = uses.filter((use) => use.pooled.length > 0);
  // Single connections in application code (not in scripts or migrations, which may rightly use one).
  const unpooled = uses
    .filter((use) => !use.library.embedded)
    .map((use) => ({ use, sites: use.unpooled.filter((site) => !ONE_OFF_FILE.test(site.file!)) }))
    .filter(({ sites }) => sites.length > 0);
  const unpooledSites = unpooled.flatMap(({ sites }) => sites);
  const unpooledLabels = listNames(unpooled.map(({ use }) => use.library.label));
  if (pooled.length > 0) {
    const evidence = pooled.flatMap((use) => use.pooled);
    const labels = listNames(pooled.map((use) => use.library.label));
    if (unpooled.length > 0) {
      return fail(`${labels} uses a pool, but ${unpooledLabels} opens single connections (${unpooledSites[0].file}:${unpooledSites[0].line})`, [...unpooledSites, ...evidence]);
    }
    return pass(pooled.some((use) => use.library.poolsByDefault) && pooled.length === 1 ? evidence[0].note : `Connection pool in use: ${labels}`, evidence);
  }
  const servers = uses.filter((use) => !use.library.embedded);
  if (unpooled.length > 0) return fail(`${unpooledLabels} opens single connections without a pool`, unpooledSites);
  const undecided = servers.filter((use) => !use.library.pooled && !use.library.unpooled && !use.library.poolsByDefault);
  if (servers.length > 0 && undecided.length === servers.length) {
    return open(`${listNames(undecided.map((use) => use.library.label))} in use: could not tell whether its driver uses a pool`, undecided.flatMap((use) => use.sites));
  }
  if (servers.length > 0) {
    return fail(`${listNames(servers.map((use) => use.library.label))} in use but no connection pool found`, servers.flatMap((use) => use.sites));
  }
  if (uses.length > 0) return notApplicable(open("only an embedded SQLite database: connection pooling does not apply", uses.flatMap((use) => use.sites)));
  return notApplicable(open("no database client found"));
};

// ---------------------------------------------------------------------------------------------
// reliability.connection-retry

const REDIS_CLIENTS = ["ioredis", "redis", "@redis/client"];
const RETRY_LIBRARIES = ["p-retry", "async-retry", "retry", "promise-retry", "exponential-backoff", "cockatiel", "ts-retry-promise", "@lifeomic/attempt", "retry-as-promised"];
/** A connection being opened, for retry libraries "around connects". */
const CONNECTS = /\b\$?connect\s*\(|\b(?:createPool|createConnection|createClient|initialize|ping|authenticate)\s*\(|\bnew\s+(?:\w+\.)?(?:Pool|Client|Redis|Sequelize|DataSource|MongoClient|PrismaClient)\b/;
/** Nest modules that retry the initial connection (retryAttempts, 9 by default). */
const NEST_DB_MODULES = ["@nestjs/typeorm", "@nestjs/mongoose", "@nestjs/sequelize"];

function databaseRetrySites(context: EvidenceContext): Evidence[] {
  const app = appContext(context);
  // The rule's Redis retry options say nothing about the database's connection.
  const evidence = signalSites(context, "reliability.connection-retry:retry").filter((site) => !REDIS_CLIENTS.includes(site.note));
  for (const analysis of importers(app, RETRY_LIBRARIES)) {
    const connect = matchIn(context, analysis.file, CONNECTS);
    if (!connect) continue;
    const module = analysis.imports.find(({ module: name }) => moduleMatches(name, RETRY_LIBRARIES))!.module;
    evidence.push({ file: analysis.file, line: connect.line, note: `${module} around ${callName(connect.match)}` });
  }
  for (const analysis of importers(app, NEST_DB_MODULES)) {
    if (matchIn(context, analysis.file, /\bretryAttempts\s*:\s*0\b/)) continue;
    const explicit = matchIn(context, analysis.file, /\bretryAttempts\s*:\s*\d+/);
    const root = explicit ?? matchIn(context, analysis.file, /\b\w+Module\.forRoot(?:Async)?\s*\(/);
    if (!root) continue;
    const module = analysis.imports.find(({ module: name }) => NEST_DB_MODULES.includes(name))!.module;
    evidence.push({ file: analysis.file, line: root.line, note: explicit ? `${module}: ${explicit.match[0]}` : `${module} retries the initial connection (retryAttempts 9 by default)` });
  }
  const sequelize = filesImporting(app, ["sequelize", "sequelize-typescript"]);
  evidence.push(...textSites(context, sequelize, /\bretry\s*:\s*\{[^}]*\bmax\s*:\s*[1-9]/, "Sequelize retry option"));
  return evidence;
}

const connectionRetry: Detector = (context) => {
  const databaseRetry = databaseRetrySites(context);
  const databases = databaseUses(context).filter((use) => !use.library.embedded);
  const app = appContext(context);
  const redisFiles = filesImporting(app, REDIS_CLIENTS);
  if (databaseRetry.length > 0) return pass(`Connection retry: ${databaseRetry[0].note}`, databaseRetry);
  if (databases.length > 0) {
    return fail(
      `${listNames(databases.map((use) => use.library.label))} in use without connection retry: retry the connect with backoff (p-retry, async-retry) or use the client's retry options`,
      databases.flatMap((use) => use.sites),
    );
  }
  if (redisFiles.length > 0) {
    const explicit = [
      ...textSites(context, redisFiles, /\b(?:retryStrategy|reconnectStrategy|retry_strategy)\b/, (match) => `Redis client with ${match[0]}`),
      ...signalSites(context, "reliability.connection-retry:retry").filter((site) => REDIS_CLIENTS.includes(site.note)),
    ];
    if (explicit.length > 0) return pass(`Redis client reconnects with ${explicit[0].note.replace("Redis client with ", "")}`, dedupe(explicit));
    const sites = importSites(app, REDIS_CLIENTS);
    return pass(`${modulesListed(sites)} reconnects with backoff by default (no database client found)`, sites);
  }
  return open("no database or Redis client found");
};

// ---------------------------------------------------------------------------------------------
// reliability.health-checks

const HEALTH_LIBRARIES = ["@nestjs/terminus", "lightship", "@godaddy/terminus", "@cloudnative/health-connect"];
const PREFIX = String.raw`(?:/api)?(?:/v\d+)?`;
const LIVENESS = new RegExp(String.raw`['"\`]${PREFIX}(/(?:healthz|livez|live|liveness|alive|health/live(?:ness)?|health/alive))/?['"\`]`);
const READINESS = new RegExp(String.raw`['"\`]${PREFIX}(/(?:readyz|ready|readiness|health/ready|health/readiness))/?['"\`]`);
const GENERIC_HEALTH = new RegExp(String.raw`['"\`]${PREFIX}(/(?:health|healthcheck|health-check|_health|status|ping))/?['"\`]`);
/** Files likely to declare routes when they import no framework (Fastify plugins). */
const ROUTE_FILE_NAME = /(?:health|route|controller|server|app|main|index|probe|api|router|plugin)[^/]*$/i;

const healthChecks: Detector = (context) => {
  const app = appContext(context);
  const files = app.analyses
    .filter((analysis) => ROUTE_FILE_NAME.test(analysis.file) || importsAny(analysis, HTTP_FRAMEWORKS))
    .map((analysis) => analysis.file);
  const route = (pattern: RegExp, kind: string) => textSites(context, files, pattern, (match) => `${kind} route ${match[1]}`);
  const liveness = route(LIVENESS, "liveness");
  const readiness = route(READINESS, "readiness");
  const generic = route(GENERIC_HEALTH, "health");
  // NestJS: @Controller("health") with @Get("live") / @Get("ready") / @Get().
  for (const file of files) {
    if (!matchIn(context, file, /@Controller\(\s*['"`]\/?(?:api\/)?health['"`]/)) continue;
    const get = (pattern: string) => matchIn(context, file, new RegExp(String.raw`@Get\(\s*${pattern}\s*\)`));
    const live = get(String.raw`['"\`]\/?(?:live|liveness|alive)['"\`]`);
    const ready = get(String.raw`['"\`]\/?(?:ready|readiness)['"\`]`);
    const root = get(String.raw`(?:['"\`]\/?['"\`])?`);
    if (live) liveness.push({ file, line: live.line, note: "liveness route /health/live" });
    if (ready) readiness.push({ file, line: ready.line, note: "readiness route /health/ready" });
    if (root) generic.push({ file, line: root.line, note: "health route /health" });
  }
  const libraries = importSites(app, HEALTH_LIBRARIES);
  const routeOf = (evidence: Evidence[]) => evidence[0].note.replace(/^\w+ route /, "");
  if (liveness.length > 0 && readiness.length > 0) return pass(`Liveness (${routeOf(liveness)}) and readiness (${routeOf(readiness)}) routes found`, [...liveness, ...readiness]);
  if (readiness.length > 0 && generic.length > 0) {
    return pass(`Liveness (${routeOf(generic)}) and readiness (${routeOf(readiness)}) routes found`, [...generic, ...readiness]);
  }
  if (libraries.length > 0) return pass(`Health checks via ${modulesListed(libraries)}`, [...libraries, ...liveness, ...readiness, ...generic]);
  if (liveness.length > 0) return fail(`Liveness route ${routeOf(liveness)} found, but no readiness route (/readyz, /health/ready)`, liveness);
  if (readiness.length > 0) return fail(`Readiness route ${routeOf(readiness)} found, but no liveness route (/livez, /healthz, /health/live)`, readiness);
  if (generic.length > 0) return fail(`only ${routeOf(generic)} found: add separate liveness and readiness probes`, generic);
  return fail("no health check route found (liveness /livez and readiness /readyz)");
};

// ---------------------------------------------------------------------------------------------
// reliability.webhook-idempotency

const WEBHOOK = "reliability.webhook-idempotency:webhook";
const SIGNATURE = "reliability.webhook-idempotency:signature-verified";
const EVENT_ID = "reliability.webhook-idempotency:event-id-recorded";

const SIGNATURE_CHECK =
  /\bconstructEvent(?:Async)?\s*\(|\bwebhooks\.unmarshal\s*\(|\bwebhookNotification\.parse\s*\(|\bverifyWebhookSignature\b|verify-webhook-signature|\bvalidateEvent\s*\(|\btimingSafeEqual\s*\(|\.verify\s*\(\s*(?:raw)?(?:body|payload|req\.body)/;
const EVENT_ID_USE = /\b(?:event|evt|stripeEvent|webhookEvent|notification|payload)\.(?:id|event_id|eventId)\b|\b(?:eventId|event_id)\b/;
const PERSISTENCE = /\.(?:create|createMany|insert|insertOne|upsert|findUnique|findFirst|findOne|findOneBy|exists|set|setnx|setNX|sadd|sAdd|query|execute|save)\s*\(|\bINSERT\s+INTO\b|\bON\s+CONFLICT\b/i;

const PAYMENT_WORDS = /stripe|paddle|lemon ?squeezy|braintree|paypal|mollie|adyen|razorpay|polar|chargebee|payment|checkout|invoice|subscription/i;

/**
 * Payment webhook handlers found by text: files that import a payment SDK and talk about webhooks,
 * or files named like a webhook that talk about payments.
 */
function webhookFiles(context: EvidenceContext): Evidence[] {
  const app = appContext(context);
  const sdk = filesImporting(app, PAYMENT_PROVIDERS);
  const named = app.analyses.filter((analysis) => /webhook/i.test(analysis.file) && !sdk.includes(analysis.file)).map((analysis) => analysis.file);
  return [
    ...textSites(context, sdk, /webhook|constructEvent/i, "payment webhook handler"),
    ...textSites(context, named, PAYMENT_WORDS, "payment webhook handler"),
  ];
}

/** The line where a webhook file stores or looks up the event id (the id within 3 lines of a persistence call). */
function eventIdRecorded(context: EvidenceContext, file: string): Evidence | undefined {
  const text = context.read(file);
  if (text === undefined) return undefined;
  const lines = text.split("\n");
  for (const { line } of matchesIn(context, file, EVENT_ID_USE)) {
    const near = lines.slice(Math.max(0, line - 4), line + 3).join("\n");
    if (PERSISTENCE.test(near)) return { file, line, note: "records the event id" };
  }
  return undefined;
}

const webhookIdempotency: Detector = (context) => {
  const webhooks = signalSites(context, WEBHOOK);
  if (webhooks.length > 0) {
    const signatures = signalSites(context, SIGNATURE);
    const recorded = signalSites(context, EVENT_ID);
    if (signatures.length > 0 && recorded.length > 0) return pass("Payment webhook verifies the signature and records the event id", [...webhooks, ...signatures, ...recorded]);
    const missing = [signatures.length === 0 ? "verify the signature" : "", recorded.length === 0 ? "record the event id (duplicate deliveries are processed twice)" : ""].filter(Boolean);
    return fail(`Payment webhook does not ${missing.join(" or ")}`, [...webhooks, ...signatures, ...recorded]);
  }
  const providers = paymentProviderSites(context);
  if (providers.length === 0) return notApplicable(open("no payment provider found"));
  const handlers = webhookFiles(context);
  if (handlers.length > 0) {
    const signatures = textSites(context, handlers.map((site) => site.file!), SIGNATURE_CHECK, (match) => `verifies the signature (${callName(match)})`);
    const recorded = handlers.map((site) => eventIdRecorded(context, site.file!)).filter((site): site is Evidence => site !== undefined);
    if (signatures.length > 0 && recorded.length > 0) return pass("Payment webhook verifies the signature and records the event id", [...signatures, ...recorded]);
    if (signatures.length > 0) return fail("Payment webhook verifies the signature but does not record the event id: duplicate deliveries are processed twice", [...handlers, ...signatures]);
    if (recorded.length > 0) return fail("Payment webhook records the event id but does not verify the signature", [...handlers, ...recorded]);
    return fail("Payment webhook neither verifies the signature nor records the event id", handlers);
  }
  const names = providers.map((site) => site.note.replace(/^imports (\S+)$|^declares (\S+) in \w+$/, "$1$2"));
  return open(`Payment provider ${listNames(names)} found but no payment webhook handler`, providers);
};

export const reliabilityDetectors: Record<string, Detector> = {
  "reliability.structured-logging": structuredLogging,
  "reliability.error-tracking": errorTracking,
  "reliability.connection-pooling": connectionPooling,
  "reliability.connection-retry": connectionRetry,
  "reliability.health-checks": healthChecks,
  "reliability.webhook-idempotency": webhookIdempotency,
};
