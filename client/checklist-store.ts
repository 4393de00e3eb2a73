/**
 * The checklist models the server computed, one per workspace folder, kept current: loaded once the
 * server runs (the request waits for the folder's scan), reloaded on `readiness/checklistChanged`,
 * after a tick, on refresh and when folders change. Also what the UI derives from them: the state
 * the welcome views show, and the filter.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { type Checklist, ChecklistChangedNotification, type ChecklistItem, ChecklistRequest } from "../shared/customMessages";
import type { ReadinessApi } from "./api";
import type { ServerClient } from "./server-client";

/** What the view shows when it has nothing to list (see `viewsWelcome` in package.json). */
export type ViewState = ReturnType<ReadinessApi["viewState"]>;
export type ChecklistFilter = "all" | "blockers" | "open";

export type FolderState = { kind: "loading" } | { kind: "loaded"; checklist: Checklist } | { kind: "disabled" } | { kind: "failed"; message: string };

export class ChecklistStore implements vscode.Disposable {
  private readonly folders = new Map<string, FolderState>();
  /** Bumped per load of a folder, so an older answer never overwrites a newer one. */
  private readonly generations = new Map<string, number>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly loadedWaiters: (() => void)[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private attachedClient: LanguageClient | undefined;
  private notifications: vscode.Disposable | undefined;
  filter: ChecklistFilter = "all";
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly server: ServerClient,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.changeEmitter,
      server.onDidStart((client) => this.attach(client)),
      server.onDidFail((reason) => this.failAll(reason)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reloadAll()),
    );
  }

  /** URIs of the workspace folders on disk, in the editor's order (a virtual folder has no checklist). */
  folderUris(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === "file").map((folder) => folder.uri.toString());
  }

  checklist(folder: string | undefined = this.folderUris()[0]): Checklist | undefined {
    const state = folder ? this.folders.get(folder) : undefined;
    return state?.kind === "loaded" ? state.checklist : undefined;
  }

  loadedChecklists(): Checklist[] {
    return this.folderUris()
      .map((folder) => this.checklist(folder))
      .filter((checklist): checklist is Checklist => checklist !== undefined);
  }

  /** The state of the whole view: scanning while any folder loads, else what the folders have in common. */
  viewState(): ViewState {
    const states = this.folderUris().map((folder) => this.folderState(folder));
    if (states.length === 0) return (vscode.workspace.workspaceFolders ?? []).length > 0 ? "virtual" : "ready";
    if (states.some((state) => state.kind === "loading")) return "scanning";
    const loaded = states.filter((state): state is Extract<FolderState, { kind: "loaded" }> => state.kind === "loaded");
    if (loaded.some((state) => state.checklist.sourceFiles > 0)) return "ready";
    if (loaded.length > 0) return "noSources";
    return states.every((state) => state.kind === "disabled") ? "disabled" : "failed";
  }

  isLoading(): boolean {
    return this.folderUris().some((folder) => this.folderState(folder).kind === "loading");
  }

  failure(): string | undefined {
    for (const state of this.folders.values()) if (state.kind === "failed") return state.message;
    return undefined;
  }

  /** Resolves once every folder has loaded, been found disabled, or failed. */
  whenLoaded(): Promise<void> {
    if (!this.isLoading()) return Promise.resolve();
    return new Promise((resolve) => this.loadedWaiters.push(resolve));
  }

  setFilter(filter: ChecklistFilter): void {
    this.filter = filter;
    this.changeEmitter.fire();
  }

  /** Whether an item is listed under the current filter. */
  shows(checklist: Checklist, item: ChecklistItem): boolean {
    if (this.filter === "blockers") return checklist.blockers.includes(item.id);
    if (this.filter === "open") return item.status === "fail" || item.status === "open";
    return true;
  }

  async reloadAll(): Promise<void> {
    for (const folder of [...this.folders.keys()]) if (!this.folderUris().includes(folder)) this.folders.delete(folder);
    await Promise.all(this.folderUris().map((folder) => this.reload(folder)));
  }

  async reload(folder: string): Promise<void> {
    const generation = (this.generations.get(folder) ?? 0) + 1;
    this.generations.set(folder, generation);
    if (!this.folders.has(folder) || this.folders.get(folder)!.kind !== "loaded") this.update(folder, { kind: "loading" });
    let next: FolderState;
    try {
      const client = await this.server.running();
      const checklist = await client.sendRequest(ChecklistRequest, { workspaceFolder: folder });
      next = checklist ? { kind: "loaded", checklist } : { kind: "disabled" };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.error(`Readiness: could not load the checklist of ${folder}: ${message}`);
      next = { kind: "failed", message };
    }
    if (this.generations.get(folder) === generation) this.update(folder, next);
  }

  /** A folder's state for the tree: why it has no checklist, when it has none. */
  folderState(folder: string): FolderState {
    return this.folders.get(folder) ?? { kind: "loading" };
  }

  dispose(): void {
    this.notifications?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** A (re)started server: listen to it, and load everything again (it knows nothing of the old one's state). */
  private attach(client: LanguageClient): void {
    if (client !== this.attachedClient) {
      this.notifications?.dispose();
      this.attachedClient = client;
      this.notifications = client.onNotification(ChecklistChangedNotification, (params) => void this.reload(params.workspaceFolder));
    }
    void this.reloadAll();
  }

  private failAll(message: string): void {
    for (const folder of this.folderUris()) this.update(folder, { kind: "failed", message });
  }

  private update(folder: string, state: FolderState): void {
    this.folders.set(folder, state);
    this.changeEmitter.fire();
    if (!this.isLoading()) for (const resolve of this.loadedWaiters.splice(0)) resolve();
  }
}
