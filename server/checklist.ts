/**
 * The checklist over LSP: `readiness/checklist` (the model, with evidence as URIs and ranges),
 * `readiness/checklistChanged` when a status changes, `readiness/setItemState` and
 * `readiness/initChecklist` (the file is written by the engine's own functions). Recomputing the
 * checklist reads the whole workspace's evidence, so it runs after a quiet period that grows with
 * how long the last computation took, and only for workspaces a client has asked about.
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { type CancellationToken, type Connection, ErrorCodes, type Range, ResponseError, type TextDocuments } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { ChecklistEditError, type ChecklistReport, checklistItemDocsUrl, type Evidence, type ItemResult, renderChecklistDocument, setItemState } from "../rules";
import { formatChecklistMarkdown } from "../cli/format-checklist";
import { writeFileAtomic } from "../cli/node-host";
import {
  type Checklist,
  ChecklistChangedNotification,
  type ChecklistEvidence,
  type ChecklistItem,
  type ChecklistParams,
  type ChecklistReportResult,
  type InitChecklistParams,
  type InitChecklistResult,
  type ItemStatus,
  type SetItemStateParams,
  type SetItemStateResult,
} from "../shared/customMessages";
import { throwIfCancelled } from "./documents";
import { errorText, type Logger } from "./log";
import type { Scanner } from "./workspace-scan";
import type { Workspace, Workspaces } from "./workspaces";

const MIN_QUIET_MS = 300;

export interface ChecklistHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  workspaces: Workspaces;
  log: Logger;
  scannerOf(workspace: Workspace): Scanner | undefined;
  /** The URI under which the client has a file open, if it does. */
  openUri(workspace: Workspace, file: string): string | undefined;
  /** The client applies `workspace/applyEdit`. */
  applyEdit: boolean;
  /** The checklist file was written on disk by the server: publish its diagnostics. */
  checklistWritten(workspace: Workspace): void;
  now(): Date;
}

export class ChecklistService {
  private readonly timers = new Map<Workspace, NodeJS.Timeout>();
  private readonly lastCost = new Map<Workspace, number>();

  constructor(private readonly host: ChecklistHost) {}

  async get(params: ChecklistParams, token: CancellationToken): Promise<Checklist | null> {
    const workspace = this.workspaceOf(params.workspaceFolder);
    if (!workspace) return null;
    // Watched even while off: turned on later, the client hears of it.
    workspace.checklistWatched = true;
    if (!workspace.enabled) return null;
    await this.whenScanned(workspace, token);
    throwIfCancelled(token);
    return this.compute(workspace).model;
  }

  async report(params: ChecklistParams, token: CancellationToken): Promise<ChecklistReportResult | null> {
    const workspace = this.workspaceOf(params.workspaceFolder);
    if (!workspace || !workspace.enabled) return null;
    await this.whenScanned(workspace, token);
    throwIfCancelled(token);
    const now = this.host.now();
    return { markdown: formatChecklistMarkdown(workspace.session.checklist(now), now) };
  }

  /** Something changed in a workspace: recompute its checklist once things are quiet, and say what changed. */
  schedule(workspace: Workspace): void {
    if (!workspace.checklistWatched || !workspace.enabled) return;
    const pending = this.timers.get(workspace);
    if (pending) clearTimeout(pending);
    const quiet = Math.max(MIN_QUIET_MS, 3 * (this.lastCost.get(workspace) ?? 0));
    this.timers.set(
      workspace,
      setTimeout(() => {
        this.timers.delete(workspace);
        const scanner = this.host.scannerOf(workspace);
        if (scanner?.busy) return; // the scan calls again when it is done
        try {
          this.recompute(workspace);
        } catch (error) {
          this.host.log.error(`readiness: checklist of ${workspace.name} failed: ${errorText(error)}`);
        }
      }, quiet),
    );
  }

