/**
 * The checklist view's commands: ticks (through `readiness/setItemState`, which edits the checklist
 * file), going to evidence and findings, docs, creating the file, exporting the report, the filter.
 */
import * as vscode from "vscode";
import { type ChecklistEvidence, ChecklistReportRequest, InitChecklistRequest, type Location, SetItemStateRequest, type TickState } from "../shared/customMessages";
import type { ChecklistNode } from "./api";
import type { ChecklistFilter, ChecklistStore } from "./checklist-store";
import { blockingFindings, folderName } from "./checklist-tree";
import type { ServerClient } from "./server-client";

type ItemNode = Extract<ChecklistNode, { kind: "item" }>;

const FILTERS: { filter: ChecklistFilter; label: string; detail: string }[] = [
  { filter: "all", label: "All items", detail: "Every item of the checklist" },
  { filter: "blockers", label: "Launch blockers", detail: "Critical items that fail or are still open" },
  { filter: "open", label: "Open items", detail: "Items that fail or are not done yet" },
];

export function registerChecklistCommands(server: ServerClient, store: ChecklistStore, output: vscode.LogOutputChannel): vscode.Disposable[] {
  const setState = (state: TickState) => async (node?: ItemNode) => {
    if (node?.kind !== "item") return;
    await reportFailure(output, `mark "${node.item.title}" ${state}`, async () => {
      const client = await server.running();
      if (!store.checklist(node.folder)?.checklistFile) {
        const create = "Create Checklist File";
        const answer = await vscode.window.showWarningMessage("Ticks are kept in PRODUCTION_READINESS.md, and this folder has none yet.", create);
        if (answer !== create) return;
        await client.sendRequest(InitChecklistRequest, { workspaceFolder: node.folder });
      }
      // With the checklist file open, the server ticks it as an edit of the document: save it, unless
      // it held unsaved changes of the user's before the tick (those stay theirs to save).
      const file = store.checklist(node.folder)?.checklistFile;
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === file);
      const wasClean = document !== undefined && !document.isDirty;
      await client.sendRequest(SetItemStateRequest, { workspaceFolder: node.folder, id: node.item.id, state });
      if (wasClean && document.isDirty) await document.save();
      await store.reload(node.folder);
    });
  };

  return [
    vscode.commands.registerCommand("readiness.checklist.markDone", setState("done")),
    vscode.commands.registerCommand("readiness.checklist.markNotApplicable", setState("n/a")),
    vscode.commands.registerCommand("readiness.checklist.reopen", setState("open")),
    vscode.commands.registerCommand("readiness.checklist.openEvidence", async (node?: ItemNode) => {
      if (node?.kind !== "item") return;
      const { item } = node;
      const target = blockingFindings(item)[0]?.location ?? item.evidence.find((evidence) => evidence.location)?.location ?? item.location;
      if (target) {
        await reveal(target);
        return;
      }
      // Nowhere to go (no evidence, and no checklist file to tick it in yet): say why, offer the next step.
      const create = "Create Checklist File";
      const answer = await vscode.window.showInformationMessage(`${item.title}: ${item.note}`, ...(store.checklist(node.folder)?.checklistFile ? [] : [create]));
      if (answer === create) await vscode.commands.executeCommand("readiness.checklist.create", vscode.Uri.parse(node.folder));
    }),
    vscode.commands.registerCommand("readiness.checklist.showFindings", async (node?: ItemNode) => {
      if (node?.kind !== "item") return;
      const findings = blockingFindings(node.item);
      if (findings.length === 0) {
        void vscode.window.showInformationMessage(`"${node.item.title}" has no findings.`);
        return;
      }
      const picked =
        findings.length === 1
          ? findings[0]
          : await vscode.window.showQuickPick(
              findings.map((evidence) => ({ label: evidence.note, description: evidence.ruleId, detail: where(evidence), evidence })),
              { title: `Findings that fail "${node.item.title}"`, matchOnDescription: true, matchOnDetail: true },
            ).then((choice) => choice?.evidence);
      if (picked?.location) await reveal(picked.location);
    }),
    vscode.commands.registerCommand("readiness.checklist.openDocs", async (node?: ItemNode) => {
      if (node?.kind === "item" && node.item.docsUrl) await vscode.env.openExternal(vscode.Uri.parse(node.item.docsUrl));
    }),
    vscode.commands.registerCommand("readiness.checklist.refresh", () => store.reloadAll()),
    vscode.commands.registerCommand("readiness.checklist.create", async (folderArg?: vscode.Uri) => {
      const folder = folderArg?.toString() ?? (await pickFolder(store, "Create the checklist file in", (uri) => store.checklist(uri) !== undefined && !store.checklist(uri)!.checklistFile));
      if (!folder) {
        const existing = store.loadedChecklists().find((checklist) => checklist.checklistFile)?.checklistFile;
        if (existing) await vscode.window.showTextDocument(vscode.Uri.parse(existing), { preview: false });
        return;
      }
      await reportFailure(output, "create the checklist file", async () => {
        const client = await server.running();
        const result = await client.sendRequest(InitChecklistRequest, { workspaceFolder: folder });
        await store.reload(folder);
        await vscode.window.showTextDocument(vscode.Uri.parse(result.checklistFile), { preview: false });
        if (!result.created) void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(vscode.Uri.parse(result.checklistFile))} already exists.`);
      });
    }),
    vscode.commands.registerCommand("readiness.checklist.exportReport", async (target?: vscode.Uri) => {
      const folder = await pickFolder(store, "Export the readiness report of", (uri) => store.checklist(uri) !== undefined);
      if (!folder) return;
      await reportFailure(output, "export the readiness report", async () => {
        const client = await server.running();
        const report = await client.sendRequest(ChecklistReportRequest, { workspaceFolder: folder });
        if (!report) throw new Error("Readiness is turned off for this folder");
        const file =
          target ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(vscode.Uri.parse(folder), "readiness-report.md"), filters: { Markdown: ["md"] }, title: "Export Readiness Report" }));
        if (!file) return;
        await vscode.workspace.fs.writeFile(file, Buffer.from(report.markdown, "utf8"));
        await vscode.window.showTextDocument(file, { preview: false });
      });
    }),
    ...["readiness.checklist.filter", "readiness.checklist.filterActive"].map((id) =>
      vscode.commands.registerCommand(id, async (filterArg?: ChecklistFilter) => {
        const filter =
          filterArg ??
          (await vscode.window.showQuickPick(
            FILTERS.map((choice) => ({ ...choice, picked: choice.filter === store.filter, description: choice.filter === store.filter ? "current" : undefined })),
            { title: "Show in the Readiness Checklist" },
          ))?.filter;
        if (!filter) return;
        store.setFilter(filter);
        await vscode.commands.executeCommand("setContext", "readiness.filter", filter);
      }),
    ),
  ];
}

async function reveal(location: Location): Promise<void> {
  const { start, end } = location.range;
  await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), {
    selection: new vscode.Range(start.line, start.character, end.line, end.character),
    preview: true,
  });
}

function where(evidence: ChecklistEvidence): string | undefined {
  const location = evidence.location;
  return location ? `${vscode.workspace.asRelativePath(vscode.Uri.parse(location.uri))}:${location.range.start.line + 1}` : undefined;
}

/** The one `eligible` folder, or the one the user picks among them; undefined when there is none. */
async function pickFolder(store: ChecklistStore, title: string, eligible: (folder: string) => boolean): Promise<string | undefined> {
  const folders = store.folderUris().filter(eligible);
  if (folders.length <= 1) return folders[0];
  const picked = await vscode.window.showQuickPick(
    folders.map((folder) => ({ label: folderName(folder), description: vscode.Uri.parse(folder).fsPath, folder })),
    { title, placeHolder: "Workspace folder" },
  );
  return picked?.folder;
}

/** Runs a user action; a failure becomes one clear error message (details in the output). */
export async function reportFailure(output: vscode.LogOutputChannel, what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.error(`Readiness: could not ${what}: ${message}`);
    void vscode.window.showErrorMessage(`Readiness: could not ${what}: ${message}`);
  }
}
