/**
 * The language server: wires the LSP connection to the workspaces, the validator, the scanner, code
 * actions and the checklist, and decides what gets published where. All analysis is the engine's.
 */
import * as path from "path";
import {
  type CancellationToken,
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  ErrorCodes,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { type RefreshResult, type Rule, ruleById, ruleDocsUrl } from "../rules";
import { version } from "../package.json";
import { ChecklistReportRequest, ChecklistRequest, Commands, FIX_ALL_KIND, InitChecklistRequest, SetItemStateRequest } from "../shared/customMessages";
import { ChecklistService } from "./checklist";
import { CodeActions } from "./code-actions";
import { Publisher, toDiagnostic } from "./diagnostics";
import { type DocumentTarget, throwIfCancelled, Validator } from "./documents";
import { errorText, Logger, type TraceLevel } from "./log";
import { normalizeSettings } from "./settings";
import { Scanner } from "./workspace-scan";
import { documentPath, pathToUri, uriToPath, type Workspace, type ConfigChange, Workspaces } from "./workspaces";

export interface ServerOptions {
  /** Rules added to the catalogue's (test hooks only). */
  extraRules?: readonly Rule[];
}

interface ClientSupport {
  pull: boolean;
  pullRefresh: boolean;
  configuration: boolean;
  dynamicConfiguration: boolean;
  dynamicWatchers: boolean;
  workspaceFolders: boolean;
  showDocument: boolean;
  applyEdit: boolean;
  documentChanges: boolean;
  lazyActions: boolean;
}

export class ReadinessServer {
  readonly log: Logger;
  private readonly documents = new TextDocuments(TextDocument);
  private readonly publisher: Publisher;
  private readonly workspaces: Workspaces;
  private readonly scanners = new Map<Workspace, Scanner>();
  /** Absolute path → URI of each open document. */
  private readonly openByPath = new Map<string, string>();
  /** Open documents outside every workspace folder → their loose workspace. */
  private readonly looseByUri = new Map<string, Workspace>();
  /** The version each document was opened with (`onDidChangeContent` fires for the open too). */
  private readonly openedVersions = new Map<string, number>();
  private readonly validator: Validator;
  private readonly codeActions: CodeActions;
  private readonly checklist: ChecklistService;
  private client: ClientSupport = {
    pull: false,
    pullRefresh: false,
    configuration: false,
    dynamicConfiguration: false,
    dynamicWatchers: false,
    workspaceFolders: false,
    showDocument: false,
    applyEdit: false,
    documentChanges: false,
    lazyActions: false,
  };
  /** Settings for clients without `workspace/configuration`: from initializationOptions or didChangeConfiguration. */
  private pushedSettings: unknown;
  private initialTrace: TraceLevel = "off";
  /** Events are handled one after the other, after initialization. */
  private queue: Promise<void>;
  private markReady!: () => void;
  private pullRefreshTimer: NodeJS.Timeout | undefined;
  private shutDown = false;
  /** `initializationOptions.untrusted`: the editor does not trust the workspace's files. */
  private trusted = true;

  constructor(
    private readonly connection: Connection,
    options: ServerOptions = {},
  ) {
    this.log = new Logger(connection.console);
    this.publisher = new Publisher(connection);
    const server = this;
    this.workspaces = new Workspaces({
      connection,
      log: this.log,
      publisher: this.publisher,
      extraRules: options.extraRules ?? [],
      get trusted() {
        return server.trusted;
      },
    });
    this.queue = new Promise((resolve) => (this.markReady = resolve));
    const now = () => new Date();
    const resolve = (uri: string) => this.resolve(uri);
    // Client support is known only after `initialize`: the hosts read it when asked.
    const client = () => this.client;
    this.validator = new Validator({
      documents: this.documents,
      publisher: this.publisher,
      log: this.log,
      get pull() {
        return client().pull;
      },
      resolve,
      analysed: (workspace, file, result, ms) => this.noteAnalysis(workspace, file, result, ms),
      propagate: (workspace) => this.propagate(workspace),
      changed: (workspace) => this.checklist.schedule(workspace),
      refreshPull: () => this.requestPullRefresh(),
      now,
    });
    this.codeActions = new CodeActions({
      documents: this.documents,
      resolve,
      now,
      get lazy() {
        return client().lazyActions;
      },
      get documentChanges() {
        return client().documentChanges;
      },
    });
    this.checklist = new ChecklistService({
      connection,
      documents: this.documents,
      workspaces: this.workspaces,
      log: this.log,
      scannerOf: (workspace) => this.scanners.get(workspace),
      openUri: (workspace, file) => this.openByPath.get(workspace.absolute(file)),
      get applyEdit() {
        return client().applyEdit;
      },
      checklistWritten: (workspace) => void this.settle(workspace, [workspace.session.checklistFile]),
      now,
    });
    this.register();
  }

  private register(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      this.initialized().then(this.markReady, (error) => {
        this.log.error(`readiness: initialization failed: ${errorText(error)}`);
        this.markReady();
      });
    });
    connection.onShutdown(() => this.shutdown());

    documents.onDidOpen((event) => {
      this.openedVersions.set(event.document.uri, event.document.version);
      this.enqueue(() => this.opened(event.document));
    });
    documents.onDidChangeContent((event) => {
      // onDidChangeContent also fires on open; that one is handled by onDidOpen.
      if (event.document.version === this.openedVersions.get(event.document.uri)) return;
      this.validator.noteChange(event.document.uri);
      this.enqueue(() => this.validator.changed(event.document));
    });
    documents.onDidSave((event) => this.enqueue(() => this.saved(event.document)));
    documents.onDidClose((event) => this.enqueue(() => this.closed(event.document)));
    documents.listen(connection);

    connection.onDidChangeConfiguration((params) => this.enqueue(() => this.configurationChanged(params.settings)));
    connection.onDidChangeWatchedFiles((params) => this.enqueue(() => this.watchedFilesChanged(params)));
    connection.languages.diagnostics.on(this.request((params, token) => this.validator.pull(params, token)));
    connection.onCodeAction(this.request((params, token) => this.codeActions.provide(params, token)));
    connection.onCodeActionResolve(this.request((action, token) => this.codeActions.resolveAction(action, token)));
    connection.onExecuteCommand(this.request((params) => this.executeCommand(params.command, params.arguments)));
    connection.onRequest(ChecklistRequest, this.request((params, token) => this.checklist.get(params ?? {}, token)));
    connection.onRequest(ChecklistReportRequest, this.request((params, token) => this.checklist.report(params ?? {}, token)));
    connection.onRequest(SetItemStateRequest, this.request((params, token) => this.checklist.setItemState(params, token)));
    connection.onRequest(InitChecklistRequest, this.request((params, token) => this.checklist.initChecklist(params ?? {}, token)));
  }

  /**
   * A request handler that waits for the events received before it, and refuses work after
   * `shutdown` (as the protocol asks: InvalidRequest).
   */
  private request<P, R>(handler: (params: P, token: CancellationToken) => R | Promise<R>): (params: P, token: CancellationToken) => Promise<R> {
    return async (params, token) => {
      if (this.shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, "the server is shutting down");
      await this.ready();
      throwIfCancelled(token);
      return handler(params, token);
    };
  }

  private async executeCommand(command: string, args: unknown[] | undefined): Promise<null> {
    if (command !== Commands.showDocumentation) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${command}`);
    const ruleId = String(args?.[0] ?? "");
    if (!ruleById(ruleId)) throw new ResponseError(ErrorCodes.InvalidParams, `unknown rule "${ruleId}"`);
    const url = ruleDocsUrl(ruleId);
    if (this.client.showDocument) await this.connection.window.showDocument({ uri: url, external: true });
    else void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `${ruleId}: ${url}` });
    return null;
  }

  private initialize(params: InitializeParams): InitializeResult {
    const capabilities = params.capabilities;
    const codeAction = capabilities.textDocument?.codeAction;
    const options = params.initializationOptions as Record<string, unknown> | undefined;
    this.client = {
      // A client may prefer pushed diagnostics although it can pull (VS Code's client pulls only for
      // documents in a visible tab, so a file in a closed tab would show nothing).
      pull: capabilities.textDocument?.diagnostic !== undefined && options?.pullDiagnostics !== false,
      pullRefresh: capabilities.workspace?.diagnostics?.refreshSupport === true,
      configuration: capabilities.workspace?.configuration === true,
      dynamicConfiguration: capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      dynamicWatchers: capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      workspaceFolders: capabilities.workspace?.workspaceFolders === true,
      showDocument: capabilities.window?.showDocument?.support === true,
      applyEdit: capabilities.workspace?.applyEdit === true,
      documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
      lazyActions: codeAction?.dataSupport === true && (codeAction.resolveSupport?.properties ?? []).includes("edit"),
    };
    this.pushedSettings = options?.readiness ?? options?.settings ?? options;
    this.trusted = options?.untrusted !== true;
    this.initialTrace = params.trace === "verbose" ? "verbose" : params.trace === "messages" ? "messages" : "off";
    this.log.setTrace(this.initialTrace);
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : params.rootPath ? [{ uri: pathToUri(params.rootPath) }] : []);
    for (const folder of folders) this.workspaces.addFolder(folder.uri);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: this.client.lazyActions },
        executeCommandProvider: { commands: [Commands.showDocumentation] },
        ...(this.client.pull ? { diagnosticProvider: { identifier: "readiness", interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "readiness", version },
    };
  }

  private async initialized(): Promise<void> {
    if (this.client.dynamicConfiguration) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: "readiness" }).catch(() => undefined);
    if (this.client.dynamicWatchers) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*" }] }).catch(() => undefined);
    }
    if (this.client.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((event) =>
        this.enqueue(async () => {
          for (const folder of event.removed) {
            const workspace = this.workspaces.removeFolder(folder.uri);
            if (workspace) this.disable(workspace);
          }
          for (const folder of event.added) {
            const workspace = this.workspaces.addFolder(folder.uri);
            if (workspace) await this.setup(workspace);
          }
        }),
      );
    }
    await Promise.all(this.workspaces.all().map((workspace) => this.setup(workspace)));
    this.log.info(`readiness ${version}: ${this.workspaces.all().length} workspace folder(s), ${this.client.pull ? "pull" : "push"} diagnostics${this.trusted ? "" : ", untrusted workspace: built-in rules with their defaults, no config file read"}`);
  }

  /** Reads a workspace's settings and config, then scans it. */
  private async setup(workspace: Workspace): Promise<void> {
    await this.refreshSettings(workspace);
    this.applyConfig(workspace, workspace.root, workspace.loadConfig(), true);
  }

  private async refreshSettings(workspace: Workspace): Promise<void> {
    let raw: unknown = this.pushedSettings;
    if (this.client.configuration) {
      try {
        raw = (await this.connection.workspace.getConfiguration({ scopeUri: workspace.loose ? undefined : workspace.folderUri, section: "readiness" })) ?? raw;
      } catch (error) {
        this.log.warn(`readiness: could not read settings: ${errorText(error)}`);
      }
    }
    const { settings, problems } = normalizeSettings(raw);
    for (const problem of problems) this.log.once(`settings\u0000${problem}`, "warn", `readiness: ${problem}`);
    workspace.settings = settings;
    const trace = settings.trace.server;
    this.log.setTrace(trace === "verbose" || this.initialTrace === "verbose" ? "verbose" : trace !== "off" ? trace : this.initialTrace);
  }

  /** Acts on what a config (re)load changed: everything is re-analysed, re-listed, or nothing. */
  private applyConfig(workspace: Workspace, previousRoot: string, change: ConfigChange, initial: boolean): void {
    if (!workspace.enabled) {
      this.disable(workspace);
      return;
    }
    let scanner = this.scanners.get(workspace);
    if (!scanner && !workspace.loose) {
      scanner = new Scanner(
        workspace,
        {
          analysed: (ws, file, result, ms) => this.noteAnalysis(ws, file, result, ms),
          settled: (ws, files) => this.settle(ws, files),
          propagate: (ws) => this.propagate(ws),
          progress: () => this.connection.window.createWorkDoneProgress(),
          idle: (ws) => this.checklist.schedule(ws),
        },
        this.log,
      );
      this.scanners.set(workspace, scanner);
      initial = true;
    }
    if (change === "root") {
      scanner?.reset();
      this.clearUnder(previousRoot);
    }
    if (initial || change === "root" || change === "reanalyse") scanner?.scanAll();
    else if (change === "relist") scanner?.relist();
    if (initial || change !== "unchanged") this.revalidateOpen(workspace);
    this.checklist.schedule(workspace);
  }

  /** Readiness is off in a workspace (or it was removed): no scan, no diagnostics. */
  private disable(workspace: Workspace): void {
    this.checklist.disabled(workspace);
    this.scanners.get(workspace)?.stop();
    this.scanners.delete(workspace);
    workspace.dispose();
    this.clearUnder(workspace.root);
    // Open documents' pulled diagnostics are the client's to drop: it asks again, and gets none.
    this.requestPullRefresh();
  }

  private clearUnder(root: string): void {
    const prefix = root.endsWith(path.sep) ? root : root + path.sep;
    for (const uri of this.publisher.uris()) {
      const file = uriToPath(uri);
      if (file && file.startsWith(prefix)) this.publisher.clear(uri);
    }
  }

  /** Hands every open document of a workspace to its session again and validates it. */
  private revalidateOpen(workspace: Workspace): void {
    for (const document of this.documents.all()) {
      const target = this.resolve(document.uri);
      if (target?.workspace !== workspace) continue;
      workspace.session.setBuffer(target.file, document.getText());
      this.validator.revalidate(document.uri);
    }
    this.requestPullRefresh();
  }

  /** The workspace and path of a document Readiness analyses, else undefined. */
  resolve(uri: string): DocumentTarget | undefined {
    const absolute = documentPath(uri);
    if (!absolute) return undefined;
    const workspace = this.workspaces.folderFor(absolute) ?? this.looseByUri.get(uri);
    if (!workspace || !workspace.enabled) return undefined;
    const file = workspace.fileOf(absolute);
    if (file === undefined) return undefined;
    const { session } = workspace;
    return session.isSource(file) || session.isChecklist(file) ? { workspace, file } : undefined;
  }

  private async opened(document: TextDocument): Promise<void> {
    const absolute = documentPath(document.uri);
    if (absolute) {
      this.openByPath.set(absolute, document.uri);
      if (!this.workspaces.folderFor(absolute)) {
        const { workspace, created } = this.workspaces.looseFor(absolute);
        this.looseByUri.set(document.uri, workspace);
        if (created) {
          this.log.info(`readiness: ${document.uri} is outside every workspace folder: cross-file checks see only the open files of ${workspace.root}`);
          await this.setup(workspace);
        }
      }
      // With pull diagnostics the client asks for open documents; what was pushed for the closed file goes.
      if (this.client.pull) this.publisher.clear(pathToUri(absolute));
    }
    if (this.documents.get(document.uri)) this.validator.opened(this.documents.get(document.uri)!);
  }

  private saved(document: TextDocument): void {
    this.validator.saved(document);
    const absolute = uriToPath(document.uri);
    if (!absolute) return;
    // Clients without file watchers: a saved config or checklist file is still picked up.
    for (const workspace of this.workspaces.all()) {
      if (workspace.enabled && workspace.isConfigPath(absolute)) this.reloadConfig(workspace);
    }
  }

  private closed(document: TextDocument): void {
    this.openedVersions.delete(document.uri);
    const absolute = documentPath(document.uri);
    if (absolute && this.openByPath.get(absolute) === document.uri) this.openByPath.delete(absolute);
    const target = this.validator.closed(document);
    const loose = this.looseByUri.get(document.uri);
    this.looseByUri.delete(document.uri);
    if (!target || target.workspace.loose || target.workspace.uriOf(target.file) !== document.uri) this.publisher.clear(document.uri);
    if (target && !target.workspace.loose) {
      // The disk counts again: publish what the workspace scan says about the file, if the scope wants it.
      target.workspace.session.refresh(target.file);
      this.propagate(target.workspace);
      this.publishClosed(target.workspace, target.file);
      this.checklist.schedule(target.workspace);
    } else if (loose) {
      const file = loose.fileOf(absolute!);
      if (file !== undefined) loose.session.remove(file);
      for (const dropped of this.workspaces.pruneLoose((workspace) => [...this.looseByUri.values()].includes(workspace))) dropped.dispose();
    }
  }

  private async configurationChanged(settings: unknown): Promise<void> {
    if (!this.client.configuration) {
      const all = settings as Record<string, unknown> | undefined;
      this.pushedSettings = all?.readiness ?? all;
    }
    for (const workspace of this.workspaces.all()) {
      const before = workspace.settings;
      await this.refreshSettings(workspace);
      const after = workspace.settings;
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      if (before.enable !== after.enable) this.log.info(`readiness: turned ${after.enable ? "on" : "off"} in ${workspace.name} (readiness.enable)`);
      if (!after.enable) {
        this.disable(workspace);
        continue;
      }
      const previousRoot = workspace.root;
      const change = workspace.loadConfig();
      this.applyConfig(workspace, previousRoot, change, !before.enable);
      if (before.scope !== after.scope) void this.settle(workspace, [...workspace.session.files(), workspace.session.checklistFile]);
    }
  }

  private reloadConfig(workspace: Workspace): void {
    const previousRoot = workspace.root;
    this.applyConfig(workspace, previousRoot, workspace.loadConfig(), false);
  }

  private watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    const reload = new Set<Workspace>();
    const relist = new Set<Workspace>();
    const changed = new Map<Workspace, string[]>();
    const touched = new Set<Workspace>();
    for (const change of params.changes) {
      const absolute = uriToPath(change.uri);
      if (!absolute) continue;
      for (const workspace of this.workspaces.all()) {
        if (!workspace.enabled || workspace.loose) continue;
        if (workspace.isConfigPath(absolute)) {
          reload.add(workspace);
          continue;
        }
        const file = workspace.fileOf(absolute);
        if (file === undefined) continue;
        const { session } = workspace;
        touched.add(workspace);
        if (change.type !== FileChangeType.Changed || path.basename(file) === "package.json") relist.add(workspace);
        if (session.isChecklist(file)) {
          if (!session.hasBuffer(file)) {
            session.invalidateChecklist();
            void this.settle(workspace, [file]);
          }
        } else if (change.type === FileChangeType.Changed && session.isSource(file) && !session.hasBuffer(file)) {
          changed.set(workspace, [...(changed.get(workspace) ?? []), file]);
        }
      }
    }
    for (const workspace of reload) this.reloadConfig(workspace);
    for (const workspace of relist) if (!reload.has(workspace)) this.scanners.get(workspace)?.relist();
    for (const [workspace, files] of changed) this.scanners.get(workspace)?.enqueue(files, false);
    for (const workspace of touched) this.checklist.schedule(workspace);
  }

  /** Cross-file effects of a change: open documents are validated again, stale closed files re-analysed. */
  private propagate(workspace: Workspace): void {
    const { reresolve, reanalyse } = workspace.session.drainAffected();
    for (const file of reresolve) {
      const uri = this.openByPath.get(workspace.absolute(file));
      if (uri) this.validator.revalidate(uri);
    }
    if (reresolve.length > 0) this.requestPullRefresh();
    if (reanalyse.length === 0) return;
    const scanner = this.scanners.get(workspace);
    if (scanner) scanner.enqueue(reanalyse, true);
    else {
      for (const file of reanalyse) workspace.session.refresh(file, true);
      void this.settle(workspace, reanalyse);
    }
  }

  /** Files whose analysis settled: open ones are validated again, closed ones published (per scope). */
  private async settle(workspace: Workspace, files: string[]): Promise<void> {
    let count = 0;
    let open = false;
    for (const file of files) {
      const uri = this.openByPath.get(workspace.absolute(file));
      if (uri && this.documents.get(uri)) {
        this.validator.revalidate(uri);
        open = true;
        continue;
      }
      this.publishClosed(workspace, file);
      if (++count % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (open) this.requestPullRefresh();
    this.checklist.schedule(workspace);
  }

  private publishClosed(workspace: Workspace, file: string): void {
    const uri = workspace.uriOf(file);
    if (this.shutDown || !workspace.enabled || workspace.loose || workspace.settings.scope !== "workspace") {
      this.publisher.clear(uri);
      return;
    }
    this.publisher.publish(uri, workspace.session.findings(file, new Date(), false).map(toDiagnostic));
  }

  private noteAnalysis(workspace: Workspace, file: string, result: RefreshResult, ms: number): void {
    const analysis = result.analysis;
    if (!analysis) return;
    if (analysis.skipped) this.log.once(`skip\u0000${workspace.root}\u0000${file}`, "info", `readiness: skipped ${file} (${analysis.skipped})`);
    for (const failure of analysis.ruleFailures) {
      this.log.once(`rule\u0000${failure.ruleId}\u0000${workspace.root}\u0000${file}`, "error", `readiness: rule ${failure.ruleId} failed on ${file}: ${failure.message}`);
    }
    if (ms > workspace.settings.timeBudgetMs) {
      this.log.once(`budget\u0000${file}\u0000${Math.floor(Date.now() / 60_000)}`, "warn", `readiness: analysing ${file} took ${Math.round(ms)} ms (budget ${workspace.settings.timeBudgetMs} ms)`);
    }
  }

  private requestPullRefresh(): void {
    if (!this.client.pull || !this.client.pullRefresh || this.pullRefreshTimer) return;
    this.pullRefreshTimer = setTimeout(() => {
      this.pullRefreshTimer = undefined;
      void this.connection.languages.diagnostics.refresh().catch(() => undefined);
    }, 50);
  }

  private shutdown(): void {
    this.shutDown = true;
    for (const scanner of this.scanners.values()) scanner.stop();
    this.validator.dispose();
    this.checklist.dispose();
    if (this.pullRefreshTimer) clearTimeout(this.pullRefreshTimer);
  }

  /** Resolves once the workspaces are set up. */
  private ready(): Promise<void> {
    return this.queue;
  }

  /** Runs event handlers in order, after initialization; a failing one is logged, never fatal. */
  private enqueue(handler: () => void | Promise<void>): void {
    if (this.shutDown) return;
    this.queue = this.queue.then(handler).catch((error) => {
      this.log.error(`readiness: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
  }
}