  async setItemState(params: SetItemStateParams, token: CancellationToken): Promise<SetItemStateResult> {
    const workspace = this.requireWorkspace(params.workspaceFolder);
    if (!["done", "open", "n/a"].includes(params.state)) throw new ResponseError(ErrorCodes.InvalidParams, `state must be "done", "open" or "n/a"`);
    await this.whenScanned(workspace, token);
    throwIfCancelled(token);
    const { session } = workspace;
    const file = session.checklistFile;
    const source = session.textOf(file);
    if (!source) throw new ResponseError(ErrorCodes.InvalidRequest, `${file} does not exist yet: create it with readiness/initChecklist`);
    let updated: string;
    try {
      updated = setItemState(source.text, params.id, params.state);
    } catch (error) {
      if (error instanceof ChecklistEditError) throw new ResponseError(ErrorCodes.InvalidParams, `${file}: ${error.message}`);
      throw error;
    }
    const openUri = this.host.openUri(workspace, file);
    if (updated !== source.text) {
      if (openUri && this.host.applyEdit) {
        const document = this.host.documents.get(openUri)!;
        const result = await this.host.connection.workspace.applyEdit({
          label: `Readiness: ${params.id} is ${params.state}`,
          edit: { documentChanges: [{ textDocument: { uri: openUri, version: document.version }, edits: [minimalEdit(document, source.text, updated)] }] },
        });
        if (!result.applied) throw new ResponseError(ErrorCodes.InternalError, `the editor did not apply the edit${result.failureReason ? `: ${result.failureReason}` : ""}`);
        session.setBuffer(file, updated);
      } else {
        writeFileAtomic(workspace.absolute(file), source.text.length > 0 && hasBom(workspace.absolute(file)) ? `\uFEFF${updated}` : updated);
        session.invalidateChecklist();
        this.host.checklistWritten(workspace);
      }
    }
    const { model } = this.recompute(workspace);
    return { checklistFile: workspace.uriOf(file), item: model.items.find((item) => item.id === params.id) };
  }

  async initChecklist(params: InitChecklistParams, token: CancellationToken): Promise<InitChecklistResult> {
    const workspace = this.requireWorkspace(params.workspaceFolder);
    throwIfCancelled(token);
    const file = workspace.session.checklistFile;
    const absolute = workspace.absolute(file);
    if (fs.existsSync(absolute)) return { checklistFile: workspace.uriOf(file), created: false };
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileAtomic(absolute, renderChecklistDocument());
    workspace.session.list();
    this.host.checklistWritten(workspace);
    if (workspace.checklistWatched) this.recompute(workspace);
    return { checklistFile: workspace.uriOf(file), created: true };
  }

