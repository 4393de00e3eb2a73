/** From the checklist to the code: a click on an item, and Show Findings, open the place that decides it. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, itemNode, waitFor } from "./helpers";

async function activeLocation(): Promise<{ file: string; line: number; character: number }> {
  return waitFor("an editor to open", () => {
    const editor = vscode.window.activeTextEditor;
    return editor && { file: vscode.workspace.asRelativePath(editor.document.uri), line: editor.selection.start.line, character: editor.selection.start.character };
  });
}

describe("checklist navigation", () => {
  afterEach(() => vscode.commands.executeCommand("workbench.action.closeAllEditors"));

  it("a click on a failing item opens its first blocking finding at its range", async () => {
    const readiness = await api();
    const node = await itemNode(readiness.tree, "security.hsts");
    const treeItem = await readiness.tree.getTreeItem(node);
    assert.strictEqual(treeItem.command?.command, "readiness.checklist.openEvidence");
    const finding = node.item.evidence.find((evidence) => evidence.ruleId === "hsts-disabled")!;
    await vscode.commands.executeCommand(treeItem.command.command, ...(treeItem.command.arguments ?? []));
    assert.deepStrictEqual(await activeLocation(), {
      file: vscode.workspace.asRelativePath(vscode.Uri.parse(finding.location!.uri)),
      line: finding.location!.range.start.line,
      character: finding.location!.range.start.character,
    });
  });

  it("Show Findings reveals an item's only finding", async () => {
    const readiness = await api();
    const node = await itemNode(readiness.tree, "security.csrf");
    const findings = node.item.evidence.filter((evidence) => evidence.ruleId);
    assert.strictEqual(findings.length, 1, JSON.stringify(node.item.evidence));
    await vscode.commands.executeCommand("readiness.checklist.showFindings", node);
    const location = await activeLocation();
    assert.strictEqual(location.file, vscode.workspace.asRelativePath(vscode.Uri.parse(findings[0].location!.uri)));
    assert.strictEqual(location.line, findings[0].location!.range.start.line);
  });

  it("a click on a manual item opens its line in PRODUCTION_READINESS.md", async () => {
    const readiness = await api();
    const node = await itemNode(readiness.tree, "reliability.backups");
    assert.strictEqual(node.item.evaluation, "manual");
    await vscode.commands.executeCommand("readiness.checklist.openEvidence", node);
    const location = await activeLocation();
    assert.strictEqual(location.file, "PRODUCTION_READINESS.md");
    assert.match(vscode.window.activeTextEditor!.document.lineAt(location.line).text, /<!-- readiness: reliability\.backups -->/);
  });
});
