/** Evidence detectors for the critical Testing items, and monitoring.apm. */
import { type Detector, type Evidence, type EvidenceContext, fail, filesMatching, importSites, lineOf, open, pass } from "../evidence";
import {
  type Agent,
  agentSites,
  appContext,
  callName,
  declaredNames,
  declaredSites,
  describe,
  filesImporting,
  importsAny,
  isTestFile,
  lineAt,
  listNames,
  matchIn,
  notApplicable,
  paymentProviderSites,
  scriptSites,
  textSites,
} from "./support";

const MIN_COVERAGE = 60;

const percent = (value: number) => `${Math.round(value * 10) / 10}%`;

// ---------------------------------------------------------------------------------------------
// testing.unit-coverage

interface CoverageReport {
  file: string;
  covered: number;
  total: number;
  /** What was counted: lines or statements. */
  measure: string;
}

/** The folders a coverage/ report may sit in: the root and every package's folder. */
function packageFolders(context: EvidenceContext): string[] {
  const folders = new Set<string>([""]);
  for (const { file } of context.packageJsons) folders.add(file.slice(0, file.length - "package.json".length));
  return [...folders].sort();
}

/** The coverage report of one folder: json-summary, else lcov, else istanbul's coverage-final.json. */
function coverageReport(context: EvidenceContext, folder: string): CoverageReport | undefined {
  const summaryFile = `${folder}coverage/coverage-summary.json`;
  const summary = parseJson(context.read(summaryFile));
  const lines = summary?.total?.lines;
  if (lines && typeof lines.total === "number" && typeof lines.covered === "number" && lines.total > 0) {
    return { file: summaryFile, covered: lines.covered, total: lines.total, measure: "lines" };
  }
  const lcovFile = `${folder}coverage/lcov.info`;
  const lcov = context.read(lcovFile);
  if (lcov !== undefined) {
    const sum = (pattern: RegExp) => [...lcov.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
    const total = sum(/^LF:(\d+)/gm);
    if (total > 0) return { file: lcovFile, covered: sum(/^LH:(\d+)/gm), total, measure: "lines" };
  }
  const finalFile = `${folder}coverage/coverage-final.json`;
  const final = parseJson(context.read(finalFile));
  if (final && typeof final === "object") {
    let covered = 0;
    let total = 0;
    for (const entry of Object.values<any>(final)) {
      if (!entry || typeof entry.s !== "object" || entry.s === null) continue;
      for (const count of Object.values<unknown>(entry.s)) {
        total++;
        if (typeof count === "number" && count > 0) covered++;
      }
    }
    if (total > 0) return { file: finalFile, covered, total, measure: "statements" };
  }
  return undefined;
}

function parseJson(text: string | undefined): any {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** When istanbul's HTML report next to the data says it was generated ("… istanbul</a> at 2026-11-20T…"). */
function reportAge(context: EvidenceContext, folder: string): string {
  for (const file of [`${folder}coverage/index.html`, `${folder}coverage/lcov-report/index.html`]) {
    const match = /istanbul(?:<\/a>)?\s+at\s+([^<\n]+)/i.exec(context.read(file) ?? "");
    const date = match ? new Date(match[1].trim()) : undefined;
    if (!date || Number.isNaN(date.getTime())) continue;
    const days = Math.floor((context.now.getTime() - date.getTime()) / 86_400_000);
    const day = date.toISOString().slice(0, 10);
    if (days < 0) return `generated ${day}`;
    return days === 0 ? `generated today (${day})` : `generated ${days} day${days === 1 ? "" : "s"} ago (${day})`;
  }
  return "age unknown";
}

interface Gate {
  file: string;
  line?: number;
  value: number;
}

const JEST_CONFIG = /(?:^|\/)jest\.config\.[cm]?[jt]s(?:on)?$/;
const VITEST_CONFIG = /(?:^|\/)(?:vitest|vite)\.config\.[cm]?[jt]s$|(?:^|\/)vitest\.workspace\.[cm]?[jt]s$/;
const COVERAGE_RC = /(?:^|\/)(?:\.c8rc(?:\.json|\.ya?ml)?|\.nycrc(?:\.json|\.ya?ml)?|nyc\.config\.[cm]?js)$/;

/** The `lines` (else `statements`) figure of an object-literal text. */
function linesOrStatements(text: string): { value: number; index: number } | undefined {
  for (const key of ["lines", "statements"]) {
    const match = new RegExp(String.raw`["']?\b${key}["']?\s*[:=]\s*(\d+(?:\.\d+)?)`).exec(text);
    if (match) return { value: Number(match[1]), index: match.index };
  }
  return undefined;
}

/** The object-literal text that follows `key: {` (balanced braces), or undefined. */
function blockAfter(text: string, key: RegExp): { body: string; index: number } | undefined {
  const match = new RegExp(String.raw`${key.source}["']?\s*[:=]\s*\{`).exec(text);
  if (!match) return undefined;
  const start = match.index + match[0].length;
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return { body: text.slice(start, i), index: start };
  }
  return undefined;
}

function coverageGates(context: EvidenceContext): Gate[] {
  const gates: Gate[] = [];
  const add = (file: string, text: string, found: { value: number; index: number } | undefined) => {
    if (found && found.value > 0) gates.push({ file, line: lineAt(text, found.index), value: found.value });
  };
  for (const file of context.files) {
    if (JEST_CONFIG.test(file)) {
      const text = context.read(file) ?? "";
      const threshold = blockAfter(text, /\bcoverageThreshold\b/);
      const global = threshold && blockAfter(threshold.body, /\bglobal\b/);
      const found = global && linesOrStatements(global.body);
      if (threshold && global && found) add(file, text, { value: found.value, index: threshold.index + global.index + found.index });
    } else if (VITEST_CONFIG.test(file)) {
      const text = context.read(file) ?? "";
      const coverage = blockAfter(text, /\bcoverage\b/);
      if (!coverage) continue;
      const thresholds = blockAfter(coverage.body, /\bthresholds\b/);
      const body = thresholds?.body ?? coverage.body;
      const offset = coverage.index + (thresholds?.index ?? 0);
      const all = /\b100\s*:\s*true\b/.exec(body);
      if (thresholds && all) add(file, text, { value: 100, index: offset + all.index });
      else {
        const found = linesOrStatements(body);
        if (found) add(file, text, { value: found.value, index: offset + found.index });
      }
    } else if (COVERAGE_RC.test(file)) {
      const text = context.read(file) ?? "";
      const check = /["']?\b(?:check-coverage|checkCoverage)["']?\s*[:=]\s*true\b/.exec(text);
      if (!check) continue;
      // c8 and nyc check 90% of lines when --check-coverage is on and no figure is given.
      add(file, text, linesOrStatements(text) ?? { value: 90, index: check.index });
    }
  }
  for (const { file, json } of context.packageJsons) {
    const text = context.read(file) ?? "";
    const global = json?.jest?.coverageThreshold?.global;
    const jest = global && (typeof global.lines === "number" ? global.lines : global.statements);
    if (typeof jest === "number" && jest > 0) gates.push({ file, line: lineOf(text, '"coverageThreshold"'), value: jest });
    for (const key of ["c8", "nyc"]) {
      const config = json?.[key];
      if (!config || typeof config !== "object" || !(config["check-coverage"] === true || config.checkCoverage === true)) continue;
      const value = typeof config.lines === "number" ? config.lines : typeof config.statements === "number" ? config.statements : 90;
      gates.push({ file, line: lineOf(text, `"${key}"`), value });
    }
  }
  // Gates given on the command line: `c8 --check-coverage --lines 80`, `node --test --test-coverage-lines=80`,
  // `vitest --coverage.thresholds.lines=80`, `jest --coverageThreshold='{"global":{"lines":80}}'`.
  const CLI = /(?:--check-coverage\b[^&|;]*?--(?:lines|statements)[= ](\d+)|--(?:lines|statements)[= ](\d+)[^&|;]*?--check-coverage\b|--test-coverage-lines=(\d+)|--coverage\.thresholds\.(?:lines|statements)[= ](\d+)|coverageThreshold[^&|;]*?["']?lines["']?\s*:\s*(\d+))/;
  for (const site of scriptSites(context, CLI, (name, command) => `${name}: ${command}`)) {
    const match = CLI.exec(site.note)!;
    const value = Number(match.slice(1).find((group) => group !== undefined));
    if (value > 0) gates.push({ file: site.file!, line: site.line, value });
  }
  return gates;
}

const unitCoverage: Detector = (context) => {
  const reports = packageFolders(context)
    .map((folder) => ({ folder, report: coverageReport(context, folder) }))
    .filter((entry): entry is { folder: string; report: CoverageReport } => entry.report !== undefined);
  if (reports.length > 0) {
    const covered = reports.reduce((sum, { report }) => sum + report.covered, 0);
    const total = reports.reduce((sum, { report }) => sum + report.total, 0);
    const figure = (covered / total) * 100;
    const evidence = reports.map(({ folder, report }) => ({
      file: report.file,
      note: `${report.measure} coverage ${percent((report.covered / report.total) * 100)} (${report.covered}/${report.total}), ${reportAge(context, folder)}`,
    }));
    const where = reports.length === 1 ? `${reports[0].report.file}, ${reportAge(context, reports[0].folder)}` : `${reports.length} reports`;
    const measure = reports.every(({ report }) => report.measure === "lines") ? "Line" : "Line/statement";
    if (figure >= MIN_COVERAGE) return pass(`${measure} coverage ${percent(figure)} (${where})`, evidence);
    return fail(`${measure} coverage ${percent(figure)} is below ${MIN_COVERAGE}% (${where})`, evidence);
  }
  const gates = coverageGates(context);
  if (gates.length > 0) {
    const best = gates.reduce((max, gate) => (gate.value > max.value ? gate : max));
    const evidence = gates.map((gate) => ({ file: gate.file, line: gate.line, note: `coverage gate of ${gate.value}%` }));
    if (best.value >= MIN_COVERAGE) return pass(`coverage gate of ${best.value}% configured in ${best.file}`, evidence);
    return fail(`coverage gate of ${best.value}% configured in ${best.file} is below ${MIN_COVERAGE}%`, evidence);
  }
  return fail("no coverage report or threshold found");
};

// ---------------------------------------------------------------------------------------------
// testing.integration

/** Modules whose use in a test means the test drives the HTTP app (or real infrastructure). */
const INTEGRATION_MODULES = ["supertest", "supertest-fetch", "light-my-request", "chai-http", "pactum", "@hapi/shot", "testcontainers", "@testcontainers"];
/** Text of a test that drives the app in process: `app.inject(`, Nest's `createNestApplication`, `request(app)`, Hono's `app.request(`. */
const IN_PROCESS_REQUEST = /\.inject\s*\(|\bcreateNestApplication\s*\(|\brequest\(\s*(?:app|server|api|httpServer)\b|\bapp\.request\s*\(/;

const integration: Detector = (context) => {
  const tests = context.analyses.filter((analysis) => isTestFile(analysis.file));
  if (tests.length === 0) return fail("no tests found");
  const testContext = { ...appContext(context), analyses: tests };
  const imported = importSites(testContext, INTEGRATION_MODULES);
  const driven = textSites(
    context,
    tests.filter((analysis) => !imported.some((site) => site.file === analysis.file)).map((analysis) => analysis.file),
    IN_PROCESS_REQUEST,
    (match) => `drives the app in process (${/^request\(/.test(match[0]) ? `${match[0]})` : `${callName(match)}()`})`,
  );
  const evidence = [...imported, ...driven];
  if (evidence.length > 0) {
    const files = new Set(evidence.map((site) => site.file));
    return pass(`${files.size} integration test file${files.size === 1 ? "" : "s"} (${evidence[0].file})`, evidence);
  }
  return fail("no integration tests found (supertest, fastify.inject, @nestjs/testing with createNestApplication)", tests.slice(0, 1).map((analysis) => ({ file: analysis.file, note: "unit tests only" })));
};

// ---------------------------------------------------------------------------------------------
// testing.e2e-payments

const E2E_PATH = /(?:^|\/)(?:e2e|tests?-e2e|e2e-tests?|playwright|cypress\/(?:e2e|integration))\/|\.(?:cy|e2e|e2e-spec)\.[cm]?[jt]sx?$/;
const NOT_A_SPEC = /(?:^|\/)(?:[^/]*\.config\.[cm]?[jt]s|cypress\/(?:support|fixtures|plugins)\/.*)$/;
const TEST_CALL = /\b(?:test|it|describe|Scenario|Feature)(?:\.\w+)?\s*\(/;
const PAYMENT_WORDS = /checkout|payment|billing|subscri(?:be|ption)|stripe|paddle|paypal|lemon ?squeezy|purchase/i;

const e2ePayments: Detector = (context) => {
  const specs = context.analyses
    .filter((analysis) => !NOT_A_SPEC.test(analysis.file))
    .filter((analysis) => E2E_PATH.test(analysis.file) || importsAny(analysis, ["@playwright/test", "playwright", "cypress", "@wdio", "webdriverio", "puppeteer"]))
    .filter((analysis) => matchIn(context, analysis.file, TEST_CALL) !== undefined);
  const kindOf = (file: string) => {
    const analysis = specs.find((spec) => spec.file === file)!;
    if (analysis.imports.some(({ module }) => module === "@playwright/test")) return "Playwright";
    if (/(?:^|\/)cypress\/|\.cy\./.test(file)) return "Cypress";
    return "E2E";
  };
  const payments = textSites(context, specs.map((spec) => spec.file), PAYMENT_WORDS, (match) => `E2E spec mentions "${match[0]}"`).map((site) => ({
    ...site,
    note: site.note.replace(/^E2E/, kindOf(site.file!)),
  }));
  if (payments.length > 0) return pass(`E2E tests cover the payment flow (${payments[0].file})`, payments);
  const providers = paymentProviderSites(context);
  if (providers.length === 0) {
    return notApplicable(open(`no payment provider found${specs.length > 0 ? " (E2E tests exist, none about payments)" : ""}`, specs.slice(0, 1).map((spec) => ({ file: spec.file, note: `${kindOf(spec.file)} spec` }))));
  }
  if (specs.length > 0) {
    return fail("E2E tests exist but none cover the payment flow", specs.map((spec) => ({ file: spec.file, note: `${kindOf(spec.file)} spec without payment steps` })));
  }
  return fail("no E2E tests found (Playwright, Cypress)", providers);
};

// ---------------------------------------------------------------------------------------------
// testing.ci-cd

const CI_FILE =
  /(?:^|\/)(?:\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|Jenkinsfile|bitbucket-pipelines\.ya?ml|\.buildkite\/pipeline\.ya?ml|\.travis\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml|\.woodpecker\/[^/]+\.ya?ml|\.gitea\/workflows\/[^/]+\.ya?ml|\.forgejo\/workflows\/[^/]+\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml)$/;
/** A command that runs tests. */
const TEST_COMMAND = new RegExp(
  [
    String.raw`\bnpm\s+(?:run\s+|run-script\s+)?test\b`,
    String.raw`\bnpm\s+t\b`,
    String.raw`\bnpm\s+(?:run\s+)?test:[\w:-]+`,
    String.raw`\bnpm\s+cit\b`,
    String.raw`\bpnpm\s+(?:(?:-r|--recursive|--filter[= ]\S+|-F\s+\S+)\s+)*(?:run\s+)?test\b`,
    String.raw`\byarn\s+(?:workspaces\s+(?:foreach\s+(?:-\S+\s+)*)?run\s+|run\s+)?test\b`,
    String.raw`\bbun\s+(?:run\s+)?test\b`,
    String.raw`\bdeno\s+test\b`,
    String.raw`\bnode\s+(?:--\S+\s+)*--test\b`,
    String.raw`\b(?:npx|pnpm\s+exec|pnpm\s+dlx|yarn\s+dlx|bunx)\s+(?:vitest|jest|mocha|ava|tap|c8|nyc|playwright\s+test|cypress\s+run)\b`,
    String.raw`(?:^|[\s"'\x60;&|])(?:vitest|jest|mocha)(?:\s|$|["'])`,
    String.raw`\bturbo\s+(?:run\s+)?test\b`,
    String.raw`\bnx\s+(?:run-many|affected)\b[^\n]*\btest\b`,
    String.raw`\blerna\s+run\s+test\b`,
    String.raw`\bmake\s+test\b`,
    String.raw`cypress-io/github-action`,
  ].join("|"),
  "m",
);
/** `npm run <script>`, `pnpm <script>`, `yarn <script>`, `bun run <script>`: resolved through package.json. */
const SCRIPT_CALL = /\b(?:npm\s+run(?:-script)?|pnpm(?:\s+run)?|yarn(?:\s+run)?|bun\s+run)\s+([\w:.-]+)/g;

/** The text of a CI file without comment lines. */
function withoutComments(text: string): string {
  return text.replace(/^[ \t]*(?:#|\/\/).*$/gm, "");
}

/** The package.json scripts that run tests, by name. */
function testingScripts(context: EvidenceContext): Map<string, { file: string; command: string }> {
  const scripts = new Map<string, { file: string; command: string }>();
  for (const { file, json } of context.packageJsons) {
    const entries = json?.scripts && typeof json.scripts === "object" ? Object.entries<unknown>(json.scripts) : [];
    for (const [name, command] of entries) {
      if (typeof command === "string" && (name === "test" || TEST_COMMAND.test(command)) && !/no test specified/.test(command)) scripts.set(name, { file, command });
    }
  }
  // One level of indirection: `"ci": "npm run lint && npm run test:unit"`.
  for (const { file, json } of context.packageJsons) {
    const entries = json?.scripts && typeof json.scripts === "object" ? Object.entries<unknown>(json.scripts) : [];
    for (const [name, command] of entries) {
      if (typeof command !== "string" || scripts.has(name)) continue;
      for (const call of command.matchAll(SCRIPT_CALL)) if (scripts.has(call[1])) scripts.set(name, { file, command });
    }
  }
  return scripts;
}

const ciCd: Detector = (context) => {
  const pipelines = filesMatching(context, CI_FILE);
  if (pipelines.length === 0) return fail("no CI pipeline found (.github/workflows, .gitlab-ci.yml, …)");
  const scripts = testingScripts(context);
  const runs: Evidence[] = [];
  for (const file of pipelines) {
    const text = withoutComments(context.read(file) ?? "");
    const direct = TEST_COMMAND.exec(text);
    if (direct) {
      runs.push({ file, line: lineAt(text, direct.index), note: `runs the tests (${direct[0].trim()})` });
      continue;
    }
    for (const call of text.matchAll(SCRIPT_CALL)) {
      const script = scripts.get(call[1]);
      if (!script) continue;
      runs.push({ file, line: lineAt(text, call.index!), note: `runs the tests (${call[0].trim()}: ${script.command})` });
      break;
    }
  }
  if (runs.length > 0) return pass(`CI pipeline runs the tests (${runs[0].file})`, runs);
  return fail("CI pipeline found but it does not run the tests", pipelines.map((file) => ({ file, note: "CI pipeline without a test step" })));
};

// ---------------------------------------------------------------------------------------------
// monitoring.apm

const APM_AGENTS: readonly Agent[] = [
  {
    modules: [
      "@opentelemetry/sdk-node", "@opentelemetry/auto-instrumentations-node", "@opentelemetry/sdk-trace-node", "@vercel/otel", "@splunk/otel",
      "@honeycombio/opentelemetry-node", "@azure/monitor-opentelemetry", "@hyperdx/node-opentelemetry", "@aws/aws-distro-opentelemetry-node-autoinstrumentation",
    ],
    label: "OpenTelemetry",
  },
  { modules: ["dd-trace"], label: "Datadog APM", init: /(?:\b\w+)?\.init\s*\(/, initName: "tracer.init()" },
  { modules: ["newrelic"], label: "New Relic" },
  { modules: ["elastic-apm-node"], label: "Elastic APM", init: /(?:\b\w+)?\.start\s*\(/, initName: "apm.start()" },
  { modules: ["@appsignal/nodejs"], label: "AppSignal" },
  { modules: ["@instana/collector"], label: "Instana" },
  { modules: ["applicationinsights"], label: "Application Insights", init: /\.setup\s*\(/, initName: "appInsights.setup().start()" },
  { modules: ["@google-cloud/trace-agent"], label: "Cloud Trace", init: /(?:\b\w+)?\.start\s*\(/, initName: "start()" },
  { modules: ["@dynatrace/oneagent"], label: "Dynatrace" },
];
const APM_PACKAGES = APM_AGENTS.flatMap((agent) => agent.modules);
const SELF_STARTING_APM =
  /newrelic|dd-trace\/init|elastic-apm-node\/start|@opentelemetry\/auto-instrumentations-node\/register|@instana\/collector\/src\/immediate|@splunk\/otel\/instrument|@aws\/aws-distro-opentelemetry-node-autoinstrumentation\/register/;

const apm: Detector = (context) => {
  const { started, importedOnly } = agentSites(context, APM_AGENTS, SELF_STARTING_APM, "APM");
  const sentryFiles = filesImporting(appContext(context), ["@sentry"]);
  const sentry = textSites(context, sentryFiles, /\btraces(?:SampleRate\s*:(?!\s*0(?:\.0+)?\s*[,}\n])|Sampler\s*:)/, "Sentry performance tracing (tracesSampleRate)");
  const evidence = [...started, ...sentry];
  if (evidence.length > 0) {
    const labels = APM_AGENTS.filter((agent) => started.some((site) => site.note.includes(agent.label) || agent.modules.some((name) => site.note.includes(name)))).map((agent) => agent.label);
    if (sentry.length > 0) labels.push("Sentry tracing");
    return pass(`APM in use${labels.length > 0 ? `: ${listNames(labels)}` : ""}`, evidence);
  }
  if (importedOnly.length > 0) return fail(`${listNames(importedOnly.map(describe))}: no traces are sent`, importedOnly);
  const declared = declaredSites(context, APM_PACKAGES);
  if (declared.length > 0) {
    return open(`${listNames(declaredNames(context, APM_PACKAGES))} declared in package.json but not loaded by code or scripts (it may be loaded through NODE_OPTIONS)`, declared);
  }
  return fail("no APM found (OpenTelemetry, Datadog, New Relic, Elastic APM…)");
};

export const testingDetectors: Record<string, Detector> = {
  "testing.unit-coverage": unitCoverage,
  "testing.integration": integration,
  "testing.e2e-payments": e2ePayments,
  "testing.ci-cd": ciCd,
  "monitoring.apm": apm,
};
