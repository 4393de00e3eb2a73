/**
 * Evidence detectors for the high-priority security, performance and operations items and the code
 * quality items that the repository itself shows: auth libraries, dependency scanning, caching, load
 * tests, API docs, runbooks, feature flags, linting, review process, architecture docs and type strictness.
 */
import * as path from "path";
import { parse as parseJsonc } from "jsonc-parser";
import { type Detector, type Evidence, type EvidenceContext, fail, filesMatching, lineOf, open, pass, signalSites } from "../evidence";
import {
  baseName,
  dirName,
  filesImporting,
  isProductionFile,
  lineAt,
  listNames,
  matchingScripts,
  modulesWhere,
  notApplicable,
  packageKeySites,
  packageOf,
  relativeImporters,
  scriptSites,
  textSites,
  usageOf,
} from "./support";

// ---------------------------------------------------------------------------------------------
// security.oauth-sso

const SSO_MODULES = [
  "next-auth", "@auth", "openid-client", "oidc-provider", "oauth4webapi", "simple-oauth2", "grant", "@fastify/oauth2", "@hapi/bell",
  "auth0", "express-openid-connect", "@auth0", "@clerk", "@workos-inc", "lucia", "arctic", "better-auth",
  "@supabase/auth-js", "@supabase/gotrue-js", "@supabase/ssr", "@supabase/auth-helpers-nextjs", "@supabase/auth-helpers-react",
  "@supabase/auth-helpers-sveltekit", "@supabase/auth-helpers-remix", "@supabase/auth-ui-react",
  "firebase/auth", "@firebase/auth", "firebase-admin/auth", "react-firebase-hooks/auth",
  "keycloak-connect", "keycloak-js", "nest-keycloak-connect", "@keycloak",
  "@okta", "@azure/msal-node", "@azure/msal-browser", "@azure/msal-react", "@node-saml", "samlify", "@boxyhq/saml-jackson",
  "supertokens-node", "supertokens-auth-react", "@logto", "@kinde-oss", "@stackframe/stack", "@descope", "@ory/client", "@frontegg",
];

/** Passport strategies that sign in through an identity provider (not passport-local, -jwt, -http…). */
const PASSPORT_SSO_STRATEGY =
  /^passport-(?:[\w-]*(?:oauth|oidc|openid|openidconnect|saml|sso|wsfed)[\w-]*|google[\w-]*|github2?|gitlab2?|facebook|twitter|microsoft|apple|azure-ad|auth0|discord|slack[\w-]*|linkedin[\w-]*|okta[\w-]*|keycloak[\w-]*|atlassian[\w-]*|bitbucket[\w-]*|spotify|twitch[\w-]*|amazon|workos|cognito[\w-]*)$/;

