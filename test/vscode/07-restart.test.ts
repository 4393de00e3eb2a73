/** readiness.restartServer: a new server takes over; diagnostics follow edits again and the checklist is back. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, find, openEditor, parseStatus, summary, waitFor, waitForDiagnostics, withTimeout } from "./helpers";

describe("restart", () => {
  it("restarts the server, which then checks edits and serves the checklist", async () => {
    const readiness = await api();
    await vscode.commands.executeCommand("readiness.restartServer");
    await withTimeout(readiness.whenReady(), 30_000, "whenReady() after the restart");

    const editor = await openEditor("src/services/mfa.ts");
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, "hardcoded-mfa-code at 3:21", (list) => find(list, "hardcoded-mfa-code", 3, 21) !== undefined, 30_000);
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), "// moved\n")));
    const moved = await waitForDiagnostics(uri, "the diagnostic to follow the edit to line 4", (list) => find(list, "hardcoded-mfa-code", 4, 21) !== undefined, 30_000);
    assert.ok(!find(moved, "hardcoded-mfa-code", 3, 21), `stale diagnostic left: ${summary(moved).join(", ")}`);
    await vscode.commands.executeCommand("undo");
    await waitForDiagnostics(uri, "the diagnostic back at line 3", (list) => find(list, "hardcoded-mfa-code", 3, 21) !== undefined, 30_000);
    await vscode.commands.executeCommand("workbench.action.files.revert");

    await vscode.commands.executeCommand("readiness.checklist.refresh");
    await waitFor(
      "the checklist and the status bar after the restart",
      () => {
        const model = readiness.checklist();
        const shown = parseStatus(readiness.statusBar().text);
        return !!model && !!shown && shown.percent === model.progress.percent && shown.blockers === model.blockers.length;
      },
      { timeout: 30_000, events: [readiness.onDidChangeChecklist as vscode.Event<unknown>], describe: () => readiness.statusBar().text },
    );
  });
});
