import ts = require("typescript");
import {
  calleeName,
  calleePath,
  expressionPath,
  findVariableInitializer,
  getProperty,
  importsOf,
  moduleOfLocal,
  propertyNameText,
  redact,
  replaceNode,
  staticString,
  toEnvName,
  unwrap,
} from "../ast";
import type { Fix, Rule, Severity } from "../types";
import { quickCalleeName } from "./support/resolve-from-visited";
import { bindingOf, envVarRead, identifierWords, isWrapper, type LiteralBinding } from "./support/secret-binding";
import { findKnownSecret, type KnownSecret } from "./support/secret-patterns";

/**
 * Secrets in source: string literals bound to secret-named variables/properties (or used as their
 * `||`/`??` fallback), literal keys given to `jwt.sign`/`verify`, session and cookie signers and
 * `crypto.createHmac`, connection strings with inline passwords, and known credential formats
 * (support/secret-patterns.ts) anywhere in any string.
 */

interface SecretName {
  kind: string;
  /** A bare `token`: only a value that looks like a credential counts. */
  strict?: boolean;
}

const KEY_QUALIFIERS: Record<string, string> = {
  api: "API key",
  private: "private key",
  signing: "signing key",
  sign: "signing key",
  encryption: "encryption key",
  encrypt: "encryption key",
  aes: "encryption key",
  cipher: "encryption key",
  crypto: "encryption key",
  hmac: "HMAC key",
  master: "master key",
  jwt: "JWT key",
  webhook: "webhook key",
};

const TOKEN_QUALIFIERS = new Set(["access", "auth", "refresh", "bearer", "api", "bot", "secret", "session", "personal", "admin", "service", "master", "webhook", "app", "integration", "oauth", "client"]);

/** `csrfToken`, `nextToken`, `verificationToken`…: not credentials of the service. */
const OTHER_TOKENS = new Set([
  "csrf", "xsrf", "page", "next", "continuation", "cancellation", "cancel", "cursor", "pagination", "sync", "lexer", "parser", "push", "fcm",
  "device", "registration", "verification", "verify", "reset", "confirm", "confirmation", "invite", "invitation", "idempotency", "request",
  "correlation", "trace", "type", "id", "name", "header", "cookie",
]);

/** One-word compounds (`APIKEY`, `dbpassword`) by suffix. */
const COMPOUND_SUFFIXES: readonly (readonly [string, string])[] = [
  ["apikey", "API key"],
  ["apisecret", "API secret"],
  ["secretkey", "secret key"],
  ["privatekey", "private key"],
  ["signingkey", "signing key"],
  ["encryptionkey", "encryption key"],
  ["accesstoken", "access token"],
  ["authtoken", "auth token"],
  ["refreshtoken", "refresh token"],
  ["apitoken", "API token"],
  ["bearertoken", "bearer token"],
  ["clientsecret", "client secret"],
  ["password", "password"],
  ["passwd", "password"],
  ["passphrase", "passphrase"],
  ["secret", "secret"],
];

/** Cheap pre-check: every secret name contains one of these. */
const SECRET_HINT = /secret|pass|pwd|key|token/i;
/** The header whose value `checkAuthorizationHeader` reads. */
const AUTHORIZATION = /^authorization$/i;

/** What kind of secret an identifier names, judged by its last word(s): `passwordField`, `tokenType`, `PASSWORD_MIN_LENGTH` name none. */
export function secretName(name: string): SecretName | undefined {
  if (!SECRET_HINT.test(name)) return undefined;
  const words = identifierWords(name);
  const count = words.length;
  if (count === 0) return undefined;
  // `apiKey2`, `token_v1`: a trailing number does not change what the name holds.
  const last = words[count - 1].replace(/(?:v?\d+)$/, "") || words[count - 1];
  const previous = count > 1 ? words[count - 2] : undefined;
  const has = (word: string) => words.includes(word);
  if (last === "secret") {
    if (has("jwt")) return { kind: "JWT secret" };
    if (has("webhook")) return { kind: "webhook secret" };
    if (has("session") || has("cookie")) return { kind: "session secret" };
    if (previous === "client") return { kind: "client secret" };
    if (has("totp") || has("otp") || has("mfa")) return { kind: "TOTP secret" };
    return { kind: "secret" };
  }
  if (last === "password" || last === "passwd" || last === "pwd" || last === "pass") return { kind: "password" };
  if (last === "passphrase") return { kind: "passphrase" };
  if (last === "key") {
    if (has("secret")) return { kind: has("aws") ? "AWS secret access key" : has("access") ? "secret access key" : "secret key" };
    const kind = previous ? KEY_QUALIFIERS[previous] : undefined;
    return kind ? { kind } : undefined;
  }
  if (last === "token") {
    if (previous && TOKEN_QUALIFIERS.has(previous)) return { kind: previous === "api" ? "API token" : `${previous} token` };
    if (previous && OTHER_TOKENS.has(previous)) return undefined;
    return { kind: "token", strict: true };
  }
  for (const [suffix, kind] of COMPOUND_SUFFIXES) {
    if (last.endsWith(suffix)) return { kind };
  }
  return undefined;
}

