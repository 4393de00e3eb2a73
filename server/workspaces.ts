/**
 * The workspaces the server knows: one per workspace folder (plus "loose" ones for documents outside
 * every folder), each with its settings, its config (the last good one when the file is broken) and
 * the engine's incremental session. Files are addressed by workspace-relative path inside, by URI
 * outside.
 */
import * as fs from "fs";
import * as path from "path";
import { type Connection, DiagnosticSeverity, MessageType, ShowMessageNotification } from "vscode-languageserver/node";
import { URI } from "vscode-uri";
import { CONFIG_FILE_NAME, ConfigError, loadConfig, type ReadinessConfig, type Rule, WorkspaceSession } from "../rules";
import { nodeHost } from "../cli/node-host";
import type { ItemStatus } from "../shared/customMessages";
import { SOURCE, type Publisher } from "./diagnostics";
import type { Logger } from "./log";
import { DEFAULT_SETTINGS, effectiveConfig, type ReadinessSettings } from "./settings";

export function uriToPath(uri: string): string | undefined {
  try {
    const parsed = URI.parse(uri);
    return parsed.scheme === "file" ? path.normalize(parsed.fsPath) : undefined;
  } catch {
    return undefined;
  }
}

/** Where virtual documents live for the engine: a folder that exists nowhere on disk. */
const VIRTUAL_ROOT = path.join(path.parse(process.cwd()).root, ".readiness-virtual");

/**
 * The path the engine files an open document under: its path on disk, or, for a document of a
 * virtual file system (`vscode-vfs:`, `vscode-remote:` …), a path under a root that exists nowhere,
 * so the engine sees the open buffer and nothing else (limited support: open files only).
 * Untitled documents have no name the engine could classify, so none.
 */
export function documentPath(uri: string): string | undefined {
  try {
    const parsed = URI.parse(uri);
    if (parsed.scheme === "file") return path.normalize(parsed.fsPath);
    if (parsed.scheme === "untitled" || parsed.path.length <= 1) return undefined;
    return path.join(VIRTUAL_ROOT, parsed.scheme, parsed.authority || "_", path.posix.normalize(parsed.path));
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return URI.file(file).toString();
}

export type ConfigChange = "unchanged" | "relist" | "reanalyse" | "root";

export interface WorkspaceServices {
  connection: Connection;
  log: Logger;
  publisher: Publisher;
  extraRules: readonly Rule[];
  /** False in an untrusted workspace: the built-in rules run with their defaults, no config file is read. */
  readonly trusted: boolean;
}

export class Workspace {
  settings: ReadinessSettings = DEFAULT_SETTINGS;
  session: WorkspaceSession;
  /** Absolute path of the config file in use, when there is one. */
  configFile: string | undefined;
  /** The config file's content as last parsed successfully. */
  private fileConfig: ReadinessConfig = {};
  private configErrorUri: string | undefined;
  private shownError: string | undefined;
  /** A client asked for this workspace's checklist: it gets `readiness/checklistChanged`. */
  checklistWatched = false;
  /** Item statuses of the last checklist model computed, to tell what changed. */
  checklistStatuses: Map<string, ItemStatus> | undefined;
  /** The last checklist model computed, serialized: a notification goes out when it differs. */
  checklistFingerprint: string | undefined;

  constructor(
    /** The workspace folder's URI; for a loose workspace, its root's. */
    readonly folderUri: string,
    readonly folderPath: string,
    /** No workspace folder holds it: only open documents are analysed, nothing is scanned. */
    readonly loose: boolean,
    private readonly services: WorkspaceServices,
  ) {
    this.session = new WorkspaceSession({ host: nodeHost, root: folderPath, config: {}, extraRules: services.extraRules });
  }

  get root(): string {
    return this.session.root;
  }

  get name(): string {
    return path.basename(this.folderPath) || this.folderPath;
  }

  get enabled(): boolean {
    return this.settings.enable;
  }

  /** Workspace-relative path (`/` separators) of a file inside the root, else undefined. */
  fileOf(absolute: string): string | undefined {
    const relative = path.relative(this.root, absolute);
    if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join("/");
  }

  uriOf(file: string): string {
    return pathToUri(path.join(this.root, file));
  }

  absolute(file: string): string {
    return path.join(this.root, file);
  }

  /** Whether a path is a config file this workspace reads (the one in use, or one that could appear). */
  isConfigPath(absolute: string): boolean {
    if (this.configFile && path.normalize(absolute) === path.normalize(this.configFile)) return true;
    if (this.settings.configFile) return path.normalize(absolute) === this.explicitConfigPath();
    return path.basename(absolute) === CONFIG_FILE_NAME && (this.folderPath + path.sep).startsWith(path.dirname(absolute) + path.sep);
  }

  /**
   * (Re)reads the config file and merges the settings under it. A broken file is reported on itself
   * (one diagnostic at the offending line) and once in a message; the last good config stays in use.
   * Says what the caller must do: nothing, re-list the files, re-analyse everything, or rebuild the
   * session on a new root.
   */
  loadConfig(): ConfigChange {
    const explicit = this.explicitConfigPath();
    let root = this.root;
    let configFile = this.configFile;
    let fileConfig = this.fileConfig;
    try {
      const loaded = this.services.trusted ? loadConfig(nodeHost, this.folderPath, explicit) : { file: undefined, root: this.folderPath, config: {} };
      // A config found above the folder governs it, as for the CLI: paths are relative to the config's folder.
      root = loaded.file && !explicit ? loaded.root : this.folderPath;
      configFile = loaded.file;
      fileConfig = loaded.config;
      this.clearConfigError();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.reportConfigError(error);
      if (configFile === undefined) {
        configFile = error.file;
        if (!explicit) root = path.dirname(error.file);
      }
    }
    this.fileConfig = fileConfig;
    this.configFile = configFile;
    const config = effectiveConfig(fileConfig, this.settings);
    if (root !== this.session.root) {
      this.session = new WorkspaceSession({ host: nodeHost, root, config, configFile, extraRules: this.services.extraRules });
      return "root";
    }
    const before = JSON.stringify([this.session.config, this.session.configFile]);
    if (before === JSON.stringify([config, configFile])) return "unchanged";
    const listingBefore = JSON.stringify([this.session.config.include ?? [], this.session.config.exclude ?? [], this.session.config.checklist ?? null]);
    const dropped = this.session.setConfig(config, configFile);
    if (dropped) return "reanalyse";
    return listingBefore === JSON.stringify([config.include ?? [], config.exclude ?? [], config.checklist ?? null]) ? "unchanged" : "relist";
  }

  /** Clears what this workspace published about its config. */
  dispose(): void {
    this.clearConfigError();
  }

  private explicitConfigPath(): string | undefined {
    return this.settings.configFile ? path.normalize(path.resolve(this.folderPath, this.settings.configFile)) : undefined;
  }

  private reportConfigError(error: ConfigError): void {
    const uri = pathToUri(error.file);
    if (this.configErrorUri && this.configErrorUri !== uri) this.services.publisher.clear(this.configErrorUri);
    this.configErrorUri = uri;
    let lineText = "";
    try {
      lineText = fs.readFileSync(error.file, "utf8").split(/\r?\n/)[error.line - 1] ?? "";
    } catch {
      // The file is gone (an explicit configFile that does not exist): the range stays empty.
    }
    const start = { line: error.line - 1, character: error.column - 1 };
    const end = { line: error.line - 1, character: Math.max(error.column - 1, lineText.trimEnd().length) };
    this.services.publisher.publish(uri, [
      { range: { start, end }, severity: DiagnosticSeverity.Error, source: SOURCE, code: "config", message: `${error.key ? `${error.key}: ` : ""}${error.problem}` },
    ]);
    this.services.log.error(`readiness: ${error.message}`);
    if (this.shownError !== error.message) {
      this.shownError = error.message;
      void this.services.connection
        .sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `Readiness: ${error.message}. The last valid configuration stays in use.` })
        .catch(() => undefined);
    }
  }

  private clearConfigError(): void {
    if (this.configErrorUri) this.services.publisher.clear(this.configErrorUri);
    this.configErrorUri = undefined;
    this.shownError = undefined;
  }
}

