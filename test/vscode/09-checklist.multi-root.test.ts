/** A multi-root workspace: one checklist per folder, the status bar sums them, ticks go to their folder's file. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, type ChecklistNode, labelOf, readText, waitFor } from "./helpers";

const folderNamed = (name: string) => vscode.workspace.workspaceFolders!.find((folder) => folder.name === name)!;

describe("multi-root workspace", () => {
  it("shows one checklist per folder, each with its own progress", async () => {
    const readiness = await api();
    const roots = (await readiness.tree.getChildren()) ?? [];
    assert.deepStrictEqual(roots.map((node) => node.kind), ["folder", "folder"]);
    const rows = await Promise.all(roots.map(async (node) => [labelOf(await readiness.tree.getTreeItem(node)), (await readiness.tree.getTreeItem(node)).description]));
    const problems = readiness.checklist(folderNamed("saas-api").uri)!;
    const fixed = readiness.checklist(folderNamed("saas-api-fixed").uri)!;
    assert.ok(problems.blockers.length > 0 && fixed.blockers.length === 0, `blockers: ${problems.blockers.length} and ${fixed.blockers.length}`);
    assert.ok(fixed.progress.percent > problems.progress.percent);
    assert.deepStrictEqual(rows, [
      ["saas-api", `${problems.progress.percent}% · ${problems.blockers.length} blockers`],
      ["saas-api-fixed", `${fixed.progress.percent}% · no blockers`],
    ]);
    const tiers = (await readiness.tree.getChildren(roots[1])) ?? [];
    assert.strictEqual(labelOf(await readiness.tree.getTreeItem(tiers[0])), "Critical");
    assert.strictEqual((await readiness.tree.getTreeItem(tiers[0])).description, `${fixed.tiers[0].progress.done}/${fixed.tiers[0].progress.applicable}`);
  });

  it("sums the folders in the status bar", async () => {
    const readiness = await api();
    const checklists = [folderNamed("saas-api"), folderNamed("saas-api-fixed")].map((folder) => readiness.checklist(folder.uri)!);
    const done = checklists.reduce((sum, checklist) => sum + checklist.progress.done, 0);
    const applicable = checklists.reduce((sum, checklist) => sum + checklist.progress.applicable, 0);
    const blockers = checklists.reduce((sum, checklist) => sum + checklist.blockers.length, 0);
    assert.strictEqual(readiness.statusBar().text, `$(checklist) ${Math.round((done / applicable) * 100)}% · ${blockers} blockers`);
    assert.match(readiness.statusBar().tooltip, /\*\*saas-api-fixed\*\*/);
  });

  it("ticks an item in its own folder's PRODUCTION_READINESS.md only", async () => {
    const readiness = await api();
    const fixedFolder = folderNamed("saas-api-fixed");
    const otherFile = vscode.Uri.joinPath(folderNamed("saas-api").uri, "PRODUCTION_READINESS.md");
    const file = vscode.Uri.joinPath(fixedFolder.uri, "PRODUCTION_READINESS.md");
    const [before, otherBefore] = [await readText(file), await readText(otherFile)];
    const model = readiness.checklist(fixedFolder.uri)!;
    const item = model.items.find((candidate) => candidate.status === "open" && candidate.tick === "open" && candidate.evaluation === "manual")!;
    assert.ok(item, "an open manual item in saas-api-fixed");
    const node: ChecklistNode = { kind: "item", folder: fixedFolder.uri.toString(), item };
    await vscode.commands.executeCommand("readiness.checklist.markDone", node);
    await waitFor("the item done in saas-api-fixed", () => readiness.checklist(fixedFolder.uri)!.items.find((candidate) => candidate.id === item.id)?.status === "done", {
      events: [readiness.onDidChangeChecklist as vscode.Event<unknown>],
    });
    const after = await readText(file);
    assert.notStrictEqual(after, before);
    assert.strictEqual(after.length, before.length, "one character changed");
    assert.strictEqual(await readText(otherFile), otherBefore, "the other folder's checklist is untouched");
    await vscode.commands.executeCommand("readiness.checklist.reopen", { ...node, item: { ...item, tick: "done" } });
    await waitFor("the file restored", async () => (await readText(file)) === before);
  });
});
