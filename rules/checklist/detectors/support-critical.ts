/**
 * Helpers shared by the critical-tier detectors (security, reliability, testing, monitoring.apm):
 * a view of the workspace without its tests, text searches limited to chosen files, package.json
 * scripts, and the module lists more than one of those detectors needs.
 */
import type { FileAnalysis } from "../../engine";
import { declarationSites, type Evidence, type EvidenceContext, importSites, lineOf } from "../evidence";

/** Test code: `*.test.*`, `*.spec.*`, Cypress specs and anything under a test, e2e, mocks or fixtures folder. */
export const TEST_FILE = /(?:^|\/)(?:test|tests|__tests__|__mocks__|e2e|fixtures|cypress|playwright|tests?-e2e|e2e-tests?)\/|\.(?:test|spec|e2e-spec|e2e|cy)\.[cm]?[jt]sx?$/;

export function isTestFile(file: string): boolean {
  return TEST_FILE.test(file);
}

const appViews = new WeakMap<EvidenceContext, EvidenceContext>();

/**
 * The same context with the analyses of test code left out: "in use" means used by the application
 * (its sources and its scripts), not by its tests.
 */
export function appContext(context: EvidenceContext): EvidenceContext {
  let view = appViews.get(context);
  if (!view) {
    view = {
      files: context.files,
      read: (file) => context.read(file),
      packageJsons: context.packageJsons,
      packages: context.packages,
      analyses: context.analyses.filter((analysis) => !isTestFile(analysis.file)),
      signals: context.signals,
      findings: context.findings,
      now: context.now,
    };
    appViews.set(context, view);
  }
  return view;
}

/** Whether `module` is one of `names` or a subpath of one (`@sentry/node` for `@sentry`), as `importSites` matches. */
export function moduleMatches(module: string, names: readonly string[]): boolean {
  return names.some((name) => module === name || module.startsWith(`${name}/`));
}

/** The analyses that import any of these modules (or their subpaths). */
export function importers(context: EvidenceContext, modules: readonly string[]): FileAnalysis[] {
  return context.analyses.filter((analysis) => analysis.imports.some(({ module }) => moduleMatches(module, modules)));
}

/** The module an `importSites` evidence names. */
export function moduleOf(evidence: Evidence): string {
  return evidence.note.replace(/^imports /, "");
}

/** "a, b and c" */
export function listOf(names: readonly string[]): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique.join("");
  return `${unique.slice(0, -1).join(", ")} and ${unique[unique.length - 1]}`;
}

/** The modules of `importSites` evidence, listed. */
export function modulesListed(evidence: readonly Evidence[]): string {
  return listOf(evidence.map(moduleOf));
}

/** What a piece of evidence shows, without the "imports " of import sites (for notes). */
export function describe(evidence: Evidence): string {
  return evidence.note.replace(/^imports /, "");
}

/**
 * The distinct descriptions of some evidence, listed ("a, b and c"), at most `max` of them; the
 * imported modules alone when there are any (they name the library; signals say the same thing in
 * other words).
 */
export function summary(evidence: readonly Evidence[], max = 3): string {
  const imports = evidence.filter((site) => site.note.startsWith("imports "));
  const unique = [...new Set((imports.length > 0 ? imports : evidence).map(describe))];
  return listOf(unique.length > max ? [...unique.slice(0, max - 1), `${unique.length - max + 1} more`] : unique);
}

/** Declared dependencies that are these packages or under these scopes (`@otplib` → `@otplib/core`). */
export function declaredNames(context: EvidenceContext, packages: readonly string[]): string[] {
  return [...context.packages].filter((name) => moduleMatches(name, packages)).sort();
}

/** `declarationSites` for packages given as names or scopes. */
export function declaredSites(context: EvidenceContext, packages: readonly string[]): Evidence[] {
  return declarationSites(context, declaredNames(context, packages));
}

