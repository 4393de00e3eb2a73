/**
 * A minimal LSP client for the server tests: starts the built `dist/server.js` as a child process
 * (stdio or Node IPC), speaks the real protocol through `vscode-languageserver-protocol`, answers the
 * server's requests like an editor would, and lets a test wait for a specific message (with a timeout
 * that fails the test).
 */
import { after } from "node:test";
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import {
  type ApplyWorkspaceEditParams,
  type ClientCapabilities,
  createMessageConnection,
  type Diagnostic,
  type InitializeResult,
  IPCMessageReader,
  IPCMessageWriter,
  type LogMessageParams,
  type MessageConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { URI } from "vscode-uri";
import { REPO_ROOT } from "../workspace-fixture";

export const SERVER = path.join(REPO_ROOT, "dist", "server.js");

export const DEFAULT_TIMEOUT_MS = 15_000;

export interface Message {
  method: string;
  params: any;
}

export interface StartOptions {
  transport?: "stdio" | "node-ipc";
  env?: Record<string, string>;
  /** Extra arguments (e.g. a different entry than dist/server.js). */
  command?: string[];
}

export interface InitializeOptions {
  /** Workspace folder paths (absolute). */
  folders?: string[];
  /** Settings returned for `workspace/configuration` section `readiness`. */
  settings?: Record<string, unknown>;
  /** Ask for pull diagnostics (LSP 3.17) like VS Code does. */
  pull?: boolean;
  /** Extra or overriding client capabilities. */
  capabilities?: ClientCapabilities;
  initializationOptions?: Record<string, unknown>;
}

/** The capabilities of a capable editor (VS Code-like, push diagnostics unless `pull`). */
export function editorCapabilities(pull: boolean): ClientCapabilities {
  return {
    workspace: {
      configuration: true,
      workspaceFolders: true,
      applyEdit: true,
      workspaceEdit: { documentChanges: true },
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
    },
    window: { workDoneProgress: true, showDocument: { support: true } },
    textDocument: {
      synchronization: { didSave: true, dynamicRegistration: false },
      publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true, relatedInformation: true },
      codeAction: {
        dataSupport: true,
        isPreferredSupport: true,
        resolveSupport: { properties: ["edit"] },
        codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source", "source.fixAll"] } },
      },
      ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
  };
}

export function uriOf(file: string): string {
  return URI.file(file).toString();
}

/** A `start` for one `describe` block: every client it starts is killed after the block. */
export function suiteClients(): (options?: StartOptions) => TestClient {
  const clients: TestClient[] = [];
  after(() => clients.forEach((client) => client.kill()));
  return (options) => {
    const client = TestClient.start(options);
    clients.push(client);
    return client;
  };
}

export class TestClient {
  readonly connection: MessageConnection;
  readonly messages: Message[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly stderr: string[] = [];
  /** Requests the server sent (method and params), in order. */
  readonly serverRequests: Message[] = [];
  settings: Record<string, unknown> = {};
  private listeners: (() => void)[] = [];
  private readonly exited: Promise<number | null>;
  private readonly documents = new Map<string, TextDocument>();

  private constructor(readonly child: ChildProcess, transport: "stdio" | "node-ipc") {
    this.connection =
      transport === "stdio"
        ? createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!))
        : createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    child.stderr?.on("data", (chunk) => this.stderr.push(String(chunk)));
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    this.connection.onNotification((method, params) => this.record({ method, params }));
    this.connection.onNotification("window/logMessage", (params: LogMessageParams) => {
      this.logs.push(params);
      this.record({ method: "window/logMessage", params });
    });
    // `$/progress` for tokens nobody registered (the server creates them) arrives here, not at the star handler.
    this.connection.onUnhandledProgress((params) => this.record({ method: "$/progress", params }));
    this.connection.onRequest((method, params) => {
      this.serverRequests.push({ method, params });
      this.record({ method, params });
      if (method === "workspace/configuration") return (params as { items: unknown[] }).items.map(() => this.settings);
      if (method === "workspace/applyEdit") return { applied: this.applyWorkspaceEdit((params as ApplyWorkspaceEditParams).edit) };
      if (method === "window/showDocument") return { success: true };
      return null;
    });
    this.connection.listen();
  }

  static start(options: StartOptions = {}): TestClient {
    const transport = options.transport ?? "stdio";
    const args = options.command ?? [SERVER, `--${transport}`];
    const child = spawn(process.execPath, args, {
      stdio: transport === "stdio" ? ["pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe", "ipc"],
      env: { ...process.env, ...options.env },
    });
    return new TestClient(child, transport);
  }

  /** `initialize` + `initialized`. */
  async initialize(options: InitializeOptions = {}): Promise<InitializeResult> {
    this.settings = options.settings ?? {};
    const folders = (options.folders ?? []).map((folder) => ({ uri: uriOf(folder), name: path.basename(folder) }));
    const capabilities = { ...editorCapabilities(options.pull ?? false), ...options.capabilities };
    const result = await this.connection.sendRequest<InitializeResult>("initialize", {
      processId: process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders.length > 0 ? folders : null,
      capabilities,
      ...(options.initializationOptions ? { initializationOptions: options.initializationOptions } : {}),
    });
    await this.connection.sendNotification("initialized", {});
    return result;
  }

  open(file: string, text: string, languageId = "typescript"): string {
    return this.openUri(uriOf(file), text, languageId);
  }

  /** Opens a document by URI (any scheme, e.g. a virtual file system's). */
  openUri(uri: string, text: string, languageId = "typescript"): string {
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    void this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Sends incremental changes (applied to the client's copy too); returns the new version. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const document = this.documents.get(uri)!;
    const version = document.version + 1;
    this.documents.set(uri, TextDocument.update(document, changes, version));
    void this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  save(uri: string): void {
    void this.connection.sendNotification("textDocument/didSave", { textDocument: { uri } });
  }

  close(uri: string): void {
    this.documents.delete(uri);
    void this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  document(uri: string): TextDocument {
    return this.documents.get(uri)!;
  }

  /** Applies a WorkspaceEdit to the client's copies of open documents (sending didChange like an editor). */
  applyWorkspaceEdit(edit: WorkspaceEdit): boolean {
    const perUri = new Map<string, TextEdit[]>();
    for (const change of edit.documentChanges ?? []) {
      if (!("textDocument" in change)) return false;
      const document = this.documents.get(change.textDocument.uri);
      if (!document || (change.textDocument.version !== null && change.textDocument.version !== document.version)) return false;
      perUri.set(change.textDocument.uri, change.edits as TextEdit[]);
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perUri.set(uri, edits);
    for (const [uri, edits] of perUri) {
      const document = this.documents.get(uri);
      if (!document) return false;
      const text = TextDocument.applyEdits(document, edits);
      this.change(uri, [{ text }]);
    }
    return true;
  }

  /** Waits for a message from the server matching `predicate` that arrives after `since` (an index into `messages`). */
  waitFor(predicate: (message: Message) => boolean, what: string, options: { since?: number; timeoutMs?: number } = {}): Promise<Message> {
    const since = options.since ?? 0;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      let index = since;
      const check = () => {
        for (; index < this.messages.length; index++) {
          if (predicate(this.messages[index])) {
            cleanup();
            resolve(this.messages[index]);
            return true;
          }
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server log:\n${this.logs.map((log) => log.message).join("\n")}${this.stderr.join("")}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((listener) => listener !== check);
      };
      if (!check()) this.listeners.push(check);
    });
  }

  /** Waits for `textDocument/publishDiagnostics` for a URI (after `since`), optionally for a version or a condition. */
  async diagnostics(uri: string, options: { since?: number; version?: number; where?: (diagnostics: Diagnostic[]) => boolean; timeoutMs?: number } = {}): Promise<PublishDiagnosticsParams> {
    const message = await this.waitFor(
      (candidate) =>
        candidate.method === "textDocument/publishDiagnostics" &&
        candidate.params.uri === uri &&
        (options.version === undefined || candidate.params.version === options.version) &&
        (options.where === undefined || options.where(candidate.params.diagnostics)),
      `diagnostics for ${uri}${options.version !== undefined ? ` v${options.version}` : ""}`,
      options,
    );
    return message.params as PublishDiagnosticsParams;
  }

  /** Index to pass as `since` to only see what arrives from now on. */
  get mark(): number {
    return this.messages.length;
  }

  /** `shutdown` then `exit`; resolves with the process's exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    return this.exitCode();
  }

  exitCode(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("server did not exit")), timeoutMs)));
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** Ends the child process no matter what (test cleanup). */
  kill(): void {
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }

  private record(message: Message): void {
    this.messages.push(message);
    for (const listener of [...this.listeners]) listener();
  }
}
