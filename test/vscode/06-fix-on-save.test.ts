/** Fix on save: `editor.codeActionsOnSave` with `source.fixAll.readiness`, as the README documents it. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, openEditor, ruleOf, waitFor, waitForDiagnostics } from "./helpers";

describe("fix on save", () => {
  const editorSettings = () => vscode.workspace.getConfiguration("editor");
  after(async () => {
    await editorSettings().update("codeActionsOnSave", undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it('"source.fixAll.readiness": "explicit" applies the safe fixes when the file is saved', async () => {
    await api();
    await editorSettings().update("codeActionsOnSave", { "source.fixAll.readiness": "explicit" }, vscode.ConfigurationTarget.Workspace);
    const editor = await openEditor("src/routes/teams.ts");
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, "2 hardcoded-secret", (list) => list.filter((d) => ruleOf(d) === "hardcoded-secret").length === 2);
    // An edit the fixes do not touch, so there is something to save.
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), "// reviewed\n")));
    await vscode.commands.executeCommand("workbench.action.files.save");
    await waitFor("the file saved without the secrets", async () => {
      const saved = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString("utf8");
      return !editor.document.isDirty && saved.startsWith("// reviewed\n") && saved.includes("process.env.") && saved;
    });
    await waitForDiagnostics(uri, "hardcoded-secret to go", (list) => !list.some((d) => ruleOf(d) === "hardcoded-secret"));
  });
});
