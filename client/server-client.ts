/**
 * The language client: starts the bundled server (`dist/server.js`) over IPC, restarts it on demand
 * or when the workspace becomes trusted, and stops it on deactivate. Everything Readiness knows comes
 * from this server; the client adds no analysis.
 */
import * as vscode from "vscode";
import { SERVER_NODE_FLAGS } from "../server/node-flags";
import { LanguageClient, type LanguageClientOptions, type ServerOptions, State, TransportKind } from "vscode-languageclient/node";

const LANGUAGES = ["typescript", "typescriptreact", "javascript", "javascriptreact"];

/** Files on disk, and the virtual file systems of the workspace's folders (their open files only). */
function documentSchemes(): string[] {
  return [...new Set(["file", ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme)])];
}

export class ServerClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly runningEmitter = new vscode.EventEmitter<LanguageClient>();
  private readonly stoppedEmitter = new vscode.EventEmitter<string>();
  /** Fires each time a server is ready for requests: started, restarted, or brought back after a crash. */
  readonly onDidStart = this.runningEmitter.event;
  /** Fires with a reason when the server stopped for good (it crashed too often, or failed to start). */
  readonly onDidFail = this.stoppedEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The running client, started on first use. */
  running(): Promise<LanguageClient> {
    this.starting ??= this.start();
    return this.starting;
  }

  async restart(): Promise<void> {
    const previous = this.starting;
    this.starting = (async () => {
      await previous?.catch(() => undefined);
      await this.stop();
      return this.start();
    })();
    await this.starting;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client && client.state !== State.Stopped) await client.stop().catch((error) => this.output.error(`Readiness: stopping the server failed: ${String(error)}`));
    await client?.dispose().catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
    this.runningEmitter.dispose();
    this.stoppedEmitter.dispose();
  }

  private async start(): Promise<LanguageClient> {
    const module = this.context.asAbsolutePath("dist/server.js");
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, "--nolazy", "--inspect=6019", "--enable-source-maps"] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        ...documentSchemes().flatMap((scheme) => LANGUAGES.map((language) => ({ scheme, language }))),
        // The checklist file (PRODUCTION_READINESS.md or the config's `checklist`): the server keeps only that one.
        { scheme: "file", language: "markdown" },
      ],
      initializationOptions: {
        // In an untrusted workspace the server reads no config file: built-in rules with their defaults.
        untrusted: !vscode.workspace.isTrusted,
        // Pushed diagnostics: the language client pulls only for documents in a visible tab and drops
        // what it pulled when the tab closes, while Readiness reports every file of the workspace.
        pullDiagnostics: false,
      },
      outputChannel: this.output,
    };
    const client = new LanguageClient("readiness", "Readiness", serverOptions, clientOptions);
    this.client = client;
    // The language client restarts a crashed server by itself: each time it runs again, so must the UI.
    client.onDidChangeState((event) => {
      if (this.client !== client) return;
      if (event.newState === State.Running) this.runningEmitter.fire(client);
    });
    try {
      await client.start();
    } catch (error) {
      if (this.client === client) this.client = undefined;
      this.starting = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      this.output.error(`Readiness: the server did not start: ${reason}`);
      this.stoppedEmitter.fire(reason);
      throw error;
    }
    return client;
  }
}
