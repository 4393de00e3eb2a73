/** readiness.checklist.exportReport with a target writes the report there, without a dialog. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, fileUri, readText, waitFor } from "./helpers";

describe("export report", () => {
  it("writes a markdown report with the overall percentage", async () => {
    const readiness = await api();
    const model = readiness.checklist();
    assert.ok(model, "no checklist model");
    const target = fileUri("readiness-report.md");
    await vscode.commands.executeCommand("readiness.checklist.exportReport", target);
    const text = await waitFor("the report file", async () => readText(target).then((content) => content || undefined, () => undefined));
    assert.ok(text.includes(`${model.progress.percent}%`), `the report does not contain ${model.progress.percent}%:\n${text.slice(0, 500)}`);
    assert.match(text, /^#/m, "the report has no markdown heading");
    assert.ok(text.includes("Critical"), "the report has no tier breakdown");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.workspace.fs.delete(target);
  });
});
