/**
 * Helpers shared by the evidence detectors: paths and file kinds, text searches limited to chosen
 * files, which modules are imported or only declared, package.json scripts and keys, wording of
 * notes, and the module lists and agents more than one detector needs. One home, so detectors
 * don't grow private twins; what `../evidence` already offers (`lineOf`, `importSites`,
 * `declarationSites`, `signalSites`, `filesMatching`, `sourcesMatching`) is used from there.
 */
import * as path from "path";
import type { FileAnalysis } from "../../engine";
import { FileClassifier } from "../../workspace";
import { declarationSites, type DetectorResult, type Evidence, type EvidenceContext, filesMatching, importIndex, importSites, lineOf } from "../evidence";

// ---------------------------------------------------------------------------------------------
// Paths and kinds of files

/** The last path segment. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

/** The folder of a workspace-relative file ("" at the root). */
export function dirName(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash < 0 ? "" : file.slice(0, slash);
}

/** Test code: `*.test.*`, `*.spec.*`, Cypress specs and anything under a test, e2e, mocks or fixtures folder. */
const TEST_FILE = /(?:^|\/)(?:test|tests|__tests__|__mocks__|e2e|fixtures|cypress|playwright|tests?-e2e|e2e-tests?)\/|\.(?:test|spec|e2e-spec|e2e|cy)\.[cm]?[jt]sx?$/;

export function isTestFile(file: string): boolean {
  return TEST_FILE.test(file);
}

const defaultClassifier = new FileClassifier(undefined);

/** Whether a file is production code by the default classification (not tests, fixtures or scripts). */
export function isProductionFile(file: string): boolean {
  return defaultClassifier.isProduction(file);
}

// ---------------------------------------------------------------------------------------------
// Text

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
export function textSites(context: EvidenceContext, files: Iterable<string>, pattern: RegExp, note: string | ((match: RegExpExecArray) => string)): Evidence[] {
  const evidence: Evidence[] = [];
  for (const file of files) {
    const found = matchIn(context, file, pattern);
    if (found) evidence.push({ file, line: found.line, note: typeof note === "string" ? note : note(found.match) });
  }
  return evidence;
}

// ---------------------------------------------------------------------------------------------
// Modules: imported, declared

/** Whether `module` is one of `names` or below one of them (`@sentry` matches `@sentry/node`, `k6` matches `k6/http`), as `importSites` matches. */
export function moduleMatches(module: string, names: readonly string[]): boolean {
  return names.some((name) => module === name || module.startsWith(`${name}/`));
}

/** The package a module specifier belongs to (`@scope/name/sub` → `@scope/name`, `k6/http` → `k6`). */
export function packageOf(module: string): string {
  const parts = module.split("/");
  return module.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Whether an analysed file imports any of these modules (or their subpaths). */
export function importsAny(analysis: FileAnalysis, modules: readonly string[]): boolean {
  return analysis.imports.some(({ module }) => moduleMatches(module, modules));
}

/** The analyses that import any of these modules (or their subpaths). */
export function importers(context: EvidenceContext, modules: readonly string[]): FileAnalysis[] {
  const index = importIndex(context.analyses);
  const matching: (readonly number[])[] = [];
  index.modules.forEach((module, position) => {
    if (moduleMatches(module, modules)) matching.push(index.importers[position]);
  });
  if (matching.length === 0) return [];
  if (matching.length === 1) return matching[0].map((i) => context.analyses[i]);
  const indexes = [...new Set(matching.flat())].sort((a, b) => a - b);
  return indexes.map((i) => context.analyses[i]);
}

/** The files of `importers`. */
export function filesImporting(context: EvidenceContext, modules: readonly string[]): string[] {
  return importers(context, modules).map((analysis) => analysis.file);
}

/** Analysed files that import one of these workspace files through a relative specifier (`../lib/analytics`). */
export function relativeImporters(context: EvidenceContext, files: readonly string[]): string[] {
  // `lib/analytics.ts`, `lib/analytics/index.ts` and `./analytics` all stand for `lib/analytics`.
  const importPath = (file: string) => file.replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "");
  const targets = new Set(files.map(importPath));
  if (targets.size === 0) return [];
  return context.analyses
    .filter(({ file, imports }) => imports.some(({ module }) => module.startsWith(".") && targets.has(importPath(path.posix.normalize(path.posix.join(dirName(file), module))))))
    .map(({ file }) => file);
}

