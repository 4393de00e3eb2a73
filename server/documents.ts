/**
 * Validation of open documents: on open at once, on change after the debounce (`run: onType`) or on
 * save (`run: onSave`). A newer version replaces a pending validation, and a result is published only
 * if the document is still at the version it was computed for. With pull diagnostics the client asks
 * (`textDocument/diagnostic`) and this module answers instead of publishing.
 */
import { performance } from "perf_hooks";
import {
  type CancellationToken,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type TextDocuments,
} from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { RefreshResult } from "../rules";
import { fingerprint, type Publisher, toDiagnostic } from "./diagnostics";
import type { Logger } from "./log";
import { collectWhenIdle } from "./memory";
import type { Workspace } from "./workspaces";

export interface DocumentTarget {
  workspace: Workspace;
  /** Workspace-relative path. */
  file: string;
}

export interface ValidatorHost {
  documents: TextDocuments<TextDocument>;
  publisher: Publisher;
  log: Logger;
  /** Whether the client pulls diagnostics (`textDocument/diagnostic`). */
  pull: boolean;
  /** The workspace and path of a document Readiness analyses (enabled, a source or the checklist), else undefined. */
  resolve(uri: string): DocumentTarget | undefined;
  analysed(workspace: Workspace, file: string, result: RefreshResult, ms: number): void;
  /** After a document's analysis: other files the change of facts affects. */
  propagate(workspace: Workspace): void;
  /** A document's findings changed (the checklist may have). */
  changed(workspace: Workspace): void;
  /** Asks a pulling client to pull again (`workspace/diagnostic/refresh`). */
  refreshPull(): void;
  now(): Date;
}

export class Validator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastChange = new Map<string, number>();
  private readonly savedVersion = new Map<string, number>();
  /** `run: onSave` with pull: the last answer, given again until the next save. */
  private readonly lastReport = new Map<string, DocumentDiagnosticReport>();

  constructor(private readonly host: ValidatorHost) {}

  opened(document: TextDocument): void {
    this.savedVersion.set(document.uri, document.version);
    const target = this.track(document);
    if (!target || this.host.pull) return;
    this.schedule(document.uri, 0);
  }

  /** A change arrived (called at once, before queued handlers run: latency is measured from here). */
  noteChange(uri: string): void {
    this.lastChange.set(uri, performance.now());
  }

  changed(document: TextDocument): void {
    const target = this.track(document);
    if (!target || this.host.pull) return;
    if (target.workspace.settings.run === "onType") this.schedule(document.uri, target.workspace.settings.debounceMs);
  }

  saved(document: TextDocument): void {
    this.savedVersion.set(document.uri, document.version);
    const target = this.host.resolve(document.uri);
    if (!target || target.workspace.settings.run !== "onSave") return;
    if (this.host.pull) this.host.refreshPull();
    else this.schedule(document.uri, 0);
  }

  /**
   * The document is closed: its buffer is dropped. The caller publishes what the disk says about the
   * file (replacing the document's diagnostics in one message), or clears them.
   */
  closed(document: TextDocument): DocumentTarget | undefined {
    this.cancel(document.uri);
    this.lastChange.delete(document.uri);
    this.savedVersion.delete(document.uri);
    this.lastReport.delete(document.uri);
    const target = this.host.resolve(document.uri);
    if (target) target.workspace.session.clearBuffer(target.file);
    return target;
  }

  /** Validates (push) or lets the client pull again, for a document whose findings may have changed. */
  revalidate(uri: string): void {
    // A validation already pending (the debounce of a change) will see the new facts too.
    if (!this.host.pull && !this.timers.has(uri)) this.schedule(uri, 0);
  }

  /** Cancels pending work for every document. */
  dispose(): void {
    for (const uri of [...this.timers.keys()]) this.cancel(uri);
  }

  /** Runs a validation now and publishes it (push). */
  validateNow(uri: string): void {
    this.cancel(uri);
    const document = this.host.documents.get(uri);
    if (!document) return;
    const target = this.host.resolve(uri);
    if (!target) {
      this.host.publisher.clear(uri);
      return;
    }
    const version = document.version;
    const diagnostics = this.compute(document, target);
    // A newer version may have arrived while this one was analysed: its result would be stale.
    if (this.host.documents.get(uri)?.version !== version) return;
    this.host.publisher.publish(uri, diagnostics, version);
    const changedAt = this.lastChange.get(uri);
    if (changedAt !== undefined && this.host.log.verbose) this.host.log.debug(`readiness: ${target.file} v${version} published ${(performance.now() - changedAt).toFixed(1)} ms after the change arrived`);
    this.host.propagate(target.workspace);
    this.host.changed(target.workspace);
    collectWhenIdle();
  }

  /** `textDocument/diagnostic`. */
  async pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const uri = params.textDocument.uri;
    const document = this.host.documents.get(uri);
    const target = document && this.host.resolve(uri);
    if (!document || !target) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const { settings } = target.workspace;
    if (settings.run === "onSave" && this.savedVersion.get(uri) !== document.version) {
      const last = this.lastReport.get(uri);
      if (last) return last;
    }
    const since = performance.now() - (this.lastChange.get(uri) ?? -Infinity);
    if (settings.run === "onType" && since < settings.debounceMs) await delay(settings.debounceMs - since, token);
    throwIfCancelled(token);
    const current = this.host.documents.get(uri);
    if (!current) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const items = this.compute(current, target);
    const resultId = `${current.version}:${fingerprint(items)}`;
    const report: DocumentDiagnosticReport =
      params.previousResultId === resultId ? { kind: DocumentDiagnosticReportKind.Unchanged, resultId } : { kind: DocumentDiagnosticReportKind.Full, resultId, items };
    if (settings.run === "onSave") this.lastReport.set(uri, { kind: DocumentDiagnosticReportKind.Full, resultId, items });
    this.host.propagate(target.workspace);
    this.host.changed(target.workspace);
    collectWhenIdle();
    return report;
  }

  private compute(document: TextDocument, target: DocumentTarget) {
    const { workspace, file } = target;
    workspace.session.setBuffer(file, document.getText());
    const started = performance.now();
    if (workspace.session.isSource(file)) {
      const result = workspace.session.refresh(file);
      this.host.analysed(workspace, file, result, performance.now() - started);
    }
    const diagnostics = workspace.session.findings(file, this.host.now()).map(toDiagnostic);
    this.host.log.debug(`readiness: ${file} v${document.version}: ${diagnostics.length} problems in ${(performance.now() - started).toFixed(1)} ms`);
    return diagnostics;
  }

  /** Hands the document's text to its workspace (the buffer wins over the disk). */
  private track(document: TextDocument): DocumentTarget | undefined {
    const target = this.host.resolve(document.uri);
    if (target) target.workspace.session.setBuffer(target.file, document.getText());
    return target;
  }

  private schedule(uri: string, delayMs: number): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        try {
          this.validateNow(uri);
        } catch (error) {
          this.host.log.error(`readiness: validating ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }, delayMs),
    );
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, "request cancelled");
}

/** Waits, or rejects with `RequestCancelled` as soon as the request is cancelled. */
export function delay(ms: number, token: CancellationToken): Promise<void> {
  if (token.isCancellationRequested) return Promise.reject(new ResponseError(LSPErrorCodes.RequestCancelled, "request cancelled"));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      disposable.dispose();
      resolve();
    }, ms);
    const disposable = token.onCancellationRequested(() => {
      clearTimeout(timer);
      disposable.dispose();
      reject(new ResponseError(LSPErrorCodes.RequestCancelled, "request cancelled"));
    });
  });
}
