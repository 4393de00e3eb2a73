/**
 * The server's findings on the example arrive as diagnostics, at the engine's ranges (0-based, as
 * `node dist/cli.js check examples/saas-api --format json` reports them 1-based).
 */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, fileUri, find, openEditor, readinessDiagnostics, ruleOf, summary, waitFor, waitForDiagnostics } from "./helpers";

/** [rule, start line, start character, end line, end character, severity] */
type Expected = [string, number, number, number, number, vscode.DiagnosticSeverity];
const { Error: E, Warning: W } = vscode.DiagnosticSeverity;

const APP: Expected[] = [
  ["cors-allows-localhost", 13, 48, 13, 71, W],
  ["missing-security-headers", 16, 14, 16, 23, W],
  ["etag-disabled", 20, 2, 20, 24, W],
  ["hardcoded-secret", 32, 14, 32, 28, E],
  ["console-logging", 45, 4, 45, 15, W],
  ["console-logging", 56, 4, 56, 17, W],
];
const CONFIG: Expected[] = [
  ["hardcoded-secret", 7, 43, 7, 91, E],
  ["hardcoded-secret", 8, 39, 8, 55, E],
  ["hardcoded-secret", 11, 15, 11, 54, E],
];

function check(uri: vscode.Uri, diagnostics: vscode.Diagnostic[], expected: Expected[]): void {
  for (const [rule, line, character, endLine, endCharacter, severity] of expected) {
    const diagnostic = find(diagnostics, rule, line, character);
    assert.ok(diagnostic, `no ${rule} diagnostic at ${line}:${character} in ${vscode.workspace.asRelativePath(uri)}; got ${summary(diagnostics).join(", ")}`);
    assert.deepStrictEqual(
      [diagnostic.range.end.line, diagnostic.range.end.character],
      [endLine, endCharacter],
      `end of the ${rule} diagnostic at ${line}:${character}`,
    );
    assert.strictEqual(diagnostic.severity, severity, `severity of the ${rule} diagnostic at ${line}:${character}`);
    assert.ok(diagnostic.message.length > 0, "empty message");
    if (typeof diagnostic.code === "object") {
      assert.ok(diagnostic.code.target.toString().includes(rule), `the docs link of ${rule} (${diagnostic.code.target.toString()}) does not name the rule`);
    }
  }
}

describe("diagnostics", () => {
  before(async () => {
    await api();
  });

  it("publishes the workspace scan's findings for a file that is not open (src/config.ts)", async () => {
    const uri = fileUri("src/config.ts");
    const diagnostics = await waitForDiagnostics(uri, "3 hardcoded-secret diagnostics", (list) => list.filter((d) => ruleOf(d) === "hardcoded-secret").length === 3, 30_000);
    check(uri, diagnostics, CONFIG);
  });

  it("reports the expected rule ids and ranges in an open file (src/app.ts)", async () => {
    const editor = await openEditor("src/app.ts");
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, "the findings of app.ts", (list) => APP.every(([rule, line, character]) => find(list, rule, line, character)));
    check(uri, diagnostics, APP);
    // Nothing beyond what the engine reports for this file (the two session findings share a range).
    const rules = diagnostics.map(ruleOf).sort();
    assert.deepStrictEqual(
      rules,
      ["console-logging", "console-logging", "cors-allows-localhost", "etag-disabled", "hardcoded-secret", "in-memory-session-store", "missing-csrf-protection", "missing-security-headers"],
      `rules of app.ts: ${summary(diagnostics).join(", ")}`,
    );
  });

  it("keeps a file's findings after its tab is closed (src/services/stripe.ts)", async () => {
    const editor = await openEditor("src/services/stripe.ts");
    const uri = editor.document.uri;
    const open = await waitForDiagnostics(uri, "the findings of stripe.ts", (list) => list.some((d) => ruleOf(d) === "payment-call-without-idempotency-key"));
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await waitFor("the tab to close", () => vscode.window.tabGroups.all.every((group) => group.tabs.length === 0));
    // The findings must stay: watch them for a while (a client that drops them does so right away).
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      assert.deepStrictEqual(summary(readinessDiagnostics(uri)), summary(open), "the findings of a closed tab changed");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it("lints the checklist file (placeholders in PRODUCTION_READINESS.md)", async () => {
    const uri = fileUri("PRODUCTION_READINESS.md");
    const diagnostics = await waitForDiagnostics(uri, "checklist-placeholder diagnostics", (list) => list.some((d) => ruleOf(d) === "checklist-placeholder"), 30_000);
    assert.ok(find(diagnostics, "checklist-placeholder", 147, 23), `no checklist-placeholder at 147:23; got ${summary(diagnostics).join(", ")}`);
  });
});