/** Modules imported by analysed sources or declared by a package.json whose name passes `test`, sorted. */
export function modulesWhere(context: EvidenceContext, test: (name: string) => boolean): string[] {
  const names = new Set<string>(context.packages);
  for (const analysis of context.analyses) for (const { module } of analysis.imports) names.add(module);
  return [...names].sort().filter(test);
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

/** Declared dependencies that are these packages or under these scopes (`@otplib` → `@otplib/core`), sorted. */
export function declaredNames(context: EvidenceContext, packages: readonly string[]): string[] {
  return [...context.packages].filter((name) => moduleMatches(name, packages)).sort();
}

/** `declarationSites` for packages given as names or scopes. */
export function declaredSites(context: EvidenceContext, packages: readonly string[]): Evidence[] {
  return declarationSites(context, declaredNames(context, packages));
}

export interface Usage {
  /** First import site of each matching module (strongest evidence). */
  imported: Evidence[];
  /** package.json declarations of matching packages. */
  declared: Evidence[];
  /** Matching module names that are imported. */
  importedNames: string[];
  /** Matching package names that are declared but never imported. */
  declaredOnlyNames: string[];
}

/** Where any of these modules is imported by analysed sources (tests included), and which are only declared. */
export function usageOf(context: EvidenceContext, modules: readonly string[]): Usage {
  const imported = importSites(context, modules);
  const importedModules = [...new Set(imported.map(describe))];
  // `@auth/express/providers/github` adds nothing to `@auth/express`.
  const importedNames = importedModules.filter((name) => !importedModules.some((other) => other !== name && name.startsWith(`${other}/`)));
  const importedPackages = new Set(importedNames.map(packageOf));
  const declared = declaredNames(context, modules);
  return { imported, declared: declarationSites(context, declared), importedNames, declaredOnlyNames: declared.filter((name) => !importedPackages.has(name)) };
}

// ---------------------------------------------------------------------------------------------
// package.json

/** A package.json script whose command matched, and its evidence (`script "name": command` at the script's line). */
export interface ScriptMatch {
  name: string;
  command: string;
  site: Evidence;
}

/** package.json scripts whose command matches. */
export function matchingScripts(context: EvidenceContext, pattern: RegExp): ScriptMatch[] {
  const matches: ScriptMatch[] = [];
  for (const { file, json } of context.packageJsons) {
    const scripts = json?.scripts;
    if (!scripts || typeof scripts !== "object") continue;
    for (const [name, command] of Object.entries(scripts)) {
      if (typeof command !== "string" || !pattern.test(command)) continue;
      matches.push({ name, command, site: { file, line: scriptLine(context, file, name), note: `script "${name}": ${command}` } });
    }
  }
  return matches;
}

/** Evidence for the package.json scripts whose command matches, noted `script "name": command` unless `note` says otherwise. */
export function scriptSites(context: EvidenceContext, pattern: RegExp, note?: (name: string, command: string) => string): Evidence[] {
  return matchingScripts(context, pattern).map(({ name, command, site }) => (note ? { ...site, note: note(name, command) } : site));
}

/** The line of a script in a package.json. */
function scriptLine(context: EvidenceContext, file: string, name: string): number | undefined {
  const text = context.read(file);
  if (text === undefined) return undefined;
  const scripts = text.indexOf('"scripts"');
  const at = text.indexOf(JSON.stringify(name), scripts < 0 ? 0 : scripts);
  return at < 0 ? lineOf(text, JSON.stringify(name)) : lineAt(text, at);
}

/** package.json files that have this top-level key (`eslintConfig`, `renovate`), with its line. */
export function packageKeySites(context: EvidenceContext, key: string, note: string): Evidence[] {
  return context.packageJsons
    .filter(({ json }) => json && typeof json === "object" && key in json)
    .map(({ file }) => ({ file, line: lineOf(context.read(file), new RegExp(`^[ \\t]*"${key}"\\s*:`, "m")), note }));
}

// ---------------------------------------------------------------------------------------------
// Notes and results

/** `a`, `a and b`, `a, b and c`; past `max` names, `a, b, c, d and 2 more`. */
export function listNames(names: readonly string[], max = Infinity): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique.join("");
  if (unique.length > max) return `${unique.slice(0, max).join(", ")} and ${unique.length - max} more`;
  return `${unique.slice(0, -1).join(", ")} and ${unique[unique.length - 1]}`;
}

