/**
 * The background scan of one workspace: a queue of files to (re)analyse, worked off in short slices
 * so edits and requests are served in between, with `window/workDoneProgress` for full scans. Once the
 * queue is empty (the workspace facts are final), files whose `unless` decisions went stale are
 * re-analysed, and every file analysed meanwhile is handed over to be published.
 */
import { performance } from "perf_hooks";
import type { CancellationToken, WorkDoneProgressServerReporter } from "vscode-languageserver/node";
import type { RefreshResult } from "../rules";
import { type Logger, errorText } from "./log";
import { collectIfGrown, collectNow } from "./memory";
import type { Workspace } from "./workspaces";

/** Work done per turn of the event loop before other messages get their turn. */
const SLICE_MS = 15;
const PROGRESS_INTERVAL_MS = 100;

export interface ScanHooks {
  /** Logs what an analysis says (skipped file, rule failures, time budget). */
  analysed(workspace: Workspace, file: string, result: RefreshResult, ms: number): void;
  /** Files analysed since the last call, or dropped, now that facts are final: publish them. */
  settled(workspace: Workspace, files: string[]): Promise<void>;
  /** Takes the session's affected files (stale ones come back through `enqueue`). */
  propagate(workspace: Workspace): void;
  /** A server-initiated progress (a no-op reporter when the client has no progress support). */
  progress(): Promise<WorkDoneProgressServerReporter>;
  /** The queue ran dry. */
  idle(workspace: Workspace): void;
}

export class Scanner {
  private readonly queue = new Map<string, boolean>();
  private readonly settledFiles = new Set<string>();
  private running = false;
  private stopped = false;
  private waiters: (() => void)[] = [];
  private progress: Promise<WorkDoneProgressServerReporter> | undefined;
  private done = 0;
  private lastPercent = 0;
  private lastReport = 0;
  private fullScanStarted = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly hooks: ScanHooks,
    private readonly log: Logger,
  ) {}

  get busy(): boolean {
    return this.running || this.queue.size > 0;
  }

  /** Lists the workspace and brings every source up to date, with progress. */
  scanAll(): void {
    if (this.stopped) return;
    const { sources, removed } = this.workspace.session.list();
    for (const file of removed) this.settledFiles.add(file);
    for (const file of sources) if (!this.queue.has(file)) this.queue.set(file, false);
    this.settledFiles.add(this.workspace.session.checklistFile);
    if (!this.progress) {
      this.done = 0;
      this.lastPercent = 0;
      this.fullScanStarted = performance.now();
      const title = `Readiness: scanning ${this.workspace.name}`;
      this.progress = this.hooks.progress().then(
        (reporter) => {
          reporter.begin(title, 0, `0/${this.queue.size} files`, false);
          return reporter;
        },
        () => undefined as never,
      );
    }
    this.start();
  }

  /** Lists the workspace again: new sources are analysed, vanished ones cleared. */
  relist(): void {
    if (this.stopped) return;
    const { added, removed } = this.workspace.session.list();
    for (const file of removed) this.settledFiles.add(file);
    this.enqueue(added, false);
    if (removed.length > 0) this.start();
  }

  /** (Re)analyses these files in the background; `force` re-runs the engine even on unchanged text. */
  enqueue(files: readonly string[], force: boolean): void {
    if (this.stopped) return;
    for (const file of files) this.queue.set(file, force || this.queue.get(file) === true);
    if (files.length > 0) this.start();
  }

  /** Settles when the queue is empty and everything analysed is published. */
  whenIdle(token?: CancellationToken): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = () => {
        disposable?.dispose();
        resolve();
      };
      const disposable = token?.onCancellationRequested(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        reject(new Error("cancelled"));
      });
      this.waiters.push(waiter);
    });
  }

  /** Forgets queued work (the session was replaced, or the folder closed). */
  reset(): void {
    this.queue.clear();
    this.settledFiles.clear();
  }

  stop(): void {
    this.stopped = true;
    this.reset();
    this.finishProgress();
  }

  private start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    setImmediate(() => {
      this.run().catch((error) => this.log.error(`readiness: workspace scan of ${this.workspace.name} failed: ${errorText(error)}`));
    });
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        if (this.queue.size === 0) {
          this.hooks.propagate(this.workspace);
          if (this.queue.size === 0) {
            const files = [...this.settledFiles];
            this.settledFiles.clear();
            if (files.length > 0) await this.hooks.settled(this.workspace, files);
            if (this.queue.size === 0) break;
            continue;
          }
        }
        const sliceEnd = performance.now() + SLICE_MS;
        do {
          const [file, force] = this.queue.entries().next().value as [string, boolean];
          this.queue.delete(file);
          const started = performance.now();
          try {
            const result = this.workspace.session.refresh(file, force);
            this.hooks.analysed(this.workspace, file, result, performance.now() - started);
          } catch (error) {
            this.log.once(`scan\u0000${file}`, "error", `readiness: could not analyse ${file}: ${errorText(error)}`);
          }
          this.settledFiles.add(file);
          this.done++;
        } while (this.queue.size > 0 && performance.now() < sliceEnd && !this.stopped);
        this.reportProgress(false);
        collectIfGrown();
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
      if (this.progress) {
        this.reportProgress(true);
        this.log.info(`readiness: scanned ${this.workspace.name} (${this.done} files) in ${Math.round(performance.now() - this.fullScanStarted)} ms`);
        this.finishProgress();
        collectNow();
      }
      if (this.queue.size > 0 && !this.stopped) this.start();
      else {
        const waiters = this.waiters;
        this.waiters = [];
        for (const waiter of waiters) waiter();
        if (!this.stopped) this.hooks.idle(this.workspace);
      }
    }
  }

  private reportProgress(final: boolean): void {
    if (!this.progress) return;
    const total = this.done + this.queue.size;
    const percent = final ? 100 : Math.max(this.lastPercent, Math.min(99, Math.floor((this.done * 100) / Math.max(total, 1))));
    const now = performance.now();
    if (!final && (percent === this.lastPercent || now - this.lastReport < PROGRESS_INTERVAL_MS)) return;
    this.lastPercent = percent;
    this.lastReport = now;
    const message = `${this.done}/${total} files`;
    void this.progress.then((reporter) => reporter?.report(percent, message));
  }

  private finishProgress(): void {
    const progress = this.progress;
    this.progress = undefined;
    void progress?.then((reporter) => reporter?.done());
  }
}
