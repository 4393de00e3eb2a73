/** readiness.config.json: a broken file is reported on itself; a valid one changes the rules in force. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, fileUri, find, ruleOf, summary, waitFor, waitForDiagnostics } from "./helpers";

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

  it("validates and completes readiness.config.json against the contributed JSON Schema (jsonValidation)", async () => {
    await write(config(), '{\n  "rulez": {},\n  "rules": {\n    ""\n  }\n}\n');
    const document = await vscode.workspace.openTextDocument(config());
    await vscode.window.showTextDocument(document);
    const fromSchema = await waitFor("a schema diagnostic from VS Code's JSON support", () => {
      const found = vscode.languages.getDiagnostics(config()).filter((d) => d.source !== "readiness" && d.range.start.line === 1);
      return found.length > 0 && found;
    }, { timeout: 30_000, events: [vscode.languages.onDidChangeDiagnostics as vscode.Event<unknown>] });
    assert.match(fromSchema[0].message, /not allowed/i);
    const completions = await waitFor("rule ids offered inside \"rules\"", async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>("vscode.executeCompletionItemProvider", config(), new vscode.Position(3, 5));
      const labels = (list?.items ?? []).map((item) => (typeof item.label === "string" ? item.label : item.label.label).replace(/"/g, ""));
      return labels.includes("hardcoded-secret") && labels;
    }, { timeout: 30_000 });
    assert.ok(completions.includes("cors-allows-localhost"));
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
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