/** What a piece of evidence shows, for notes: the module of an import site (`imports pino` → `pino`), else its note. */
export function describe(evidence: Evidence): string {
  return evidence.note.replace(/^imports /, "");
}

/** The modules of `importSites` evidence, listed. */
export function modulesListed(evidence: readonly Evidence[]): string {
  return listNames(evidence.map(describe));
}

/**
 * The distinct descriptions of some evidence, listed ("a, b and c"), at most `max` entries counting
 * an "N more"; the imported modules alone when there are any (they name the library; signals say the
 * same thing in other words).
 */
export function summary(evidence: readonly Evidence[], max = 3): string {
  const imports = evidence.filter((site) => site.note.startsWith("imports "));
  const unique = [...new Set((imports.length > 0 ? imports : evidence).map(describe))];
  return listNames(unique, unique.length > max ? max - 1 : max);
}

/** The call a regex match starts with, for notes: "Sentry.init(" → "Sentry.init", ".verify(req.body" → "verify". */
export function callName(match: RegExpExecArray): string {
  return match[0].split("(")[0].trim().replace(/^\./, "");
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

/** The result, with the suggestion that the item does not apply. */
export function notApplicable(result: DetectorResult): DetectorResult {
  return { ...result, suggestNotApplicable: true };
}

// ---------------------------------------------------------------------------------------------
// Module lists, payment providers, agents

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

/** Files that start processes and may preload an agent (`-r newrelic`, `NODE_OPTIONS=--require dd-trace/init`). */
const LAUNCH_FILE = /(?:^|\/)(?:Dockerfile[^/]*|[^/]*\.Dockerfile|Procfile|docker-compose[^/]*\.ya?ml|compose\.ya?ml|ecosystem\.config\.[cm]?js)$/;

/** Where a module is preloaded by a package.json script, a Dockerfile, a Procfile or a compose file. */
function preloadSites(context: EvidenceContext, modules: RegExp, what: string): Evidence[] {
  // `-r newrelic`, `--require=dd-trace/init`, and the exec form `["node", "-r", "newrelic", …]`.
  const flag = new RegExp(`(?:-r|--require|--import|--loader)(?:=|['"]?\\s*,\\s*['"]|\\s+)['"]?(${modules.source})(?![\\w/-])`);
  const evidence = scriptSites(context, flag, (name, command) => `script "${name}" preloads ${flag.exec(command)![1]} (${what})`);
  for (const file of filesMatching(context, LAUNCH_FILE)) {
    const found = matchIn(context, file, flag);
    if (found) evidence.push({ file, line: found.line, note: `preloads ${found.match[1]} (${what})` });
  }
  return evidence;
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
    const starting = sites.filter((site) => !agent.init || startsItself.test(describe(site)));
    if (starting.length > 0) {
      started.push(...starting.map((site) => ({ ...site, note: `imports ${describe(site)}: starts ${agent.label}` })));
      continue;
    }
    const inits = textSites(context, filesImporting(app, agent.modules), agent.init!, (match) => `${agent.label} initialised (${callName(match)})`);
    if (inits.length > 0) started.push(...inits);
    else importedOnly.push(...sites.map((site) => ({ ...site, note: `imports ${describe(site)} but never calls ${agent.initName ?? "its init"}` })));
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