/** Every workspace, and which one a document belongs to. */
export class Workspaces {
  private readonly folders = new Map<string, Workspace>();
  private readonly loose = new Map<string, Workspace>();

  constructor(private readonly services: WorkspaceServices) {}

  addFolder(uri: string): Workspace | undefined {
    const folderPath = uriToPath(uri);
    if (!folderPath || this.folders.has(uri)) return undefined;
    const workspace = new Workspace(uri, folderPath, false, this.services);
    this.folders.set(uri, workspace);
    return workspace;
  }

  removeFolder(uri: string): Workspace | undefined {
    const workspace = this.folders.get(uri);
    this.folders.delete(uri);
    return workspace;
  }

  folder(uri: string | undefined): Workspace | undefined {
    if (uri === undefined) return this.folders.values().next().value;
    return this.folders.get(uri) ?? [...this.folders.values()].find((workspace) => workspace.folderPath === uriToPath(uri));
  }

  all(): Workspace[] {
    return [...this.folders.values(), ...this.loose.values()];
  }

  /** The workspace whose folder holds the file (the innermost), if any. */
  folderFor(absolute: string): Workspace | undefined {
    let best: Workspace | undefined;
    for (const workspace of this.folders.values()) {
      const inside = absolute === workspace.folderPath || absolute.startsWith(workspace.folderPath.endsWith(path.sep) ? workspace.folderPath : workspace.folderPath + path.sep);
      if (inside && (!best || workspace.folderPath.length > best.folderPath.length)) best = workspace;
    }
    return best;
  }

  /**
   * The workspace of a file outside every folder: rooted at the nearest folder with a config file or
   * a package.json above it, else its own folder. Created on first use; `created` says so.
   */
  looseFor(absolute: string): { workspace: Workspace; created: boolean } {
    const root = looseRoot(path.dirname(absolute));
    const existing = this.loose.get(root);
    if (existing) return { workspace: existing, created: false };
    const workspace = new Workspace(pathToUri(root), root, true, this.services);
    this.loose.set(root, workspace);
    return { workspace, created: true };
  }

  /** Drops loose workspaces no open document needs any more. */
  pruneLoose(inUse: (workspace: Workspace) => boolean): Workspace[] {
    const dropped: Workspace[] = [];
    for (const [root, workspace] of this.loose) {
      if (inUse(workspace)) continue;
      this.loose.delete(root);
      dropped.push(workspace);
    }
    return dropped;
  }
}

function looseRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (fs.existsSync(path.join(directory, CONFIG_FILE_NAME)) || fs.existsSync(path.join(directory, "package.json"))) return directory;
    if (path.dirname(directory) === directory) return start;
  }
}
