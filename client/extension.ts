/**
 * The Readiness extension: starts the language server, shows the checklist view and the status bar
 * item, and contributes the commands. All findings and checklist statuses come from the server.
 */
import * as vscode from "vscode";
import type { ReadinessApi } from "./api";
import { registerChecklistCommands, reportFailure } from "./checklist-commands";
import { ChecklistStore } from "./checklist-store";
import { ChecklistTreeProvider } from "./checklist-tree";
import { ServerClient } from "./server-client";
import { ReadinessStatusBar } from "./status-bar";

let server: ServerClient | undefined;

export function activate(context: vscode.ExtensionContext): ReadinessApi {
  const output = vscode.window.createOutputChannel("Readiness", { log: true });
  server = new ServerClient(context, output);
  const store = new ChecklistStore(server, output);
  const tree = new ChecklistTreeProvider(store);
  const view = vscode.window.createTreeView("readiness.checklist", { treeDataProvider: tree, showCollapseAll: true });
  const statusBar = new ReadinessStatusBar(store);
  const started = server.running();
  started.catch((error) => void vscode.window.showErrorMessage(`Readiness: the language server did not start: ${error instanceof Error ? error.message : String(error)}`, "Show Output").then((answer) => answer && output.show()));

  const updateView = () => {
    const state = store.viewState();
    const filter = store.filter;
    view.description = filter === "blockers" ? "Launch blockers" : filter === "open" ? "Open items" : undefined;
    // A filter that leaves nothing: say so instead of an empty view.
    const nothingShown = filter !== "all" && state === "ready" && !store.loadedChecklists().some((checklist) => checklist.items.some((item) => store.shows(checklist, item)));
    view.message = nothingShown ? (filter === "blockers" ? "No launch blockers. Use the filter to show all items." : "No open items. Use the filter to show all items.") : undefined;
    void vscode.commands.executeCommand("setContext", "readiness.state", state);
    void vscode.commands.executeCommand(
      "setContext",
      "readiness.missingChecklistFile",
      store.loadedChecklists().some((checklist) => !checklist.checklistFile),
    );
  };
  void vscode.commands.executeCommand("setContext", "readiness.filter", store.filter);
  updateView();

  context.subscriptions.push(
    server,
    store,
    tree,
    view,
    statusBar,
    store.onDidChange(updateView),
    ...registerChecklistCommands(server, store, output),
    vscode.commands.registerCommand("readiness.restartServer", () =>
      reportFailure(output, "restart the server", async () => {
        await server!.restart();
        void vscode.window.setStatusBarMessage("Readiness: server restarted", 3000);
      }),
    ),
    vscode.commands.registerCommand("readiness.showOutputChannel", () => output.show()),
    vscode.commands.registerCommand("readiness.fixAll", () =>
      vscode.commands.executeCommand("editor.action.sourceAction", { kind: "source.fixAll.readiness", apply: "first" }),
    ),
    // Trust lifts the restriction to built-in rules: the server starts again with the workspace's config.
    vscode.workspace.onDidGrantWorkspaceTrust(() => reportFailure(output, "restart the server", () => server!.restart())),
    // Last: disposed after the server has stopped and written its last lines.
    output,
  );

  return {
    whenReady: async () => {
      await started;
    },
    whenChecklistLoaded: async () => {
      await started;
      await store.whenLoaded();
    },
    tree,
    onDidChangeChecklist: store.onDidChange,
    checklist: (folder) => store.checklist(folder?.toString()),
    statusBar: () => statusBar.state(),
    viewState: () => store.viewState(),
  };
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
