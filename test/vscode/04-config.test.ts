/** readiness.config.json: a broken file is reported on itself; a valid one changes the rules in force. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, fileUri, find, ruleOf, summary, waitForDiagnostics } from "./helpers";

async function write(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

describe("readiness.config.json", () => {
  const config = () => fileUri("readiness.config.json");
  before(async () => {
    await api();
  });
  afterEach(async () => {
    await vscode.workspace.fs.delete(config()).then(undefined, () => undefined);
  });

  it("reports an invalid rule level on the config file, and clears it when the file goes", async () => {
    await write(config(), '{\n  "rules": {\n    "console-logging": "loud"\n  }\n}\n');
    const diagnostics = await waitForDiagnostics(config(), "a config error diagnostic", (list) => list.length > 0, 30_000);
    assert.strictEqual(diagnostics.length, 1, `diagnostics: ${summary(diagnostics).join(", ")}`);
    const [diagnostic] = diagnostics;
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(diagnostic.range.start.line, 2, "the error is not on the offending line");
    assert.match(diagnostic.message, /console-logging/);
    assert.match(diagnostic.message, /loud/);

    await vscode.workspace.fs.delete(config());
    await waitForDiagnostics(config(), "the config error to clear", (list) => list.length === 0, 30_000);
  });

  it("applies a valid config (a rule turned off) and restores the defaults when it is deleted", async () => {
    const app = fileUri("src/app.ts");
    await waitForDiagnostics(app, "console-logging diagnostics before", (list) => list.some((d) => ruleOf(d) === "console-logging"), 30_000);
    await write(config(), '{\n  "rules": {\n    "console-logging": "off"\n  }\n}\n');
    const off = await waitForDiagnostics(app, "console-logging to be turned off", (list) => !list.some((d) => ruleOf(d) === "console-logging") && list.length > 0, 30_000);
    assert.ok(find(off, "hardcoded-secret", 32, 14), `other rules stay on: ${summary(off).join(", ")}`);
    assert.deepStrictEqual(vscode.languages.getDiagnostics(config()).filter((d) => d.source === "readiness"), [], "a valid config has no diagnostics");

    await vscode.workspace.fs.delete(config());
    await waitForDiagnostics(app, "console-logging to come back", (list) => find(list, "console-logging", 45, 4) !== undefined, 30_000);
  });
});