export const oauthSso: Detector = (context) => {
  const modules = [...SSO_MODULES, ...modulesWhere(context, (name) => PASSPORT_SSO_STRATEGY.test(name))];
  const usage = usageOf(context, modules);
  // Supabase's client does OAuth/SSO itself: count it where sign-in through a provider is called.
  const supabase = textSites(context, filesImporting(context, ["@supabase/supabase-js"]), /\.auth\.signIn(?:WithOAuth|WithSSO)\s*\(/, "Supabase Auth OAuth/SSO sign-in");
  const evidence = [...usage.imported, ...supabase];
  if (evidence.length > 0) {
    const names = [...usage.importedNames, ...(supabase.length > 0 ? ["Supabase Auth"] : [])];
    return pass(`OAuth/SSO sign-in through ${listNames(names, 4)}`, evidence);
  }
  if (usage.declared.length > 0) {
    return open(`${listNames(usage.declaredOnlyNames, 4)} declared in package.json, but no analysed source imports it: check that SSO is wired`, usage.declared);
  }
  return fail("No OAuth/SSO library found (passport strategies, Auth.js, openid-client, Auth0, Clerk, WorkOS, Lucia/Arctic, better-auth, Keycloak…)");
};

// ---------------------------------------------------------------------------------------------
// security.password-breach

/** Packages that check passwords against Have I Been Pwned's Pwned Passwords. */
export const BREACH_CHECK_PACKAGES = ["hibp", "pwnedpasswords", "haveibeenpwned", "@zxcvbn-ts/matcher-pwned", "@faustbrian/node-haveibeenpwned"];
const PASSWORD_HASH_MODULES = [
  "bcrypt", "bcryptjs", "argon2", "@node-rs/argon2", "@node-rs/bcrypt", "@phc/argon2", "scrypt-kdf", "oslo/password",
  "@noble/hashes/scrypt", "@noble/hashes/scrypt.js", "@noble/hashes/argon2", "@noble/hashes/argon2.js", "passport-local",
];
const PWNED_RANGE_API = /api\.pwnedpasswords\.com\/range/;
/** Where password code usually lives: files worth reading for the range API or Node's own scrypt. */
const PASSWORD_FILE = /pass|pwn|breach|hibp|auth|sign-?up|regist|credential|user|account|security|valid/i;

export const passwordBreach: Detector = (context) => {
  const breach = usageOf(context, BREACH_CHECK_PACKAGES);
  const hashing = usageOf(context, PASSWORD_HASH_MODULES);
  const cryptoFiles = new Set(filesImporting(context, ["crypto", "node:crypto"]));
  const candidates = context.analyses
    .map((analysis) => analysis.file)
    .filter((file) => PASSWORD_FILE.test(file) || cryptoFiles.has(file) || hashing.imported.some((site) => site.file === file));
  const rangeApi = textSites(context, candidates, PWNED_RANGE_API, "queries the Pwned Passwords range API");
  const betterAuthPlugin = textSites(context, filesImporting(context, ["better-auth"]), /\bhaveIBeenPwned\s*\(/, "better-auth haveIBeenPwned plugin");
  const found = [...breach.imported, ...rangeApi, ...betterAuthPlugin];
  if (found.length > 0) {
    const how = [...breach.importedNames, ...(rangeApi.length > 0 ? ["Pwned Passwords range API"] : []), ...(betterAuthPlugin.length > 0 ? ["better-auth haveIBeenPwned plugin"] : [])];
    return pass(`Passwords are checked against Have I Been Pwned (${listNames(how, 4)})`, found);
  }

  const nodeScrypt = textSites(context, [...cryptoFiles], /\bscrypt(?:Sync)?\s*\(/, "hashes passwords with Node's crypto.scrypt");
  const betterAuthPasswords = textSites(context, filesImporting(context, ["better-auth"]), /emailAndPassword\s*:\s*\{[^}]*enabled\s*:\s*true/, "better-auth email and password sign-in");
  const passwords = [...hashing.imported, ...nodeScrypt, ...betterAuthPasswords];
  if (breach.declared.length > 0) {
    return open(`${listNames(breach.declaredOnlyNames, 4)} declared in package.json, but no analysed source imports it`, [...breach.declared, ...passwords]);
  }
  if (passwords.length > 0) {
    const how = listNames([...hashing.importedNames, ...(nodeScrypt.length ? ["crypto.scrypt"] : []), ...(betterAuthPasswords.length ? ["better-auth email/password"] : [])], 4);
    return fail(`Passwords are handled (${how}) but never checked against breached-password lists (Pwned Passwords range API, hibp)`, passwords);
  }
  if (hashing.declared.length > 0) {
    return fail(`${listNames(hashing.declaredOnlyNames, 4)} declared for passwords, but no breached-password check found`, hashing.declared);
  }
  return notApplicable(open("No password hashing found: sign-in may be OAuth or magic links only, so there are no passwords to check"));
};

// ---------------------------------------------------------------------------------------------
// security.vulnerability-scanning

const DEPENDENCY_UPDATE_CONFIG = /^(?:\.github\/dependabot\.ya?ml|renovate\.json5?|\.renovaterc(?:\.json5?)?|\.github\/renovate\.json5?|\.gitlab\/renovate\.json5?|\.snyk)$/;
export const CI_CONFIG =
  /^(?:\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.gitlab\/ci\/.+\.ya?ml|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|Jenkinsfile|\.buildkite\/.+\.ya?ml|\.travis\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml|\.woodpecker\/.+\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml)$/;
const SCANNER =
  /\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?audit\b|\baudit-ci\b|\bbetter-npm-audit\b|\bsnyk\b|github\/codeql-action|\btrivy\b|\bosv-scanner\b|\bgrype\b|anchore\/scan-action|actions\/dependency-review-action|SocketDev\/|\bsocket\s+(?:ci|scan)\b|\bdependency-check\b|\bsemgrep\b/i;

function scannerName(match: string): string {
  const text = match.toLowerCase();
  if (text.includes("audit")) return text.replace(/\s+run\s+/, " ").replace(/\s+/g, " ");
  if (text.includes("codeql")) return "CodeQL";
  if (text.includes("dependency-review")) return "dependency review";
  if (text.includes("socket")) return "Socket";
  return match;
}

export const vulnerabilityScanning: Detector = (context) => {
  const evidence: Evidence[] = [];
  const what: string[] = [];
  for (const file of filesMatching(context, DEPENDENCY_UPDATE_CONFIG)) {
    const tool = file.includes("dependabot") ? "Dependabot" : file.endsWith(".snyk") ? "Snyk" : "Renovate";
    evidence.push({ file, note: `${tool} configuration` });
    what.push(tool);
  }
  const renovateKey = packageKeySites(context, "renovate", "Renovate configuration in package.json");
  if (renovateKey.length > 0) {
    evidence.push(...renovateKey);
    what.push("Renovate");
  }
  const ciFiles = filesMatching(context, CI_CONFIG);
  for (const file of ciFiles) {
    const text = context.read(file);
    const match = text === undefined ? null : SCANNER.exec(text);
    if (!match) continue;
    evidence.push({ file, line: lineOf(text, SCANNER), note: `CI runs ${scannerName(match[0])}` });
    what.push(`${scannerName(match[0])} in CI`);
  }
  // A CI step that runs a package.json script which itself audits (`npm run audit:ci`).
  const scripts = matchingScripts(context, SCANNER);
  for (const { name, command, site } of scripts) {
    const runner = new RegExp(`\\b(?:npm\\s+run|pnpm(?:\\s+run)?|yarn(?:\\s+run)?|bun\\s+run)\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w:-])`);
    const runs = textSites(context, ciFiles, runner, `CI runs the "${name}" script`);
    if (runs.length === 0) continue;
    evidence.push(...runs, site);
    what.push(`${scannerName(SCANNER.exec(command)![0])} in CI`);
  }
  if (evidence.length > 0) return pass(`Dependency vulnerabilities are scanned: ${listNames(what, 4)}`, evidence);
  if (scripts.length > 0) return fail(`An audit script exists (${scripts[0].site.note}) but no CI workflow runs it, and there is no Dependabot/Renovate config`, scripts.map(({ site }) => site));
  return fail("No vulnerability scanning: no Dependabot/Renovate config and no CI step running npm audit, Snyk, CodeQL, Trivy or osv-scanner");
};

// ---------------------------------------------------------------------------------------------
// performance.redis-cache

const REDIS_CLIENTS = ["ioredis", "redis", "@redis/client", "@upstash/redis", "iovalkey", "@nestjs-modules/ioredis", "@liaoliaots/nestjs-redis"];
/** Packages whose only purpose is a Redis-backed cache. */
const REDIS_CACHE_STORES = [
  "cache-manager-redis-store", "cache-manager-redis-yet", "cache-manager-ioredis", "cache-manager-ioredis-yet", "@tirke/node-cache-manager-ioredis",
  "@keyv/redis", "@type-cacheable/ioredis-adapter", "@type-cacheable/redis-adapter",
];
/** Redis for something other than caching. */
const REDIS_OTHER_USES = ["connect-redis", "rate-limit-redis", "rate-limiter-flexible", "bullmq", "bull", "bee-queue", "@nestjs/bull", "@nestjs/bullmq", "@socket.io/redis-adapter", "socket.io-redis", "redlock"];
const IN_PROCESS_CACHES = ["lru-cache", "node-cache", "memory-cache", "quick-lru", "@isaacs/ttlcache", "mnemonist"];
const CACHE_NAMED = /\b(?:function|const|let|var|class|async|private|public|protected)\s+\w*[Cc]ach\w*|\b\w*[Cc]ach(?:e|ed|ing)\w*\s*\([^)]*\)\s*(?::[^{]+)?\{/;
/** A Redis command on a client-looking receiver (`redis.get(`, `this.client.set(`, `cache.setex(`), not `map.get(`. */
const REDIS_COMMAND = /\b(?:\w*[Rr]edis\w*|[Cc]lient|\w*[Cc]ache|kv|upstash)\.(?:get|set|setex|setEx|psetex|getex|getEx|mget|mGet|hget|hGet|hset|hSet)\s*\(/;

export const redisCache: Detector = (context) => {
  const clients = usageOf(context, REDIS_CLIENTS);
  const stores = usageOf(context, REDIS_CACHE_STORES);
  const redisClients = filesImporting(context, REDIS_CLIENTS);
  const redisFiles = new Set([...redisClients, ...relativeImporters(context, redisClients)]);
  // Files that use the project's own Redis module (`import { redis } from "../lib/redis"`).
  for (const analysis of context.analyses) {
    if (analysis.imports.some(({ module }) => /^(?:\.{1,2}\/|@\/|~\/|#|src\/).*redis/i.test(module))) redisFiles.add(analysis.file);
  }
  const cacheUse: Evidence[] = [];
  for (const file of redisFiles) {
    const text = context.read(file);
    if (text === undefined || !REDIS_COMMAND.test(text)) continue;
    if (/cach/i.test(baseName(file)) || CACHE_NAMED.test(text)) cacheUse.push({ file, line: lineOf(text, REDIS_COMMAND), note: "reads and writes a Redis cache" });
  }
  const evidence = [...stores.imported, ...cacheUse];
  if (evidence.length > 0) return pass(`Redis is used as a cache (${listNames([...stores.importedNames, ...cacheUse.map((site) => site.file!)], 4)})`, [...evidence, ...clients.imported]);
  if (stores.declared.length > 0) return pass(`Redis cache store declared (${listNames(stores.declaredOnlyNames, 4)}); no analysed source imports it directly`, [...stores.declared, ...clients.imported]);

  const other = usageOf(context, REDIS_OTHER_USES);
  const sharedStores = signalSites(context, "security.session-store:external-store", "security.rate-limit-redis:shared-store");
  const redisPresent = [...clients.imported, ...other.imported, ...sharedStores];
  if (redisPresent.length > 0 || clients.declared.length > 0) {
    const uses = listNames([...clients.importedNames, ...other.importedNames, ...(clients.imported.length === 0 ? clients.declaredOnlyNames : [])], 4);
    return open(`Redis is present (${uses}) but nothing shows it caching data: only sessions, rate limits or queues were found`, redisPresent.length > 0 ? redisPresent : clients.declared);
  }
  const inProcess = usageOf(context, IN_PROCESS_CACHES);
  if (inProcess.imported.length > 0) return fail(`No Redis cache: only an in-process cache (${listNames(inProcess.importedNames, 4)}), not shared between instances`, inProcess.imported);
  return fail("No Redis client found: there is no shared caching layer");
};

// ---------------------------------------------------------------------------------------------
// performance.load-testing

const LOAD_TEST_MODULES = ["k6", "autocannon", "loadtest", "@gatling.io/core", "@gatling.io/http", "artillery"];
const LOAD_TEST_COMMAND = /\bk6\s+(?:run|cloud)\b|\bartillery\s+(?:run|quick)\b|\bautocannon\b|\bloadtest\s+-|\blocust\b|\bgatling\b|\bwrk\s+-|\bvegeta\s+attack\b|grafana\/(?:setup-)?k6-action|grafana\/run-k6-action/;
const LOAD_TEST_DIR = /(?:^|\/)(?:load|perf|performance|stress|bench|benchmarks?|k6|artillery|capacity|soak)[\w-]*\//i;

export const loadTesting: Detector = (context) => {
  const libraries = usageOf(context, LOAD_TEST_MODULES);
  const evidence: Evidence[] = [...libraries.imported];
  // Artillery scenarios: YAML with top-level `config:` and `scenarios:`.
  const artilleryDeclared = context.packages.has("artillery");
  const yamls = filesMatching(context, /\.ya?ml$/).filter((file) => /artillery/i.test(file) || ((artilleryDeclared || LOAD_TEST_DIR.test(file)) && !/^\.github\//.test(file)));
  for (const file of yamls.slice(0, 200)) {
    const text = context.read(file);
    if (text && /^config:\s*$/m.test(text) && /^scenarios:\s*$/m.test(text)) evidence.push({ file, line: lineOf(text, /^scenarios:/m), note: "Artillery scenario" });
  }
  for (const file of filesMatching(context, /(?:^|\/)locustfile\.py$/)) evidence.push({ file, note: "Locust load test" });
  evidence.push(...textSites(context, filesMatching(context, /\.py$/).filter((file) => LOAD_TEST_DIR.test(file) && !/locustfile\.py$/.test(file)).slice(0, 50), /^from locust import|^import locust/m, "Locust load test"));
  for (const file of filesMatching(context, /Simulation\.(?:scala|java|kt)$/)) evidence.push({ file, note: "Gatling simulation" });
  evidence.push(...scriptSites(context, LOAD_TEST_COMMAND));
  evidence.push(...textSites(context, filesMatching(context, CI_CONFIG), LOAD_TEST_COMMAND, "CI runs a load test"));
  if (evidence.length > 0) {
    const what = evidence.map((site) => {
      const tool = site.note.startsWith("imports ") ? packageOf(site.note.slice("imports ".length)) : site.note.startsWith("script ") ? site.note.replace(/:.*$/, "") : site.note;
      return `${site.file} (${tool})`;
    });
    return pass(`Load tests found: ${listNames(what, 3)}`, evidence);
  }
  if (libraries.declared.length > 0) return open(`${listNames(libraries.declaredOnlyNames, 4)} declared, but no load-test script or scenario uses it`, libraries.declared);
  return fail("No load tests found (k6, Artillery, autocannon, Locust or Gatling)");
};

// ---------------------------------------------------------------------------------------------
// operations.api-docs

const OPENAPI_GENERATORS = [
  "swagger-jsdoc", "@fastify/swagger", "fastify-swagger", "tsoa", "@asteasolutions/zod-to-openapi", "zod-to-openapi", "zod-openapi", "express-openapi-validator",
  "@hono/zod-openapi", "hono-openapi", "swagger-ui-express", "@fastify/swagger-ui", "koa2-swagger-ui", "koa-swagger-decorator", "express-oas-generator",
  "openapi-backend", "@ts-rest/open-api", "trpc-openapi", "trpc-to-openapi", "@elysiajs/swagger", "@scalar/express-api-reference", "@scalar/fastify-api-reference",
  "@scalar/nestjs-api-reference", "@scalar/hono-api-reference", "redoc-express", "express-jsdoc-swagger", "@nestjs/swagger",
];
const SPEC_NAME = /(?:^|\/)(?:openapi|swagger|oas|api-?spec)[\w.-]*\.(?:ya?ml|json)$/i;
const SPEC_DIR = /(?:^|\/)(?:docs?|api|apis|spec|specs|openapi|swagger|contracts?|schemas?)\//i;
const SPEC_CONTENT = /^[ \t]*["']?(?:openapi["']?\s*:\s*["']?3|swagger["']?\s*:\s*["']?2)/m;

export const apiDocs: Detector = (context) => {
  const specs: Evidence[] = [];
  const named = new Set(filesMatching(context, SPEC_NAME));
  const others = filesMatching(context, /\.(?:ya?ml|json)$/).filter((file) => !named.has(file) && (SPEC_DIR.test(file) || !file.includes("/")) && !/(?:^|\/)(?:package(?:-lock)?|tsconfig[\w.-]*|pnpm-lock)\.(?:json|ya?ml)$/.test(file));
  for (const file of [...named, ...others.slice(0, 200)]) {
    const text = context.read(file);
    if (text && SPEC_CONTENT.test(text)) specs.push({ file, line: lineOf(text, SPEC_CONTENT), note: /swagger/i.test(text.match(SPEC_CONTENT)![0]) ? "Swagger 2 specification" : "OpenAPI 3 specification" });
  }
  const generators = usageOf(context, OPENAPI_GENERATORS);
  const nest = generators.imported.filter((site) => site.note === "imports @nestjs/swagger");
  const built = textSites(context, filesImporting(context, ["@nestjs/swagger"]), /SwaggerModule\.(?:setup|createDocument)\s*\(/, "builds the OpenAPI document (SwaggerModule)");
  const generated = [...generators.imported.filter((site) => !nest.includes(site)), ...built];
  const evidence = [...specs, ...generated];
  if (evidence.length > 0) {
    const what = [...specs.map((site) => site.file!), ...generators.importedNames.filter((name) => name !== "@nestjs/swagger" || built.length > 0)];
    return pass(`API documented with OpenAPI: ${listNames(what, 4)}`, evidence);
  }
  if (nest.length > 0) return open("@nestjs/swagger is imported, but SwaggerModule.createDocument/setup is never called: the document may not be built", nest);
  if (generators.declared.length > 0) return open(`${listNames(generators.declaredOnlyNames, 4)} declared, but no analysed source imports it and no OpenAPI file found`, generators.declared);
  return fail("No OpenAPI/Swagger specification or generator (swagger-jsdoc, @nestjs/swagger, @fastify/swagger, tsoa, zod-to-openapi…) found");
};

// ---------------------------------------------------------------------------------------------
// operations.runbooks

const RUNBOOK_DIR = /(?:^|\/)(runbooks?|playbooks?)\//i;
const DOCUMENT = /\.(?:md|mdx|markdown|txt|adoc|rst)$/i;

export const runbooks: Detector = (context) => {
  const inFolders = filesMatching(context, RUNBOOK_DIR);
  const documents = inFolders.filter((file) => DOCUMENT.test(file));
  const single = filesMatching(context, /(?:^|\/)runbook[^/]*\.(?:md|mdx|markdown|txt|adoc|rst)$/i).filter((file) => !documents.includes(file));
  const all = [...documents, ...single];
  if (all.length > 0) {
    const folders = [...new Set(documents.map((file) => file.slice(0, file.search(RUNBOOK_DIR) + file.match(RUNBOOK_DIR)![0].length)))];
    const where = folders.length > 0 ? `in ${listNames(folders, 4)}` : listNames(single, 4);
    return pass(`${all.length} runbook document${all.length === 1 ? "" : "s"} ${where}`, all.map((file) => ({ file, note: "runbook" })));
  }
  const emptyRunbookFolders = inFolders.filter((file) => /(?:^|\/)runbooks?\//i.test(file));
  if (emptyRunbookFolders.length > 0) {
    const folder = dirName(emptyRunbookFolders[0]);
    return fail(`The runbooks folder ${folder}/ has no documents (only ${listNames(emptyRunbookFolders.map(baseName), 4)})`, emptyRunbookFolders.map((file) => ({ file, note: "not a runbook document" })));
  }
  return fail("No runbooks found (runbooks/, docs/runbooks/ or ops/runbooks/ with Markdown documents)");
};

// ---------------------------------------------------------------------------------------------
// operations.feature-flags

const FEATURE_FLAG_MODULES = [
  "@launchdarkly", "launchdarkly-node-server-sdk", "launchdarkly-js-client-sdk", "launchdarkly-react-client-sdk",
  "unleash-client", "unleash-proxy-client", "@unleash", "@growthbook", "flagsmith", "flagsmith-nodejs", "@openfeature",
  "configcat-node", "configcat-js", "configcat-js-ssr", "configcat-react", "configcat-common", "@splitsoftware", "statsig-node", "statsig-js",
  "statsig-react", "@statsig", "@vercel/flags", "flags/next", "flags/sveltekit", "@happykit/flags", "@devcycle", "@harnessio/ff-nodejs-server-sdk",
  "@harnessio/ff-javascript-client-sdk", "@flipt-io", "@featbit", "@optimizely/optimizely-sdk", "@hypertune", "@flags-sdk",
];
const POSTHOG = ["posthog-node", "posthog-js", "posthog-react-native"];
const POSTHOG_FLAG_CALL = /\b(?:isFeatureEnabled|getFeatureFlag|getFeatureFlagPayload|getAllFlags|useFeatureFlagEnabled|useFeatureFlagVariantKey|onFeatureFlags)\s*\(/;

export const featureFlags: Detector = (context) => {
  const flags = usageOf(context, FEATURE_FLAG_MODULES);
  // The client is usually made once (`lib/posthog.ts`) and its flags read where it is imported.
  const posthogClients = filesImporting(context, POSTHOG);
  const posthogFiles = new Set([...posthogClients, ...relativeImporters(context, posthogClients), ...context.analyses.map((a) => a.file).filter((file) => /flag|posthog|feature/i.test(file))]);
  const posthog = posthogClients.length > 0 || POSTHOG.some((name) => context.packages.has(name))
    ? textSites(context, posthogFiles, POSTHOG_FLAG_CALL, "PostHog feature flag")
    : [];
  const evidence = [...flags.imported, ...posthog];
  if (evidence.length > 0) return pass(`Feature flags through ${listNames([...flags.importedNames, ...(posthog.length ? ["PostHog feature flags"] : [])], 4)}`, evidence);
  if (flags.declared.length > 0) return open(`${listNames(flags.declaredOnlyNames, 4)} declared, but no analysed source imports it`, flags.declared);
  return fail("No feature-flag service or SDK found (LaunchDarkly, Unleash, GrowthBook, Flagsmith, OpenFeature, ConfigCat, Split, PostHog flags, Statsig)");
};

// ---------------------------------------------------------------------------------------------
// quality.lint-format

interface Tool {
  name: string;
  config: RegExp;
  keys: string[];
  packages: string[];
  command: RegExp;
}

const LINT_TOOLS: Tool[] = [
  { name: "ESLint", config: /(?:^|\/)(?:eslint\.config\.(?:js|mjs|cjs|ts|mts|cts)|\.eslintrc(?:\.(?:js|cjs|mjs|json|ya?ml))?)$/, keys: ["eslintConfig"], packages: ["eslint"], command: /\beslint\b/ },
  { name: "Biome", config: /(?:^|\/)(?:biome\.jsonc?|rome\.json)$/, keys: [], packages: ["@biomejs/biome", "rome"], command: /\b(?:biome|rome)\s+(?:check|lint|format|ci)\b/ },
  { name: "Prettier", config: /(?:^|\/)(?:\.prettierrc(?:\.(?:json|json5|ya?ml|toml|js|cjs|mjs|ts|cts|mts))?|prettier\.config\.(?:js|cjs|mjs|ts|cts|mts))$/, keys: ["prettier"], packages: ["prettier"], command: /\bprettier\b/ },
  { name: "dprint", config: /(?:^|\/)\.?dprint\.jsonc?$/, keys: [], packages: ["dprint"], command: /\bdprint\s+(?:check|fmt)\b/ },
  { name: "oxlint", config: /(?:^|\/)\.?oxlintrc\.json$/, keys: [], packages: ["oxlint"], command: /\boxlint\b/ },
  { name: "XO", config: /(?:^|\/)(?:\.xo-config(?:\.(?:json|js|cjs))?|xo\.config\.(?:js|cjs|mjs|ts))$/, keys: ["xo"], packages: ["xo"], command: /(?:^|&&\s*|;\s*)xo\b/ },
  { name: "standard", config: /$^/, keys: ["standard"], packages: ["standard", "ts-standard", "semistandard"], command: /(?:^|&&\s*|;\s*)(?:standard|ts-standard|semistandard)\b/ },
];

export const lintFormat: Detector = (context) => {
  const evidence: Evidence[] = [];
  const what: string[] = [];
  const declaredOnly: Evidence[] = [];
  for (const tool of LINT_TOOLS) {
    const configs = filesMatching(context, tool.config).filter(isProductionFile);
    const keys = tool.keys.flatMap((key) => packageKeySites(context, key, `${tool.name} configuration in package.json ("${key}")`));
    if (configs.length > 0 || keys.length > 0) {
      evidence.push(...configs.map((file) => ({ file, note: `${tool.name} configuration` })), ...keys);
      what.push(`${tool.name} (${configs.length > 0 ? configs[0] : `"${tool.keys[0]}" in package.json`})`);
      continue;
    }
    if (!tool.packages.some((name) => context.packages.has(name))) continue;
    // Prettier and Biome work without a config file: a script that runs them is enough.
    const scripts = matchingScripts(context, tool.command);
    if (scripts.length > 0) {
      evidence.push(...scripts.map(({ site }) => ({ ...site, note: `${tool.name} run by ${site.note} (default settings)` })));
      what.push(`${tool.name} (script "${scripts[0].name}", default settings)`);
    } else {
      declaredOnly.push(...usageOf(context, tool.packages).declared);
    }
  }
  if (evidence.length > 0) return pass(`Linting/formatting set up: ${listNames(what, 7)}`, evidence);
  if (declaredOnly.length > 0) return open("A linter or formatter is declared, but there is no config and no script runs it", declaredOnly);
  return fail("No linter or formatter configured (ESLint, Biome, Prettier, dprint, oxlint, XO or standard)");
};

// ---------------------------------------------------------------------------------------------
// quality.code-review

const CODEOWNERS = /^(?:\.github\/|docs\/|\.gitlab\/)?CODEOWNERS$/;
const REVIEW_TEMPLATE = /^(?:\.github\/|docs\/)?pull_request_template\.md$|^\.github\/PULL_REQUEST_TEMPLATE\/[^/]+\.md$|^\.gitlab\/merge_request_templates\/[^/]+\.md$/i;

export const codeReview: Detector = (context) => {
  const evidence: Evidence[] = [];
  const emptyOwners: Evidence[] = [];
  for (const file of filesMatching(context, CODEOWNERS)) {
    const line = lineOf(context.read(file), /^[ \t]*[^#\s]/m);
    if (line === undefined) emptyOwners.push({ file, note: "CODEOWNERS without any rule" });
    else evidence.push({ file, line, note: "code owners review changes" });
  }
  for (const file of filesMatching(context, REVIEW_TEMPLATE)) evidence.push({ file, note: file.startsWith(".gitlab/") ? "merge request template" : "pull request template" });
  if (evidence.length > 0) return pass(`Code review process: ${listNames(evidence.map((site) => site.file!), 4)}`, evidence);
  if (emptyOwners.length > 0) return fail(`${emptyOwners[0].file} has no ownership rules and there is no pull request template`, emptyOwners);
  return fail("No CODEOWNERS file and no pull/merge request template");
};

// ---------------------------------------------------------------------------------------------
// quality.architecture-docs

const ARCHITECTURE_DOC = /(?:^|\/)architecture\.(?:md|mdx|markdown|adoc|rst|txt)$/i;
const DOCS_ARCHITECTURE = /^docs?\/architecture[^/]*(?:\/.*)?\.(?:md|mdx|markdown|adoc|rst|txt|png|svg|drawio|puml)$/i;
const ADR_DIR = /(?:^|\/)(?:adrs?|decisions|architecture-decisions|decision-records)\/(?:[^/]+\/)*[^/]+$/i;
const ADR_NAME = /^(?:\d{1,5}|adr-?\d+)[-_. ].*\.(?:md|mdx|markdown|adoc|rst)$/i;

export const architectureDocs: Detector = (context) => {
  const evidence: Evidence[] = filesMatching(context, ARCHITECTURE_DOC).map((file) => ({ file, note: "architecture document" }));
  for (const file of filesMatching(context, DOCS_ARCHITECTURE)) if (!evidence.some((site) => site.file === file)) evidence.push({ file, note: "architecture documentation" });
  const adrs = filesMatching(context, ADR_DIR).filter((file) => ADR_NAME.test(baseName(file)));
  if (adrs.length > 0) evidence.push(...adrs.map((file) => ({ file, note: "architecture decision record" })));
  evidence.push(...textSites(context, filesMatching(context, /\.dsl$/), /^[ \t]*workspace\b/m, "Structurizr (C4) model"));
  evidence.push(...textSites(context, filesMatching(context, /\.puml$/), /C4_(?:Context|Container|Component)|!include.*C4/, "C4 diagram"));
  if (evidence.length > 0) {
    const what = [...evidence.filter((site) => site.note !== "architecture decision record").map((site) => site.file!), ...(adrs.length > 0 ? [`${adrs.length} ADR${adrs.length === 1 ? "" : "s"} in ${dirName(adrs[0])}/`] : [])];
    return pass(`Architecture documented: ${listNames(what, 4)}`, evidence);
  }
  return fail("No architecture documentation (ARCHITECTURE.md, docs/architecture, ADRs or a C4/Structurizr model)");
};

// ---------------------------------------------------------------------------------------------
// quality.type-coverage

interface Strictness {
  file: string;
  /** Effective `strict` after `extends`; undefined when nothing says. */
  strict?: boolean;
  /** Where the effective value is set. */
  decidedIn?: string;
  /** A strict family flag turned back off (`noImplicitAny: false`). */
  weakened?: string;
  checkJs?: boolean;
}

function readJsonc(context: EvidenceContext, file: string): Record<string, any> | undefined {
  const text = context.read(file);
  if (text === undefined) return undefined;
  const value = parseJsonc(text, [], { allowTrailingComma: true, disallowComments: false });
  return value && typeof value === "object" ? value : undefined;
}

/** The config file an `extends` names: a relative file, or a package's file under the root's node_modules. */
function resolveExtends(context: EvidenceContext, from: string, spec: string): string | undefined {
  const candidates: string[] = [];
  if (spec.startsWith(".") || spec.startsWith("/")) {
    const base = path.posix.normalize(path.posix.join(dirName(from), spec));
    candidates.push(base, `${base}.json`, `${base}/tsconfig.json`);
  } else {
    candidates.push(`node_modules/${spec}`, `node_modules/${spec}.json`, `node_modules/${spec}/tsconfig.json`);
  }
  return candidates.find((candidate) => !candidate.startsWith("..") && !candidate.endsWith("/") && context.read(candidate) !== undefined);
}

/** `strict` (and friends) of a tsconfig/jsconfig, following `extends` up to three levels. */
function strictnessOf(context: EvidenceContext, file: string): Strictness {
  const result: Strictness = { file };
  let current: string | undefined = file;
  for (let depth = 0; current && depth < 4; depth++) {
    const json = readJsonc(context, current);
    if (!json) break;
    const options = json.compilerOptions ?? {};
    if (result.strict === undefined && typeof options.strict === "boolean") {
      result.strict = options.strict;
      result.decidedIn = current;
    }
    for (const flag of ["noImplicitAny", "strictNullChecks"]) if (result.weakened === undefined && options[flag] === false) result.weakened = `${flag}: false in ${current}`;
    if (result.checkJs === undefined && typeof options.checkJs === "boolean") result.checkJs = options.checkJs;
    if (result.strict !== undefined) break;
    const parents: string[] = typeof json.extends === "string" ? [json.extends] : Array.isArray(json.extends) ? json.extends.filter((spec: unknown) => typeof spec === "string") : [];
    // With several bases the last one wins; only the last is followed.
    const parent: string | undefined = parents.length > 0 ? parents[parents.length - 1] : undefined;
    current = parent ? resolveExtends(context, current, parent) : undefined;
  }
  return result;
}

/** Solution-style configs (`"files": []` plus `references`) stand for the configs they reference. */
function projectConfigs(context: EvidenceContext): string[] {
  const roots = filesMatching(context, /(?:^|\/)tsconfig\.json$/).filter(isProductionFile);
  const configs: string[] = [];
  for (const file of roots) {
    const json = readJsonc(context, file);
    const references = Array.isArray(json?.references) ? json!.references : [];
    if (json && Array.isArray(json.files) && json.files.length === 0 && references.length > 0) {
      for (const reference of references) {
        if (typeof reference?.path !== "string") continue;
        const target = path.posix.normalize(path.posix.join(dirName(file), reference.path));
        const resolved = /\.json$/.test(target) ? target : `${target}/tsconfig.json`;
        if (context.read(resolved) !== undefined && !configs.includes(resolved)) configs.push(resolved);
      }
    } else if (!configs.includes(file)) {
      configs.push(file);
    }
  }
  return configs;
}

const EXPLICIT_ANY =
  /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|(:\s*any\b|\bas\s+any\b|<\s*any\s*>|\bany\s*\[\s*\]|[<,]\s*any\s*(?=[,>]))/g;

/** Explicit `any` annotations in a TypeScript text, ignoring comments and strings; with the line of the first. */
export function countExplicitAny(text: string): { count: number; lines: number; firstLine?: number } {
  let count = 0;
  let firstIndex = -1;
  for (const match of text.matchAll(EXPLICIT_ANY)) {
    if (match[1] === undefined) continue;
    count++;
    if (firstIndex < 0) firstIndex = match.index!;
  }
  let lines = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  if (text.endsWith("\n")) lines--;
  return { count, lines, firstLine: firstIndex < 0 ? undefined : lineAt(text, firstIndex) };
}

const format = (n: number) => n.toLocaleString("en-US");

export const typeCoverage: Detector = (context) => {
  const configs = projectConfigs(context);
  const productionSources = context.analyses.filter((analysis) => !analysis.skipped && isProductionFile(analysis.file));
  const tsSources = productionSources.filter((analysis) => /\.(?:ts|tsx|mts|cts)$/.test(analysis.file));
  const jsSources = productionSources.filter((analysis) => /\.(?:js|jsx|mjs|cjs)$/.test(analysis.file));

  if (configs.length === 0 && tsSources.length === 0) {
    if (jsSources.length === 0) return open("No production sources to judge type coverage");
    const jsconfigs = filesMatching(context, /(?:^|\/)jsconfig\.json$/).map((file) => strictnessOf(context, file));
    const checked = jsconfigs.find((config) => config.checkJs === true);
    if (checked) {
      const note = checked.strict ? "JavaScript type-checked: checkJs and strict in" : "JavaScript type-checked: checkJs in";
      return pass(`${note} ${checked.file}`, [{ file: checked.file, line: lineOf(context.read(checked.file), /"checkJs"/), note: "checkJs: true" }]);
    }
    const tsCheck = jsSources.filter((analysis) => /^[ \t]*(?:\/\/\s*@ts-check|\/\*\s*@ts-check)/m.test(context.read(analysis.file)?.slice(0, 2000) ?? ""));
    if (tsCheck.length > 0 && tsCheck.length === jsSources.length) return pass(`JavaScript type-checked: // @ts-check in all ${jsSources.length} production files`, tsCheck.map(({ file }) => ({ file, line: 1, note: "// @ts-check" })));
    if (tsCheck.length > 0) return fail(`JavaScript partly type-checked: // @ts-check in ${tsCheck.length} of ${jsSources.length} production files`, tsCheck.map(({ file }) => ({ file, line: 1, note: "// @ts-check" })));
    return fail(`JavaScript without type checking (${jsSources.length} production file${jsSources.length === 1 ? "" : "s"}, no tsconfig.json, no checkJs, no // @ts-check)`, [{ file: jsSources[0].file, note: "JavaScript without type checking" }]);
  }

  if (configs.length === 0) {
    return fail(`TypeScript without a tsconfig.json: strict is off by default (${tsSources.length} production file${tsSources.length === 1 ? "" : "s"})`, [{ file: tsSources[0].file, note: "TypeScript source without a tsconfig.json" }]);
  }
  const strictness = configs.map((file) => strictnessOf(context, file));
  const loose = strictness.filter((config) => config.strict !== true || config.weakened !== undefined);
  const strictEvidence: Evidence[] = strictness.map((config) => {
    // Point at the file that decides: the config itself, or the base it inherits `strict` from.
    const where = config.decidedIn ?? config.file;
    const inherited = where === config.file ? "" : ` (from ${where})`;
    const note = config.weakened ? `strict undone: ${config.weakened}` : config.strict === undefined ? "strict not set" : `strict: ${config.strict}${inherited}`;
    return { file: where, line: config.decidedIn ? lineOf(context.read(where), /"strict"\s*:/) : undefined, note };
  });

  let anyCount = 0;
  let lineCount = 0;
  const anyFiles: { file: string; count: number; line?: number }[] = [];
  for (const analysis of tsSources) {
    const text = context.read(analysis.file);
    if (text === undefined) continue;
    const counted = countExplicitAny(text);
    anyCount += counted.count;
    lineCount += counted.lines;
    if (counted.count > 0) anyFiles.push({ file: analysis.file, count: counted.count, line: counted.firstLine });
  }
  anyFiles.sort((a, b) => b.count - a.count || (a.file < b.file ? -1 : 1));
  const rate = lineCount === 0 ? 0 : (anyCount * 100) / lineCount;
  const anyNote = lineCount === 0 ? "no TypeScript production sources" : `${format(anyCount)} explicit \`any\` in ${format(lineCount)} lines (${rate.toFixed(2)} per 100 lines)`;
  const anyEvidence: Evidence[] = anyFiles.slice(0, 5).map(({ file, count, line }) => ({ file, line, note: `${count} explicit \`any\`` }));

  if (loose.length > 0) {
    const what = loose.map((config) => (config.weakened ? `${config.file} (${config.weakened})` : `${config.file} (${config.strict === false ? "strict: false" : "strict not set"})`));
    return fail(`strict off in ${listNames(what, 3)}; ${anyNote}`, [...strictEvidence.filter((_, index) => loose.includes(strictness[index])), ...anyEvidence]);
  }
  const strictNote = `strict on${configs.length > 1 ? ` in all ${configs.length} tsconfigs` : ""}`;
  if (rate > 1) return fail(`${strictNote}; ${anyNote}: above 1 per 100 lines`, [...anyEvidence, ...strictEvidence]);
  return pass(`${strictNote}; ${anyNote}`, [...strictEvidence, ...anyEvidence]);
};

export const operationsDetectors: Record<string, Detector> = {
  "security.oauth-sso": oauthSso,
  "security.password-breach": passwordBreach,
  "security.vulnerability-scanning": vulnerabilityScanning,
  "performance.redis-cache": redisCache,
  "performance.load-testing": loadTesting,
  "operations.api-docs": apiDocs,
  "operations.runbooks": runbooks,
  "operations.feature-flags": featureFlags,
  "quality.lint-format": lintFormat,
  "quality.code-review": codeReview,
  "quality.architecture-docs": architectureDocs,
  "quality.type-coverage": typeCoverage,
};