/** Evidence without repeats of the same file and line (a signal and an import of the same statement). */
export function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((site) => {
    const key = `${site.file}:${site.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The call a regex match starts with, for notes: "Sentry.init(" → "Sentry.init", ".verify(req.body" → "verify". */
export function callName(match: RegExpExecArray): string {
  return match[0].split("(")[0].trim().replace(/^\./, "");
}

/** The 1-based line of a UTF-16 offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The first match of `pattern` in a file, with its line. */
export function matchIn(context: EvidenceContext, file: string, pattern: RegExp): { match: RegExpExecArray; line: number } | undefined {
  const text = context.read(file);
  if (text === undefined) return undefined;
  const regex = new RegExp(pattern.source, pattern.flags.replace("g", ""));
  const match = regex.exec(text);
  return match ? { match, line: lineAt(text, match.index) } : undefined;
}

/** Every match of `pattern` in a file, with its line. */
export function matchesIn(context: EvidenceContext, file: string, pattern: RegExp): { match: RegExpExecArray; line: number }[] {
  const text = context.read(file);
  if (text === undefined) return [];
  const regex = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  const found: { match: RegExpExecArray; line: number }[] = [];
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    found.push({ match, line: lineAt(text, match.index) });
    if (match[0].length === 0) regex.lastIndex++;
  }
  return found;
}

/** Evidence for the first match of `pattern` in each of these files. */
export function textSites(context: EvidenceContext, files: readonly string[], pattern: RegExp, note: string | ((match: RegExpExecArray) => string)): Evidence[] {
  const evidence: Evidence[] = [];
  for (const file of files) {
    const found = matchIn(context, file, pattern);
    if (found) evidence.push({ file, line: found.line, note: typeof note === "string" ? note : note(found.match) });
  }
  return evidence;
}

/** `package.json` scripts whose command matches, with the line of the script. */
export function scriptSites(context: EvidenceContext, pattern: RegExp, note: (name: string, command: string) => string): Evidence[] {
  const evidence: Evidence[] = [];
  for (const { file, json } of context.packageJsons) {
    const scripts = json?.scripts;
    if (!scripts || typeof scripts !== "object") continue;
    for (const [name, command] of Object.entries(scripts)) {
      if (typeof command !== "string" || !pattern.test(command)) continue;
      evidence.push({ file, line: scriptLine(context, file, name), note: note(name, command) });
    }
  }
  return evidence;
}

/** The line of a script in a package.json. */
export function scriptLine(context: EvidenceContext, file: string, name: string): number | undefined {
  const text = context.read(file);
  if (text === undefined) return undefined;
  const scripts = text.indexOf('"scripts"');
  const at = text.indexOf(JSON.stringify(name), scripts < 0 ? 0 : scripts);
  return at < 0 ? lineOf(text, JSON.stringify(name)) : lineAt(text, at);
}

/** Files that start processes and may preload an agent (`-r newrelic`, `NODE_OPTIONS=--require dd-trace/init`). */
const LAUNCH_FILE = /(?:^|\/)(?:Dockerfile[^/]*|[^/]*\.Dockerfile|Procfile|docker-compose[^/]*\.ya?ml|compose\.ya?ml|ecosystem\.config\.[cm]?js)$/;

/** Where a module is preloaded by a package.json script, a Dockerfile, a Procfile or a compose file. */
export function preloadSites(context: EvidenceContext, modules: RegExp, what: string): Evidence[] {
  // `-r newrelic`, `--require=dd-trace/init`, and the exec form `["node", "-r", "newrelic", …]`.
  const flag = new RegExp(`(?:-r|--require|--import|--loader)(?:=|['"]?\\s*,\\s*['"]|\\s+)['"]?(${modules.source})(?![\\w/-])`);
  const evidence = scriptSites(context, flag, (name, command) => `script "${name}" preloads ${flag.exec(command)![1]} (${what})`);
  for (const file of context.files.filter((candidate) => LAUNCH_FILE.test(candidate))) {
    const found = matchIn(context, file, flag);
    if (found) evidence.push({ file, line: found.line, note: `preloads ${found.match[1]} (${what})` });
  }
  return evidence;
}

/** Server frameworks: importing one means the code serves HTTP. */
export const HTTP_FRAMEWORKS = [
  "express", "fastify", "koa", "@koa/router", "koa-router", "@nestjs/common", "@nestjs/core", "@nestjs/platform-express", "@nestjs/platform-fastify",
  "hono", "@hono/node-server", "@hapi/hapi", "restify", "h3", "polka", "micro", "next",
];

/** Payment providers' SDKs (server and client). */
export const PAYMENT_PROVIDERS = [
  "stripe", "@stripe/stripe-js", "@stripe/react-stripe-js", "@paddle/paddle-node-sdk", "@paddle/paddle-js", "@lemonsqueezy/lemonsqueezy.js", "@lemonsqueezy",
  "braintree", "braintree-web", "@paypal/checkout-server-sdk", "@paypal/paypal-server-sdk", "@paypal/react-paypal-js", "@paypal/paypal-js", "paypal-rest-sdk",
  "@mollie/api-client", "@adyen/api-library", "razorpay", "square", "@polar-sh/sdk", "chargebee", "chargebee-typescript", "recurly",
];

/** Where a payment provider is imported by the application, or else declared. */
export function paymentProviderSites(context: EvidenceContext): Evidence[] {
  const imported = importSites(appContext(context), PAYMENT_PROVIDERS);
  return imported.length > 0 ? imported : declaredSites(context, PAYMENT_PROVIDERS);
}

/** An agent or tracker: how importing code starts it. */
export interface Agent {
  /** Modules (or scopes) of the agent. */
  modules: string[];
  label: string;
  /** What in a file that imports it starts it (`Sentry.init(`); absent when importing it is enough. */
  init?: RegExp;
  /** What the init call is called, for notes. */
  initName?: string;
}

/** Imports that start an error tracker by themselves (`import "dd-trace/init"`), and the same modules preloaded. */
export const SELF_STARTING_TRACKERS = /newrelic|dd-trace\/init|@sentry\/[\w-]+\/preload|elastic-apm-node\/start/;

/**
 * Where agents are started: a self-starting import, an init call in a file that imports the agent,
 * or a preload flag. `importedOnly` lists agents imported but never started.
 */
export function agentSites(context: EvidenceContext, agents: readonly Agent[], selfStarting: RegExp, what: string): { started: Evidence[]; importedOnly: Evidence[] } {
  const startsItself = new RegExp(`^(?:${selfStarting.source})$`);
  const app = appContext(context);
  const started: Evidence[] = [];
  const importedOnly: Evidence[] = [];
  for (const agent of agents) {
    const sites = importSites(app, agent.modules);
    if (sites.length === 0) continue;
    const starting = sites.filter((site) => !agent.init || startsItself.test(moduleOf(site)));
    if (starting.length > 0) {
      started.push(...starting.map((site) => ({ ...site, note: `imports ${moduleOf(site)}: starts ${agent.label}` })));
      continue;
    }
    const files = importers(app, agent.modules).map((analysis) => analysis.file);
    const inits = textSites(context, files, agent.init!, (match) => `${agent.label} initialised (${callName(match)})`);
    if (inits.length > 0) started.push(...inits);
    else importedOnly.push(...sites.map((site) => ({ ...site, note: `imports ${moduleOf(site)} but never calls ${agent.initName ?? "its init"}` })));
  }
  started.push(...preloadSites(context, selfStarting, what));
  return { started, importedOnly };
}

/** Error trackers and APM agents and how each is started. */
export const ERROR_TRACKERS: readonly Agent[] = [
  { modules: ["@sentry"], label: "Sentry", init: /(?:\b\w+\.)?\binit\s*\(|\b\w+\.forRoot\s*\(/, initName: "Sentry.init()" },
  { modules: ["dd-trace"], label: "Datadog", init: /(?:\b\w+)?\.init\s*\(/, initName: "tracer.init()" },
  { modules: ["rollbar"], label: "Rollbar", init: /new\s+\w*Rollbar\w*\s*\(|\.init\s*\(/i, initName: "new Rollbar()" },
  { modules: ["@bugsnag/js", "@bugsnag/node"], label: "Bugsnag", init: /(?:\b\w+)?\.start\s*\(/, initName: "Bugsnag.start()" },
  { modules: ["@honeybadger-io/js"], label: "Honeybadger", init: /(?:\b\w+)?\.configure\s*\(/, initName: "Honeybadger.configure()" },
  { modules: ["newrelic"], label: "New Relic" },
  { modules: ["elastic-apm-node"], label: "Elastic APM", init: /(?:\b\w+)?\.start\s*\(/, initName: "apm.start()" },
  { modules: ["@airbrake/node"], label: "Airbrake", init: /new\s+(?:\w+\.)?Notifier\s*\(/, initName: "new Notifier()" },
  { modules: ["@appsignal/nodejs"], label: "AppSignal", init: /new\s+Appsignal\s*\(/, initName: "new Appsignal()" },
];
