import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { createWorkspace, REPO_ROOT, runCli } from "../workspace-fixture";

const APP = `import express from "express";
const app = express();
app.use(helmet());
app.set("etag", false);
app.listen(3000);
`;

describe("readiness check", () => {
  it("prints findings grouped by file with a code frame and a summary, exit 1 at --fail-on warning", () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": APP });
    const result = runCli(["check", "--fail-on", "warning"], root);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^src\/app\.ts$/m);
    assert.match(result.stdout, /4:1 +warning +ETags are disabled.*etag-disabled/);
    assert.match(result.stdout, /4 \| app\.set\("etag", false\);/);
    assert.match(result.stdout, /\| \^{22}/);
    assert.match(result.stdout, /1 problem \(0 errors, 1 warning, 0 info, 0 hints\)/);
    assert.doesNotMatch(result.stdout, /\u001b\[/, "no colours when stdout is not a TTY");
  });

  it("exits 0 when findings are below --fail-on, and with --fail-on never", () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": APP });
    assert.equal(runCli(["check"], root).status, 0);
    assert.equal(runCli(["check", "--fail-on", "never"], root).status, 0);
    assert.equal(runCli(["check", "--fail-on", "info"], root).status, 1);
  });

  it("prints exactly one JSON object with the documented keys", () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": APP });
    const result = runCli(["check", "--format", "json"], root);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(report), ["tool", "root", "findings", "checklist"]);
    assert.equal(report.tool.name, "readiness");
    assert.match(report.tool.version, /^\d+\.\d+\.\d+/);
    assert.equal(report.root, fs.realpathSync(root) === root ? root : report.root);
    assert.deepEqual(report.findings, [
      {
        ruleId: "etag-disabled",
        severity: "warning",
        file: "src/app.ts",
        line: 4,
        column: 1,
        endLine: 4,
        endColumn: 23,
        message: report.findings[0].message,
        checklistItem: "performance.etags",
        fixable: true,
      },
    ]);
  });

  it("writes SARIF 2.1.0 that validates against the official schema, with rules, locations and fixes", () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": APP });
    const result = runCli(["check", "--format", "sarif"], root);
    const log: any = JSON.parse(result.stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
    // The published schema has a pattern that is only valid without the `u` flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile<any>(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0];
    assert.ok(run.tool.driver.rules.length >= 2);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.help.text.length > 20, `${rule.id} has help text`);
      assert.match(rule.helpUri, new RegExp(`docs/rules/${rule.id}\\.md$`));
    }
    const [finding] = run.results;
    assert.equal(finding.ruleId, "etag-disabled");
    assert.equal(run.tool.driver.rules[finding.ruleIndex].id, "etag-disabled");
    assert.deepEqual(finding.locations[0].physicalLocation.artifactLocation, { uri: "src/app.ts", uriBaseId: "ROOT" });
    assert.equal(finding.locations[0].physicalLocation.region.startLine, 4);
    assert.equal(finding.fixes[0].artifactChanges[0].replacements.length, 1);
  });

  it("--fix applies fixes in place, reports them, and changes nothing else", () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": APP, "src/other.ts": "export const x = 1;\r\n" });
    const result = runCli(["check", "--fix", "--fail-on", "warning"], root);
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stderr, /fixed 1 problem in src\/app\.ts/);
    assert.equal(fs.readFileSync(path.join(root, "src/app.ts"), "utf8"), APP.replace('app.set("etag", false);\n', ""));
    assert.equal(fs.readFileSync(path.join(root, "src/other.ts"), "utf8"), "export const x = 1;\r\n");
    assert.deepEqual(fs.readdirSync(path.join(root, "src")).sort(), ["app.ts", "other.ts"], "no temp files left behind");
  });

  it("limits the report to the given paths", () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": APP, "lib/app.ts": APP });
    const report = JSON.parse(runCli(["check", "lib", "--format", "json"], root).stdout);
    assert.deepEqual(report.findings.map((f: { file: string }) => f.file), ["lib/app.ts"]);
  });

  it("skips tests, scripts, node_modules and build output", () => {
    const root = createWorkspace({
      "package.json": "{}",
      "test/app.test.ts": APP,
      "scripts/seed.ts": APP,
      "node_modules/x/index.js": APP,
      "dist/app.js": APP,
      "src/app.min.js": APP,
    });
    const report = JSON.parse(runCli(["check", "--format", "json"], root).stdout);
    assert.deepEqual(report.findings, []);
  });

  it("honours include/exclude and rule settings from readiness.config.json (comments allowed)", () => {
    const root = createWorkspace({
      "readiness.config.json": `{
  // only the API
  "include": ["api/**"],
  "rules": { "etag-disabled": "error" },
}`,
      "api/app.ts": APP,
      "web/app.ts": APP,
    });
    const report = JSON.parse(runCli(["check", "--format", "json"], root).stdout);
    assert.deepEqual(report.findings.map((f: { file: string; severity: string }) => [f.file, f.severity]), [["api/app.ts", "error"]]);
    const off = createWorkspace({ "readiness.config.json": `{ "rules": { "etag-disabled": "off" } }`, "app.ts": APP });
    assert.deepEqual(JSON.parse(runCli(["check", "--format", "json"], off).stdout).findings, []);
  });

  for (const [name, config, expected] of [
    ["invalid JSON", `{\n  "rules": {\n    "etag-disabled": "warning"\n  \n`, /^readiness: .*readiness\.config\.json:5:\d+: invalid JSON: /],
    ["an unknown rule id", `{\n  "rules": {\n    "etag-disabeld": "warning"\n  }\n}`, /^readiness: .*readiness\.config\.json:3:5: rules\.etag-disabeld: unknown rule id "etag-disabeld" \(did you mean "etag-disabled"\?\)$/],
    ["a bad severity", `{\n  "rules": {\n    "etag-disabled": "warn"\n  }\n}`, /^readiness: .*readiness\.config\.json:3:22: rules\.etag-disabled: bad severity "warn": expected one of "off", "error", "warning", "info", "hint"$/],
    ["an unknown key", `{\n  "inclde": ["src"]\n}`, /^readiness: .*readiness\.config\.json:2:3: inclde: unknown key "inclde"$/],
    ["a wrong type", `{\n  "exclude": "dist"\n}`, /^readiness: .*readiness\.config\.json:2:14: exclude: must be array, found string "dist"$/],
  ] as const) {
    it(`reports ${name} in the config as one line with file, line and key, exit 2`, () => {
      const root = createWorkspace({ "readiness.config.json": config, "src/app.ts": APP });
      const result = runCli(["check"], root);
      assert.equal(result.status, 2);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr.trim(), expected);
    });
  }

  it("finds the config by walking up from the scanned path", () => {
    const root = createWorkspace({ "readiness.config.json": `{ "rules": { "etag-disabled": "error" } }`, "packages/api/src/app.ts": APP });
    const result = runCli(["check", "packages/api", "--format", "json"], root);
    const report = JSON.parse(result.stdout);
    assert.equal(report.findings[0].severity, "error");
    assert.equal(report.findings[0].file, "packages/api/src/app.ts");
  });

  it("rejects bad usage with exit 2 and one line", () => {
    const root = createWorkspace({ "src/app.ts": APP });
    for (const args of [["check", "--format", "xml"], ["check", "--fail-on", "sometimes"], ["check", "--nope"], ["frobnicate"], ["check", "missing-dir"]]) {
      const result = runCli(args, root);
      assert.equal(result.status, 2, args.join(" "));
      assert.match(result.stderr, /^readiness: .+\n$/);
    }
  });

  it("prints --version and --help for the tool and each command", () => {
    const root = createWorkspace({});
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    assert.equal(runCli(["--version"], root).stdout.trim(), pkg.version);
    assert.match(runCli(["--help"], root).stdout, /Commands:\n  check/);
    const help = runCli(["check", "--help"], root).stdout;
    for (const flag of ["--format", "--fail-on", "--fix", "--config", "--quiet", "--help"]) assert.ok(help.includes(flag), flag);
  });
});