/** Placeholders that cannot work as a real secret: `<your-api-key>`, `YOUR_API_KEY`, `xxxx`, `***`, `replace-me`, `${JWT_SECRET}`. */
const PLACEHOLDER =
  /^(?:<.*>|\[.*\]|\(.*\)|%[A-Za-z_][\w.]*%|\$[A-Za-z_]\w*|\.{2,}|…|[-_=]+|n\/a|none|null|nil|undefined|todo|tbd|fixme|secret_here)$|\$\{|\{\{|<%|replace[-_ .]?(?:me|this|with)|placeholder|redacted|example|not[-_ ]?a[-_ ]?real|x{4,}|\*{3,}|•{3,}|^(?:insert|enter|put|add|paste)[-_ ]|[-_ ]here$/i;
const YOUR = /^(?:your|YOUR|Your)(?:[A-Z_\-. ]|$)/;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || YOUR.test(value);
}

const PATH = /^(?:\.{1,2}[\\/]|[\\/]|~\/|[A-Za-z]:\\)|\.(?:pem|key|crt|cer|der|p8|p12|pfx|jks|json|txt|env|ya?ml|pub)$/i;
const PASSWORD_HASH = /^\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*|[156])\$/;
const JWT = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const DOTTED_KEY = /^[a-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)+$/;
const HEADER_NAME = /^x-[a-z0-9-]+$/i;
const TITLE_WORD = /^[A-Z][a-zà-ÿ]+$/;
const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;
const PRINTABLE = /^[\x20-\x7e]+$/;

/** Values that name a scheme, type, encoding or algorithm rather than being a secret. */
const ENUM_VALUES = new Set([
  "bearer", "basic", "digest", "token", "jwt", "oauth", "oauth2", "hex", "base64", "base64url", "utf8", "utf-8", "ascii", "latin1", "binary",
  "sha1", "sha256", "sha384", "sha512", "md5", "hs256", "hs384", "hs512", "rs256", "rs384", "rs512", "es256", "es384", "ps256", "aes-256-gcm",
  "aes-256-cbc", "aes-128-gcm", "string", "number", "boolean", "object", "text", "hidden", "required", "optional", "header", "headers", "query",
  "cookie", "cookies", "body", "env", "environment", "vault", "kms", "refresh_token", "access_token", "id_token", "client_credentials",
  "authorization_code", "current-password", "new-password", "on", "off",
]);

/** Values that, in a property or argument, are the field's own name: `password: "password"`. */
const NOUNS = new Set(["password", "passwd", "pwd", "pass", "secret", "token", "key", "passphrase"]);

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function looksLikeCredential(value: string): boolean {
  return value.length >= 16 && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && /^[A-Za-z0-9._~+/=:-]+$/.test(value);
}

/** Paths, URLs, password hashes and JWTs are never reported by name. */
function isReference(value: string): boolean {
  return PATH.test(value) || PASSWORD_HASH.test(value) || JWT.test(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/**
 * Secrets the application checks itself (JWT, session, cookie, HMAC, encryption keys): any string
 * works, so even `"your-secret-key-change-in-production"` is a working key once it is the fallback.
 * Vendor credentials (API keys, tokens, passwords) are only placeholders when they look like one.
 */
const SELF_VERIFIED_KIND = /^(?:JWT secret|JWT signing key|session secret|session signing key|Koa signing key|cookie signing secret|HMAC key|encryption key|signing key|secret|secret key)$/;

/**
 * Whether a literal bound to a secret name is a plausible secret. `lenient` (a `||` fallback, a jwt key,
 * a session secret) only excludes what can never be a working secret; otherwise labels, messages,
 * field names, enum values and constant names are excluded too.
 */
function plausibleSecret(value: string, lenient: boolean, binding: LiteralBinding, name: SecretName | undefined, kind?: string): boolean {
  if (isReference(value)) return false;
  if (lenient && kind !== undefined && SELF_VERIFIED_KIND.test(kind)) return PRINTABLE.test(value) && value.trim().length > 0 && !/\$\{|\{\{/.test(value);
  if (isPlaceholder(value)) return false;
  if (lenient) return PRINTABLE.test(value) && value.trim().length > 0;
  if (value.length < 4 || !PRINTABLE_NO_SPACE.test(value)) return false;
  if (CONSTANT_NAME.test(value) || DOTTED_KEY.test(value) || HEADER_NAME.test(value) || TITLE_WORD.test(value)) return false;
  if (ENUM_VALUES.has(value.toLowerCase())) return false;
  const normalized = normalize(value);
  if (binding.name !== undefined && normalized === normalize(binding.name)) return false;
  if ((binding.site === "property" || binding.site === "argument" || binding.site === "element") && NOUNS.has(normalized)) return false;
  if (name?.strict && !looksLikeCredential(value)) return false;
  return true;
}

const Kind = ts.SyntaxKind;
/** Calls whose string arguments may be keys: jwt, crypto, `Buffer.from`/`encode` (climbed through), `new Sequelize`. */
const KEY_CALLEES = new Set(["sign", "verify", "createHmac", "createCipheriv", "createDecipheriv", "from", "encode", "Sequelize"]);

const SESSION_MODULES = [
  "express-session",
  "cookie-session",
  "koa-session",
  "iron-session",
  "@fastify/session",
  "@fastify/secure-session",
  "@fastify/cookie",
  "@fastify/jwt",
  "fastify-session",
  "fastify-secure-session",
  "fastify-cookie",
  "fastify-jwt",
];
const SESSION_CALLEES = new Set(["session", "expressSession", "cookieSession", "koaSession", "getIronSession"]);
const SESSION_SECRET_OPTIONS = new Set(["secret", "password"]);

const SECRET_MANAGER_MODULES = [
  "@aws-sdk/client-secrets-manager",
  "@aws-sdk/client-ssm",
  "@google-cloud/secret-manager",
  "@azure/keyvault-secrets",
  "node-vault",
  "hashi-vault-js",
  "@infisical/sdk",
  "@dopplerhq/node-sdk",
  "@1password/sdk",
  "@aws-lambda-powertools/parameters",
  "@hashicorp/vault-client",
];

/** Words of a generic option name (`apiKey`, `password`): the env var needs a prefix saying whose. */
const GENERIC_WORDS = new Set(["api", "key", "secret", "password", "pass", "pwd", "passwd", "token", "access", "auth", "client", "private", "bearer", "refresh", "passphrase", "signing", "apikey"]);
const CONTAINER_SUFFIXES = /(?:^|_)(?:MODULE|CLIENT|SERVICE|OPTIONS|OPTS|CONFIG|CONFIGURATION|SETTINGS|POOL|CONNECTION|PROVIDER|FACTORY|STRATEGY|CONSTANTS|CREDENTIALS|CREDS|AUTH|PARAMS)$/;

const CONNECTION = /^([a-z][a-z0-9+.-]*):\/\/([^:@/\s?#]*):([^@/\s?#]+)@(\[[^\]]+\]|[^/:?#\s]+)/i;
const CONNECTION_SCHEMES =
  /^(?:postgres(?:ql)?|mysql2?|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse|nats|kafka|ldaps?|smtps?|ftps?|sftp|oracle|neo4j(?:\+s)?|bolt|couchbase|cassandra|memcached|elasticsearch|https?)$/i;
const LOCAL_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1\]|host\.docker\.internal)$/i;
const URL_PASSWORD_PLACEHOLDER = /^(?:pass(?:word)?|pwd|x+|\$[A-Za-z_]\w*|%[A-Za-z_]\w*%|\{.*\}|:.+)$/i;
/** `postgres://app:DB_PASSWORD@…`: an upper-case name standing for the password. */
const URL_PASSWORD_NAME = /^[A-Z]+(?:_[A-Z0-9]+)*$/;

function schemeEnv(scheme: string): string | undefined {
  const s = scheme.toLowerCase();
  if (s.startsWith("mongodb")) return "MONGODB_URI";
  if (s.startsWith("redis")) return "REDIS_URL";
  if (s.startsWith("amqp")) return "AMQP_URL";
  if (/^(?:postgres|mysql|mariadb|mssql|sqlserver|cockroachdb|oracle)/.test(s)) return "DATABASE_URL";
  return undefined;
}

export const hardcodedSecret: Rule = {
  meta: {
    id: "hardcoded-secret",
    checklistItem: "security.secrets-management",
    defaultSeverity: "error",
    description: "Secrets (keys, passwords, tokens, connection strings with passwords) written into the source.",
    scope: "production",
    fixable: true,
    messages: {
      known: 'Hardcoded {{kind}} "{{value}}" in source; load it from process.env.{{env}} and rotate it.',
      knownEmbedded: 'Hardcoded {{kind}} "{{value}}" inside a string; move it to the environment or a secret manager and rotate it.',
      named: 'Hardcoded {{kind}} "{{value}}" in {{name}}; load it from process.env.{{env}} instead.',
      namedLocal: 'Hardcoded {{kind}} "{{value}}" in {{name}} for the local development host "{{host}}"; production must load it from process.env.{{env}} instead.',
      fallbackLocal:
        '{{name}} falls back to a hardcoded {{kind}} "{{value}}" for the local development host "{{host}}"; drop the default so a missing process.env.{{env}} fails fast instead of connecting with dev credentials.',
      envAssignment: 'Hardcoded {{kind}} "{{value}}" written into {{name}}; set it in the deployment environment or a secret manager, not in code.',
      fallback: '{{name}} falls back to a hardcoded {{kind}} "{{value}}"; drop the default so a missing process.env.{{env}} fails fast instead of running with a known secret.',
      jwt: 'jwt.{{method}}() uses a hardcoded key "{{value}}"; load it from process.env.{{env}}.',
      keyArgument: 'Hardcoded {{kind}} "{{value}}" passed to {{callee}}(); load it from process.env.{{env}}.',
      connection: 'Connection string for {{target}} has an inline password "{{value}}"; load the URL from process.env.{{env}}.',
      connectionLocal:
        'Connection string for {{target}} hardcodes local development credentials (password "{{value}}"); production must get process.env.{{env}} and fail when it is missing, not run with dev credentials.',
    },
    docs: {
      why:
        "Anything in the source is in every clone, CI log, container image and Git history, forever: a key committed once has to be treated as leaked. Hardcoded secrets also cannot differ between environments or be rotated without a deploy, and a `process.env.JWT_SECRET || \"dev-secret\"` fallback means a production deploy that forgot the variable keeps running — signing sessions with a secret anyone can read on GitHub.",
      howToFix:
        "Read secrets from the environment (populated by your platform, or at boot from AWS Secrets Manager, Vault, Doppler…) and fail at startup when one is missing:\n\n```ts\nfunction required(name: string): string {\n  const value = process.env[name];\n  if (!value) throw new Error(`${name} is not set`);\n  return value;\n}\nexport const config = {\n  jwtSecret: required(\"JWT_SECRET\"),\n  stripeSecretKey: required(\"STRIPE_SECRET_KEY\"),\n  databaseUrl: required(\"DATABASE_URL\"),\n};\n```\n\nThen rotate every key that was committed: removing it from the code does not remove it from the history. The quick fix replaces the literal with `process.env.<NAME>` (or drops the `||` fallback); in TypeScript, pass the value through a check like `required()` above.",
      valid: [
        {
          note: "Secrets come from the environment, with no fallback.",
          code: `import jwt from "jsonwebtoken";\n\nconst jwtSecret = process.env.JWT_SECRET;\nif (!jwtSecret) throw new Error("JWT_SECRET is not set");\n\nexport function issue(userId: string) {\n  return jwt.sign({ sub: userId }, jwtSecret!, { expiresIn: "15m" });\n}`,
        },
        {
          note: "Field names, labels, messages and rules about passwords are not passwords.",
          code: `passport.use(new LocalStrategy({ usernameField: "email", passwordField: "password" }, verify));\n\nexport const messages = {\n  password: "Password",\n  invalidPassword: "Invalid password",\n  weakPassword: "Password must be at least 8 characters",\n};\nexport const PASSWORD_MIN_LENGTH = 8;`,
        },
        {
          note: "Token types, header names and placeholders.",
          code: `const API_KEY_HEADER = "x-api-key";\nconst body = { grant_type: "refresh_token", token_type_hint: "access_token" };\nconst response = { tokenType: "Bearer", expiresIn: 900 };\nconst sample = { apiKey: "<your-api-key>", secret: "YOUR_SECRET_HERE" };`,
        },
        {
          note: "A connection string whose password comes from the environment.",
          code: "const databaseUrl = `postgres://app:${process.env.DB_PASSWORD}@db.internal:5432/app`;\nconst pool = new Pool({ connectionString: databaseUrl });",
        },
      ],
      invalid: [
        {
          note: "A Stripe live key in source.",
          // Split so this file does not itself hold a key-shaped literal.
          code: `import Stripe from "stripe";\n\nexport const stripe = new Stripe("${"sk_live_"}51HfakeFAKEfakeFAKEfake00", { apiVersion: "2024-06-20" });`,
        },
        {
          note: "A fallback secret that production silently uses when the variable is missing.",
          code: `import session from "express-session";\n\napp.use(\n  session({\n    secret: process.env.SESSION_SECRET || "keyboard cat",\n    resave: false,\n    saveUninitialized: false,\n  }),\n);`,
        },
        {
          note: "A literal JWT signing key.",
          code: `import jwt from "jsonwebtoken";\n\nexport function issue(userId: string) {\n  return jwt.sign({ sub: userId }, "super-secret-signing-key", { expiresIn: "1h" });\n}`,
        },
        {
          note: "A database password in a connection string.",
          code: `import { Pool } from "pg";\n\nexport const pool = new Pool({\n  connectionString: "postgres://app:Xk82mPq0vLr5@db.prod.internal:5432/app",\n});`,
        },
        {
          note: "A secret-named constant.",
          code: `export const config = {\n  port: 3000,\n  mailgunApiKey: "b7e1c2d9a0f34e5b8c6d",\n  redis: { host: "cache.internal", password: "r3d1s-Pa55" },\n};`,
        },
      ],
    },
  },
  create(context) {
    const sourceFile = context.sourceFile;
    const reported = new Set<ts.Node>();
    let envSignalled = false;
    const fileMentions = (word: RegExp) => word.test(context.text);

    for (const binding of importsOf(context, ...SECRET_MANAGER_MODULES)) {
      context.signal("security.secrets-management:secret-manager", binding.node, binding.module);
    }

    const report = (node: ts.Node, messageId: string, data: Record<string, string>, fixes: Fix[], severity?: Severity) => {
      reported.add(node);
      context.report({ node, messageId, data, fixes, ...(severity ? { severity } : {}) });
    };

    return {
      [ts.SyntaxKind.StringLiteral]: (node: ts.StringLiteral) => checkLiteral(node),
      [ts.SyntaxKind.NoSubstitutionTemplateLiteral]: (node: ts.NoSubstitutionTemplateLiteral) => checkLiteral(node),
      [ts.SyntaxKind.TemplateHead]: (node: ts.TemplateHead) => checkTemplatePart(node),
      [ts.SyntaxKind.TemplateMiddle]: (node: ts.TemplateMiddle) => checkTemplatePart(node),
      [ts.SyntaxKind.TemplateTail]: (node: ts.TemplateTail) => checkTemplatePart(node),
      [ts.SyntaxKind.CallExpression]: (node: ts.CallExpression) => checkJwtKeyVariable(node),
      [ts.SyntaxKind.VariableDeclaration]: (node: ts.VariableDeclaration) => {
        if (!envSignalled && node.initializer && mayReadEnv(node.initializer) && ts.isIdentifier(node.name)) signalEnvSecret(node.name.text, node.initializer, node);
      },
      [ts.SyntaxKind.PropertyAssignment]: (node: ts.PropertyAssignment) => {
        if (!envSignalled && mayReadEnv(node.initializer)) {
          const name = propertyNameText(node.name);
          if (name) signalEnvSecret(name, node.initializer, node);
        }
      },
    };

    /** Cheap pre-check for `signalEnvSecret`: an env read is a property or element access, maybe wrapped. */
    function mayReadEnv(initializer: ts.Expression): boolean {
      return initializer.kind === Kind.PropertyAccessExpression || initializer.kind === Kind.ElementAccessExpression || isWrapper(initializer);
    }

    /** Positive evidence: a secret-named value read from the environment with no literal fallback. */
    function signalEnvSecret(name: string, initializer: ts.Expression, node: ts.Node): void {
      const value = unwrap(initializer);
      if (!ts.isPropertyAccessExpression(value) && !ts.isElementAccessExpression(value)) return;
      const env = envVarRead(value);
      if (env === undefined || !(secretName(name) || secretName(env))) return;
      envSignalled = true;
      context.signal("security.secrets-management:env-secret", node, env);
    }

    function checkLiteral(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): void {
      const text = node.text;
      if (text.length === 0 || reported.has(node)) return;
      const parent = node.parent;
      const parentKind = parent.kind;
      if (parentKind === Kind.ImportDeclaration || parentKind === Kind.ExportDeclaration || parentKind === Kind.ExternalModuleReference || parentKind === Kind.LiteralType) return;
      const known = findKnownSecret(text, fileMentions);
      if (known) {
        reportKnown(node, text, known);
        return;
      }
      if (text.length >= 12 && text.includes("://")) {
        checkConnectionString(node, text);
        return;
      }
      checkNamed(node, text);
    }

    function checkTemplatePart(node: ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail): void {
      const known = findKnownSecret(node.text, fileMentions);
      if (!known) return;
      report(node, "knownEmbedded", { kind: known.pattern.kind, value: redact(known.value) }, []);
    }

    function reportKnown(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, text: string, known: KnownSecret): void {
      const data = { kind: known.pattern.kind, value: redact(known.value) };
      const whole = text.slice(0, known.start).trim() === "" && text.slice(known.end).trim() === "";
      if (!whole) {
        report(node, "knownEmbedded", data, []);
        return;
      }
      const binding = bindingOf(node);
      let env = known.pattern.env;
      if (binding.fallbackEnv) env = binding.fallbackEnv;
      else if (binding.name && binding.site !== "property") {
        // `stripeSecretKey` → STRIPE_SECRET_KEY; but `apiKey` or a bare `stripe` say too little.
        const words = identifierWords(binding.name);
        if (words.length >= 2 && words.includes(known.pattern.vendor)) env = toEnvName(binding.name);
      }
      report(node, "known", { ...data, env }, fixesFor(binding, node, env));
    }

    function checkNamed(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, text: string): void {
      if (!mayBeBound(node)) return;
      const binding = bindingOf(node);
      if (binding.site === "other") return;
      const definite = definiteContext(binding);
      if (definite) {
        if (!plausibleSecret(text, true, binding, undefined, definite.kind)) return;
        const value = redact(text);
        if (binding.fallback) {
          report(node, "fallback", { name: fallbackSubject(binding), kind: definite.kind, value, env: binding.fallbackEnv ?? definite.env }, fixesFor(binding, node, definite.env));
          return;
        }
        const env = definite.env;
        const fixes = fixesFor(binding, node, env);
        if (definite.method) report(node, "jwt", { method: definite.method, value, env }, fixes);
        else if (definite.callee) report(node, "keyArgument", { kind: definite.kind, callee: definite.callee, value, env }, fixes);
        else report(node, "named", { kind: definite.kind, name: describe(binding), value, env }, fixes);
        return;
      }
      let name = binding.name !== undefined ? secretName(binding.name) : undefined;
      if (!name && binding.fallback) {
        for (const read of binding.fallbackNames) {
          name = secretName(read);
          if (name) break;
        }
      }
      let subject: string | undefined;
      let env: string | undefined;
      if (!name && binding.site === "argument" && binding.call && ts.isNewExpression(binding.call) && binding.index === 2 && calleeName(binding.call) === "Sequelize") {
        name = { kind: "database password" };
        subject = "new Sequelize()";
        env = "DB_PASSWORD";
      }
      if (!name && binding.site === "property" && binding.name?.toLowerCase() === "authorization") {
        checkAuthorizationHeader(node, text, binding);
        return;
      }
      if (!name) return;
      if (!plausibleSecret(text, binding.fallback !== undefined, binding, name, name.kind)) return;
      const value = redact(text);
      const host = localHostOf(binding);
      if (binding.fallback) {
        const configKey = binding.fallbackNames.find((read) => secretName(read) !== undefined);
        const fallbackEnv = binding.fallbackEnv ?? (configKey !== undefined ? toEnvName(configKey) : envNameFor(binding));
        const data = { name: fallbackSubject(binding), kind: name.kind, value, env: fallbackEnv, host: host ?? "" };
        if (host) report(node, "fallbackLocal", data, fixesFor(binding, node, fallbackEnv), "warning");
        else report(node, "fallback", data, fixesFor(binding, node, fallbackEnv));
        return;
      }
      const target = binding.site === "assignment" && binding.target ? envVarRead(binding.target) : undefined;
      if (target !== undefined) {
        report(node, "envAssignment", { kind: name.kind, value, name: `process.env.${target}` }, []);
        return;
      }
      env ??= envNameFor(binding);
      const data = { kind: name.kind, name: subject ?? describe(binding), value, env, host: host ?? "" };
      if (host) report(node, "namedLocal", data, fixesFor(binding, node, env), "warning");
      else report(node, "named", data, fixesFor(binding, node, env));
    }

    /**
     * Cheap pre-filter on the literal's parent (this runs for every string of every file): most strings
     * are arguments of calls that take no key, operands of comparisons and concatenations, or values of
     * properties and variables whose names say nothing of secrets.
     */
    function mayBeBound(node: ts.Node): boolean {
      const parent = node.parent;
      switch (parent.kind) {
        case Kind.CallExpression:
        case Kind.NewExpression: {
          const call = parent as ts.CallExpression | ts.NewExpression;
          const name = quickCalleeName(call);
          // A cookie parser is called by a plain name: `x.method(…)` never is one.
          return name !== undefined && (KEY_CALLEES.has(name) || (call.kind === Kind.CallExpression && call.expression.kind !== Kind.PropertyAccessExpression && isCookieParser(call)));
        }
        case Kind.BinaryExpression: {
          const operator = (parent as ts.BinaryExpression).operatorToken.kind;
          return operator === Kind.EqualsToken || operator === Kind.BarBarToken || operator === Kind.QuestionQuestionToken;
        }
        case Kind.PropertyAssignment: {
          // `{ name: "…" }`: only a secret-like (or Authorization) name can make it a secret; most are neither.
          const property = parent as ts.PropertyAssignment;
          if (property.initializer !== node) return false;
          const name = propertyNameText(property.name);
          return name !== undefined && (SECRET_HINT.test(name) || AUTHORIZATION.test(name));
        }
        case Kind.VariableDeclaration: {
          // `const name = "…"`: only a secret-like name can make it a secret.
          const declaration = parent as ts.VariableDeclaration;
          return declaration.initializer !== node || !ts.isIdentifier(declaration.name) || SECRET_HINT.test(declaration.name.text);
        }
        case Kind.PropertyDeclaration:
        case Kind.Parameter:
        case Kind.BindingElement:
        case Kind.ReturnStatement:
        case Kind.ArrowFunction:
        case Kind.ArrayLiteralExpression:
        case Kind.ParenthesizedExpression:
        case Kind.AsExpression:
        case Kind.SatisfiesExpression:
        case Kind.NonNullExpression:
        case Kind.TypeAssertionExpression:
          return true;
        default:
          return false;
      }
    }

    /**
     * `{ host: "localhost", password: "postgres" }`, `{ host: process.env.DB_HOST || "localhost", … }`: the
     * local development host the credential sits next to, if any (reported as a warning, like the
     * localhost connection strings).
     */
    function localHostOf(binding: LiteralBinding): string | undefined {
      const object = binding.object;
      if (binding.site !== "property" || !object) return undefined;
      for (const key of ["host", "hostname", "server"]) {
        const property = getProperty(object, key);
        if (!property || !ts.isPropertyAssignment(property)) continue;
        let value = unwrap(property.initializer);
        if (ts.isBinaryExpression(value) && (value.operatorToken.kind === Kind.BarBarToken || value.operatorToken.kind === Kind.QuestionQuestionToken)) value = unwrap(value.right);
        const host = staticString(value);
        if (host !== undefined && (LOCAL_HOST.test(host) || /^[a-z][a-z0-9-]*$/i.test(host))) return host;
      }
      return undefined;
    }

    /** `headers: { Authorization: "Bearer 8f3…" }`. */
    function checkAuthorizationHeader(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, text: string, binding: LiteralBinding): void {
      const match = /^(Bearer|Token|Basic)\s+(\S+)$/i.exec(text);
      if (!match || binding.fallback) return;
      const credential = match[2];
      if (isPlaceholder(credential) || !looksLikeCredential(credential)) return;
      const kind = match[1].toLowerCase() === "basic" ? "basic-auth credential" : "bearer token";
      report(node, "named", { kind, name: "the Authorization header", value: `${match[1]} ${redact(credential)}`, env: "API_TOKEN" }, []);
    }

    /** The env var a named secret should come from: the identifier, prefixed with its owner when generic (`redis: { password }` → REDIS_PASSWORD). */
    function envNameFor(binding: LiteralBinding): string {
      const name = binding.name ?? binding.fallbackNames[0] ?? "secret";
      // A header name: `"X-API-Key": "…"` → API_KEY.
      if (/^x-/i.test(name)) return toEnvName(name.slice(2));
      const env = toEnvName(name);
      if (!identifierWords(name).every((word) => GENERIC_WORDS.has(word))) return env;
      let prefix = "";
      if (binding.site === "property" && binding.object) {
        // Walk out through generic owners: `createTransport({ auth: { pass } })` → the transport, not "AUTH".
        let object: ts.ObjectLiteralExpression | undefined = binding.object;
        for (let depth = 0; object && depth < 3 && !prefix; depth++) {
          const owner = ownerOf(object);
          prefix = owner.name ? toEnvName(owner.name).replace(CONTAINER_SUFFIXES, "").replace(/_+$/, "") : "";
          object = owner.next;
        }
      } else if (binding.site === "field") {
        const owner = ts.isClassLike(binding.value.parent.parent) ? binding.value.parent.parent.name?.text : undefined;
        prefix = owner ? toEnvName(owner).replace(CONTAINER_SUFFIXES, "").replace(/_+$/, "") : "";
      }
      if (env === "SECRET_ACCESS_KEY") return "AWS_SECRET_ACCESS_KEY";
      if (!prefix || env.startsWith(prefix)) return env;
      return `${prefix}_${env}`;
    }

    /** The name an object literal is known by, and the object literal around that, if any. */
    function ownerOf(object: ts.ObjectLiteralExpression): { name?: string; next?: ts.ObjectLiteralExpression } {
      let parent = object.parent;
      while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))) parent = parent.parent;
      if (!parent) return {};
      if (ts.isPropertyAssignment(parent)) return { name: propertyNameText(parent.name), next: ts.isObjectLiteralExpression(parent.parent) ? parent.parent : undefined };
      return { name: ownerName(parent) };
    }

    function ownerName(parent: ts.Node): string | undefined {
      if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
      if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
        // `new Redis({…})` → Redis; `JwtModule.register({…})`, `mysql.createPool({…})` → JwtModule, mysql.
        const parts = (calleePath(parent) ?? "").split(".").filter((part) => part !== "this" && part !== "");
        if (ts.isNewExpression(parent)) return parts[parts.length - 1];
        return parts.length > 1 ? parts[parts.length - 2] : undefined;
      }
      return undefined;
    }

    /** How a message names where the value goes: `jwtSecret`, `the "password" property`, `config.apiKey`. */
    function describe(binding: LiteralBinding): string {
      const site = binding.site === "element" && binding.container ? binding.container : binding;
      if (site.site === "assignment" && site.target) return expressionPath(site.target) ?? site.name ?? "an assignment";
      if (site.site === "property") return `the "${site.name}" property`;
      if (site.site === "return") return site.name ? `${site.name}()` : "a return value";
      return site.name ?? "a value";
    }

    function fallbackSubject(binding: LiteralBinding): string {
      if (binding.fallbackEnv) return `process.env.${binding.fallbackEnv}`;
      const left = binding.fallback!.left.getText(sourceFile);
      return left.length <= 60 && !left.includes("\n") ? left : (binding.name ?? "a value");
    }

    function fixesFor(binding: LiteralBinding, literal: ts.Node, env: string): Fix[] {
      if (binding.fallback) {
        const left = binding.fallback.left;
        return [
          {
            title: `Remove the hardcoded fallback (use ${left.getText(sourceFile)} only)`,
            edits: [{ start: left.getEnd(), end: binding.fallback.getEnd(), newText: "" }],
            preferred: true,
          },
        ];
      }
      if (binding.site === "element" || binding.site === "other" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) return [];
      return [{ title: `Load it from process.env.${env}`, edits: [replaceNode(literal, sourceFile, `process.env.${env}`)], preferred: true }];
    }

    interface Definite {
      kind: string;
      env: string;
      /** jwt.sign / jwt.verify */
      method?: string;
      /** a crypto or cookie-parser call */
      callee?: string;
    }

    /** Places where any literal is a secret: jwt keys, HMAC/cipher keys, cookie and session secrets, Koa keys. */
    function definiteContext(binding: LiteralBinding): Definite | undefined {
      if (binding.site === "argument" && binding.call && ts.isCallExpression(binding.call)) {
        const call = binding.call;
        const method = calleeName(call);
        if ((method === "sign" || method === "verify") && binding.index === 1 && isJwtCall(call)) return { kind: "JWT signing key", env: "JWT_SECRET", method };
        if (method === "createHmac" && binding.index === 1) return { kind: "HMAC key", env: "HMAC_SECRET", callee: "createHmac" };
        if ((method === "createCipheriv" || method === "createDecipheriv") && binding.index === 1) return { kind: "encryption key", env: "ENCRYPTION_KEY", callee: method };
        if (binding.index === 0 && isCookieParser(call)) return { kind: "cookie signing secret", env: "COOKIE_SECRET", callee: calleeName(call) ?? "cookieParser" };
        return undefined;
      }
      if (binding.site === "property" && binding.object && binding.name && SESSION_SECRET_OPTIONS.has(binding.name)) {
        const module = sessionModuleOf(binding.object);
        if (module) return module.includes("jwt") ? { kind: "JWT secret", env: "JWT_SECRET" } : { kind: "session secret", env: "SESSION_SECRET" };
      }
      if (binding.site === "element" && binding.container) {
        const container = binding.container;
        if (container.site === "property" && container.object && (container.name === "keys" || container.name === "secret") && sessionModuleOf(container.object)) {
          return { kind: "session signing key", env: "SESSION_KEYS" };
        }
        if (container.site === "assignment" && container.target) {
          const path = expressionPath(container.target);
          if (path && /(?:^|\.)keys$/.test(path) && (path === "app.keys" || importsOf(context, "koa").length > 0)) return { kind: "Koa signing key", env: "APP_KEYS" };
        }
      }
      return undefined;
    }

    function isJwtCall(call: ts.CallExpression): boolean {
      const callee = unwrap(call.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const object = unwrap(callee.expression);
        if (!ts.isIdentifier(object)) return false;
        const module = moduleOfLocal(context, object.text);
        return module === "jsonwebtoken" || (module === undefined && (object.text === "jwt" || object.text === "jsonwebtoken"));
      }
      if (ts.isIdentifier(callee)) return moduleOfLocal(context, callee.text) === "jsonwebtoken";
      return false;
    }

    function isCookieParser(call: ts.CallExpression): boolean {
      const callee = unwrap(call.expression);
      if (!ts.isIdentifier(callee)) return false;
      const module = moduleOfLocal(context, callee.text);
      return module === "cookie-parser" || (module === undefined && callee.text === "cookieParser");
    }

    /** The session/cookie/JWT middleware an options object is given to: `session({…})`, `app.register(fastifyJwt, {…})`. */
    function sessionModuleOf(object: ts.ObjectLiteralExpression): string | undefined {
      let parent = object.parent;
      while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))) parent = parent.parent;
      if (!parent || !ts.isCallExpression(parent)) return undefined;
      const callee = unwrap(parent.expression);
      if (ts.isIdentifier(callee)) {
        const module = moduleOfLocal(context, callee.text);
        if (module !== undefined) return SESSION_MODULES.includes(module) ? module : undefined;
        return SESSION_CALLEES.has(callee.text) ? callee.text : undefined;
      }
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === "register") {
        const plugin = parent.arguments[0] && unwrap(parent.arguments[0]);
        if (plugin && ts.isIdentifier(plugin)) {
          const module = moduleOfLocal(context, plugin.text);
          if (module !== undefined && SESSION_MODULES.includes(module)) return module;
        }
      }
      return undefined;
    }

    /** `jwt.sign(payload, KEY)` where `const KEY = "…"` has a name that does not say "secret". */
    function checkJwtKeyVariable(call: ts.CallExpression): void {
      const method = quickCalleeName(call);
      if ((method !== "sign" && method !== "verify") || call.arguments.length < 2) return;
      const argument = unwrap(call.arguments[1]);
      if (!ts.isIdentifier(argument) || secretName(argument.text) || !isJwtCall(call)) return;
      // The argument has no parent yet (descendants get theirs later): search from the call.
      const initializer = findVariableInitializer(call, argument.text);
      const literal = initializer && unwrap(initializer);
      if (!literal || !(ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal)) || reported.has(literal)) return;
      const binding = bindingOf(literal);
      if (findKnownSecret(literal.text, fileMentions) || !plausibleSecret(literal.text, true, binding, undefined, "JWT signing key")) return;
      report(literal, "jwt", { method, value: redact(literal.text), env: "JWT_SECRET" }, fixesFor(binding, literal, "JWT_SECRET"));
    }

    function checkConnectionString(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, text: string): void {
      const match = CONNECTION.exec(text);
      if (!match) return;
      const [, scheme, user, password, host] = match;
      if (!CONNECTION_SCHEMES.test(scheme) || isPlaceholder(password) || URL_PASSWORD_PLACEHOLDER.test(password) || URL_PASSWORD_NAME.test(password) || isPlaceholder(host)) return;
      const binding = bindingOf(node);
      const local = LOCAL_HOST.test(host) || !host.includes(".");
      const target = `${scheme}://${user ? `${user}@` : ""}${host}`;
      let env = binding.fallbackEnv ?? schemeEnv(scheme);
      if (!binding.fallbackEnv && binding.name && binding.site !== "property" && /url|uri|dsn|database|db|mongo|redis|postgres|mysql|amqp|rabbit|broker|connection/i.test(binding.name)) {
        env = toEnvName(binding.name);
      }
      const fixes = env ? fixesFor(binding, node, env) : binding.fallback ? fixesFor(binding, node, "") : [];
      const data = { target, value: redact(password), env: env ?? "DATABASE_URL" };
      if (local) report(node, "connectionLocal", data, fixes, "warning");
      else report(node, "connection", data, fixes);
    }
  },
};
