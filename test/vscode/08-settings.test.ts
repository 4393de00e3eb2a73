/** Settings take effect without a reload: turning Readiness off and on, and rule levels from settings. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, openEditor, ruleOf, waitFor, waitForDiagnostics } from "./helpers";

const setting = (key: string, value: unknown) => vscode.workspace.getConfiguration("readiness").update(key, value, vscode.ConfigurationTarget.Workspace);

describe("settings", () => {
  after(async () => {
    await setting("enable", undefined);
    await setting("rules", undefined);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("readiness.enable: false clears the diagnostics, the checklist and the status bar; true brings them back", async () => {
    const readiness = await api();
    const editor = await openEditor("src/app.ts");
    const uri = editor.document.uri;
    const before = await waitForDiagnostics(uri, "findings of app.ts", (list) => list.length > 0);
    const statusBefore = readiness.statusBar();
    assert.ok(statusBefore.visible);

    await setting("enable", false);
    await waitForDiagnostics(uri, "no readiness diagnostics while turned off", (list) => list.length === 0);
    await waitFor("the view and status bar to say Readiness is off", () => readiness.viewState() === "disabled" && !readiness.statusBar().visible, {
      events: [readiness.onDidChangeChecklist as vscode.Event<unknown>],
      describe: () => [readiness.viewState(), readiness.statusBar()],
    });
    assert.deepStrictEqual(await readiness.tree.getChildren(), [], "the tree lists nothing, so the welcome view explains why");

    await setting("enable", undefined);
    await waitForDiagnostics(uri, "the same findings back", (list) => list.length === before.length);
    await waitFor("the checklist and status bar back", () => readiness.viewState() === "ready" && readiness.statusBar().text === statusBefore.text, {
      timeout: 30_000,
      events: [readiness.onDidChangeChecklist as vscode.Event<unknown>],
      describe: () => [readiness.viewState(), readiness.statusBar()],
    });
    assert.ok(((await readiness.tree.getChildren()) ?? []).length > 0);
  });

  it("readiness.rules turns a rule off under the config file, live", async () => {
    await api();
    const editor = await openEditor("src/services/mfa.ts");
    const uri = editor.document.uri;
    const before = await waitForDiagnostics(uri, "hardcoded-mfa-code findings", (list) => list.some((d) => ruleOf(d) === "hardcoded-mfa-code"));
    const others = before.filter((d) => ruleOf(d) !== "hardcoded-mfa-code").length;
    await setting("rules", { "hardcoded-mfa-code": "off" });
    await waitForDiagnostics(uri, "no hardcoded-mfa-code findings, the others kept", (list) => !list.some((d) => ruleOf(d) === "hardcoded-mfa-code") && list.length === others);
    await setting("rules", undefined);
    await waitForDiagnostics(uri, "hardcoded-mfa-code findings back", (list) => list.length === before.length);
  });
});