  /**
   * Readiness was turned off in a workspace (or the folder went): a client that shows its checklist
   * hears of it (`readiness/checklist` now answers null). Turned on again, the first checklist after
   * the scan is announced with every item as changed.
   */
  disabled(workspace: Workspace): void {
    const timer = this.timers.get(workspace);
    if (timer) clearTimeout(timer);
    this.timers.delete(workspace);
    workspace.checklistStatuses = undefined;
    workspace.checklistFingerprint = undefined;
    if (!workspace.checklistWatched) return;
    void this.host.connection
      .sendNotification(ChecklistChangedNotification, { workspaceFolder: workspace.folderUri, progress: { done: 0, applicable: 0, percent: 0 }, blockers: [], changed: [] })
      .catch(() => undefined);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Computes the model, remembers its statuses and notifies the client of the ones that changed. */
  private recompute(workspace: Workspace): { model: Checklist } {
    const before = workspace.checklistStatuses;
    const beforeFingerprint = workspace.checklistFingerprint;
    const { model } = this.compute(workspace);
    if (!workspace.checklistWatched) return { model };
    // No statuses before: the workspace was just turned on again, so every item is news.
    const changed = model.items.filter((item) => before?.get(item.id) !== item.status).map((item) => ({ id: item.id, status: item.status }));
    // Ticks, titles, evidence or the file itself can change without any status changing: the client's model is stale too.
    if (changed.length > 0 || workspace.checklistFingerprint !== beforeFingerprint) {
      void this.host.connection
        .sendNotification(ChecklistChangedNotification, { workspaceFolder: workspace.folderUri, progress: model.progress, blockers: model.blockers, changed })
        .catch(() => undefined);
    }
    return { model };
  }

  private compute(workspace: Workspace): { model: Checklist } {
    const started = performance.now();
    const report = workspace.session.checklist(this.host.now());
    const model = toModel(workspace, report);
    workspace.checklistStatuses = new Map<string, ItemStatus>(model.items.map((item) => [item.id, item.status]));
    workspace.checklistFingerprint = JSON.stringify(model);
    const cost = performance.now() - started;
    this.lastCost.set(workspace, cost);
    this.host.log.debug(`readiness: checklist of ${workspace.name} in ${cost.toFixed(0)} ms`);
    return { model };
  }

  private async whenScanned(workspace: Workspace, token: CancellationToken): Promise<void> {
    try {
      await this.host.scannerOf(workspace)?.whenIdle(token);
    } catch {
      throwIfCancelled(token);
    }
  }

  private workspaceOf(folder: string | undefined): Workspace | undefined {
    return this.host.workspaces.folder(folder);
  }

  private requireWorkspace(folder: string | undefined): Workspace {
    const workspace = this.workspaceOf(folder);
    if (!workspace) throw new ResponseError(ErrorCodes.InvalidParams, folder ? `${folder} is not a workspace folder` : "there is no workspace folder");
    if (!workspace.enabled) throw new ResponseError(ErrorCodes.InvalidRequest, `Readiness is disabled in ${workspace.name}`);
    return workspace;
  }
}

export function toModel(workspace: Workspace, report: ChecklistReport): Checklist {
  const checklistUri = report.file ? workspace.uriOf(report.file) : undefined;
  return {
    workspaceFolder: workspace.folderUri,
    ...(checklistUri ? { checklistFile: checklistUri } : {}),
    items: report.items.map((item) => toItem(workspace, item, checklistUri)),
    progress: report.progress,
    tiers: report.tiers,
    sections: report.sections,
    blockers: report.blockers,
    sourceFiles: countSources(workspace),
  };
}

function countSources(workspace: Workspace): number {
  let count = 0;
  for (const file of workspace.session.files()) if (workspace.session.isSource(file)) count++;
  return count;
}

function toItem(workspace: Workspace, item: ItemResult, checklistUri: string | undefined): ChecklistItem {
  return {
    id: item.id,
    title: item.title,
    ...(item.tier ? { tier: item.tier } : {}),
    tierTitle: item.tierTitle,
    section: item.section,
    status: item.status,
    evaluation: item.evaluation,
    note: item.note,
    evidence: item.evidence.map((evidence) => toEvidence(workspace, evidence)),
    rules: item.rules,
    builtIn: item.builtIn,
    ...(item.tick ? { tick: item.tick } : {}),
    ...(checklistUri && item.line ? { location: { uri: checklistUri, range: lineRange(item.line) } } : {}),
    ...(item.suggestNotApplicable ? { suggestNotApplicable: true } : {}),
    ...(item.builtIn ? { docsUrl: checklistItemDocsUrl(item.id) } : {}),
  };
}

function toEvidence(workspace: Workspace, evidence: Evidence): ChecklistEvidence {
  const range: Range =
    evidence.line && evidence.column
      ? {
          start: { line: evidence.line - 1, character: evidence.column - 1 },
          end: { line: (evidence.endLine ?? evidence.line) - 1, character: (evidence.endColumn ?? evidence.column) - 1 },
        }
      : lineRange(evidence.line ?? 1);
  return {
    note: evidence.note,
    ...(evidence.file ? { location: { uri: workspace.uriOf(evidence.file), range } } : {}),
    ...(evidence.ruleId ? { ruleId: evidence.ruleId } : {}),
  };
}

function lineRange(line: number): Range {
  return { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } };
}

/** The one edit turning `before` into `after` (they differ in one place: a tick). */
function minimalEdit(document: TextDocument, before: string, after: string) {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { range: { start: document.positionAt(start), end: document.positionAt(endBefore) }, newText: after.slice(start, endAfter) };
}

function hasBom(file: string): boolean {
  try {
    const head = Buffer.alloc(3);
    const fd = fs.openSync(file, "r");
    try {
      fs.readSync(fd, head, 0, 3, 0);
    } finally {
      fs.closeSync(fd);
    }
    return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } catch {
    return false;
  }
}
