/**
 * An incremental workspace model for long-lived adapters (the language server; a CLI watch mode could
 * use it too). It keeps one `FileAnalysis` per source file, cached by content hash, re-analyses one
 * file at a time, keeps the workspace facts current, and says which other files a change of facts may
 * affect. Open editor buffers are layered over the disk (`setBuffer`): they win wherever the engine
 * reads a file, evidence detectors included.
 *
 * Memory: a finding's `unless` closure keeps its whole syntax tree alive, so closures are kept only
 * for files with a buffer. Every other file's `unless` decisions are taken at once, against the facts
 * of the moment, and the closures dropped; the session records which facts each decision read
 * (`imports.has("helmet")`, `signals.get(name)`, …) with a version per fact. When a fact a file's
 * decisions read changes, the file is reported stale (`drainAffected().reanalyse`) and must be
 * refreshed with `refresh(file, true)`. Facts about signals are compared by name, file and detail, not
 * line: `unless` decisions must not depend on where in a file a signal is.
 *
 * Pure: no process state, no clock, all I/O through the `FileSystemHost`.
 */
import * as path from "path";
import { ALL_RULES } from "./catalogue";
import { type ChecklistDocument, DEFAULT_CHECKLIST_FILE, parseChecklistDocument } from "./checklist/document";
import { type ChecklistReport, workspaceChecklist } from "./checklist";
import { lintChecklist } from "./checklist/lint";
import { activeRules, configuredLevel, type ReadinessConfig, type RuleLevel } from "./config";
import { type ActiveRule, analyzeFile, type FileAnalysis, type PendingFinding, type ReparseState, resolveFindings, workspaceFacts } from "./engine";
import { applyFixes, automaticFix } from "./fixes";
import type { Finding, Rule, Signal, TextEdit, WorkspaceFacts } from "./types";
import { declaredPackages, decodeText, FileClassifier, type FileSystemHost, listWorkspace, type ScanResult, type WorkspaceListing } from "./workspace";

export interface SessionOptions {
  /** The disk (or any base file system); buffers are layered over it. */
  host: FileSystemHost;
  /** Absolute path relative paths are taken from (the config file's folder, or the workspace folder). */
  root: string;
  config: ReadinessConfig;
  configFile?: string;
  /** Rules run after the catalogue's, with default options (adapters' test hooks). */
  extraRules?: readonly Rule[];
}

export interface RefreshResult {
  /** The engine analysed the file (its text changed, it was new, or `force`). */
  analysed: boolean;
  /** The file's analysis when it was analysed (for logging skips and rule failures). */
  analysis?: FileAnalysis;
  /** The file no longer exists (or is no longer a source) and was dropped. */
  removed?: boolean;
}

export interface Affected {
  /** Files with a buffer whose findings may have changed: resolve them again (`findings`), no analysis needed. */
  reresolve: string[];
  /** Files without a buffer whose `unless` decisions are stale: `refresh(file, true)` them. */
  reanalyse: string[];
}

interface Contribution {
  modules: string[];
  /** Signal name → the file's signals of that name, and their (detail) key without lines. */
  signals: Map<string, { key: string; list: Signal[] }>;
}

interface Entry {
  hash: string;
  lossless: boolean;
  analysis: FileAnalysis;
  /** `unless` closures are still attached (the file has a buffer). */
  live: boolean;
  contribution: Contribution;
  /** Fact keys the file's `unless` decisions read, with the version each had. */
  deps?: Map<string, number>;
}

const EMPTY_CONTRIBUTION: Contribution = { modules: [], signals: new Map() };

export class WorkspaceSession {
  readonly root: string;
  /** The base file system with the session's buffers layered over it. */
  readonly host: FileSystemHost;
  private readonly disk: FileSystemHost;
  private readonly extraRules: readonly Rule[];
  private readonly buffers = new Map<string, string>();
  /** The last syntax tree of each buffer, so the next keystroke reparses only what it changed. */
  private readonly reparseStates = new Map<string, ReparseState>();
  /** Buffers whose text changed since their file's last refresh. */
  private readonly dirty = new Set<string>();
  private readonly overlays = new Map<string, string>();
  private configValue: ReadinessConfig;
  private configFileValue: string | undefined;
  private classifier: FileClassifier;
  private rules: ActiveRule[];
  private unusedLevel: RuleLevel;
  private knownRuleIds: Set<string>;
  private listing: WorkspaceListing = { files: [], sources: [], packageJsons: [] };
  private readonly entries = new Map<string, Entry>();
  private readonly strings = new StringPool();
  private readonly importCounts = new Map<string, number>();
  private readonly signalsByName = new Map<string, Map<string, Signal[]>>();
  private readonly flatSignals = new Map<string, Signal[]>();
  private packages = new Set<string>();
  private readonly versions = new Map<string, number>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly affectedLive = new Set<string>();
  private readonly affectedStale = new Set<string>();
  /** The file being refreshed: a change of facts it causes does not make it stale itself. */
  private current: string | undefined;
  /** `null`: no checklist file; `undefined`: not read yet. */
  private checklistState: { text: string; parsed: ChecklistDocument } | null | undefined;

  constructor(options: SessionOptions) {
    this.root = options.root;
    this.disk = options.host;
    this.host = overlayHost(options.host, this.overlays);
    this.extraRules = options.extraRules ?? [];
    this.configValue = options.config;
    this.configFileValue = options.configFile;
    this.classifier = new FileClassifier(options.config);
    this.rules = this.activeRules(options.config);
    this.unusedLevel = configuredLevel(options.config, "unused-suppression");
    this.knownRuleIds = new Set([...ALL_RULES, ...this.extraRules].map((rule) => rule.meta.id));
  }

  get config(): ReadinessConfig {
    return this.configValue;
  }

  get configFile(): string | undefined {
    return this.configFileValue;
  }

  /** Workspace-relative path of the team's checklist file (whether or not it exists). */
  get checklistFile(): string {
    return this.configValue.checklist ?? DEFAULT_CHECKLIST_FILE;
  }

  /**
   * Replaces the config. Returns true when cached analyses were dropped (rules, options, the
   * production globs or the size limit changed): every source must be refreshed again. A change of
   * include/exclude only needs `list()`.
   */
  setConfig(config: ReadinessConfig, configFile: string | undefined): boolean {
    const analysisKey = (c: ReadinessConfig) => JSON.stringify([c.rules ?? {}, c.nonProduction ?? [], c.maxFileSize ?? null]);
    const dropped = analysisKey(config) !== analysisKey(this.configValue);
    this.configValue = config;
    this.configFileValue = configFile;
    this.classifier = new FileClassifier(config);
    this.rules = this.activeRules(config);
    this.unusedLevel = configuredLevel(config, "unused-suppression");
    this.checklistState = undefined;
    if (dropped) {
      for (const file of [...this.entries.keys()]) this.remove(file);
      this.versions.clear();
      this.dependents.clear();
      this.strings.clear();
      this.affectedLive.clear();
      this.affectedStale.clear();
    }
    return dropped;
  }

  /** Whether a workspace-relative path is a file the engine analyses under the current config. */
  isSource(file: string): boolean {
    return this.classifier.isSource(file);
  }

  isChecklist(file: string): boolean {
    return file === this.checklistFile;
  }

  /** Files currently analysed. */
  files(): IterableIterator<string> {
    return this.entries.keys();
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  /** An editor buffer for a file: it wins over the disk until `clearBuffer`. Analysis is lazy. */
  setBuffer(file: string, text: string): void {
    if (this.buffers.get(file) === text) return;
    this.dirty.add(file);
    this.buffers.set(file, text);
    this.overlays.set(path.join(this.root, file), text);
    if (file === this.checklistFile) this.checklistState = undefined;
  }

  /** The buffer is gone (document closed): the disk counts again. Call `refresh(file)` afterwards. */
  clearBuffer(file: string): void {
    this.buffers.delete(file);
    this.reparseStates.delete(file);
    this.dirty.delete(file);
    this.overlays.delete(path.join(this.root, file));
    if (file === this.checklistFile) this.checklistState = undefined;
  }

  hasBuffer(file: string): boolean {
    return this.buffers.has(file);
  }

  /** The checklist file changed on disk. */
  invalidateChecklist(): void {
    this.checklistState = undefined;
  }

  /**
   * Lists the workspace again (new and deleted files, package.json dependencies). Drops analyses of
   * files that are gone; returns every source and the ones without an analysis yet.
   */
  list(): { sources: string[]; added: string[]; removed: string[] } {
    this.listing = listWorkspace(this.host, this.root, this.classifier);
    const sources = new Set(this.listing.sources);
    const removed = [...this.entries.keys()].filter((file) => !sources.has(file));
    for (const file of removed) this.remove(file);
    const packages = declaredPackages(this.listing.packageJsons);
    const before = this.packages;
    this.packages = packages;
    for (const name of packages) if (!before.has(name)) this.bump(`p:${name}`);
    for (const name of before) if (!packages.has(name)) this.bump(`p:${name}`);
    this.checklistState = undefined;
    return { sources: this.listing.sources, added: this.listing.sources.filter((file) => !this.entries.has(file)), removed };
  }

  /**
   * Brings one file's analysis up to date with its text (buffer, else disk): analyses it when the text
   * changed since the cached analysis, or always with `force`. A file that no longer exists or is no
   * longer a source is dropped.
   */
  refresh(file: string, force = false): RefreshResult {
    if (!force && this.buffers.has(file) && !this.dirty.has(file) && this.entries.has(file)) return { analysed: false };
    this.dirty.delete(file);
    const source = this.classifier.isSource(file) ? this.textOf(file) : undefined;
    if (!source) {
      const existed = this.entries.has(file);
      this.remove(file);
      return { analysed: false, removed: existed };
    }
    const hash = hashText(source.text);
    const existing = this.entries.get(file);
    const live = this.buffers.has(file);
    if (existing && !force && existing.hash === hash) {
      if (existing.live && !live) this.decide(file, existing, true);
      return { analysed: false };
    }
    this.current = file;
    try {
      let reparse: ReparseState | undefined;
      if (live) {
        reparse = this.reparseStates.get(file) ?? {};
        this.reparseStates.set(file, reparse);
      }
      const options = { maxFileSize: this.configValue.maxFileSize, reparse };
      const analysis = compact(analyzeFile({ file, text: source.text, production: this.classifier.isProduction(file) }, this.rules, options), this.strings);
      const contribution = contributionOf(analysis);
      this.applyContribution(file, existing?.contribution ?? EMPTY_CONTRIBUTION, contribution);
      const entry: Entry = { hash, lossless: source.lossless, analysis, live: true, contribution, deps: existing?.deps };
      this.entries.set(file, entry);
      if (!live) this.decide(file, entry, true);
      this.affectedLive.delete(file);
      this.affectedStale.delete(file);
      return { analysed: true, analysis };
    } finally {
      this.current = undefined;
    }
  }

  /** Forgets a file (deleted, excluded). */
  remove(file: string): void {
    const entry = this.entries.get(file);
    if (!entry) return;
    this.current = file;
    this.applyContribution(file, entry.contribution, EMPTY_CONTRIBUTION);
    this.current = undefined;
    this.setDeps(file, entry, undefined);
    this.entries.delete(file);
    this.reparseStates.delete(file);
    this.affectedLive.delete(file);
    this.affectedStale.delete(file);
  }

  /** Files whose findings may have changed through the workspace facts since the last call. */
  drainAffected(): Affected {
    const affected = { reresolve: [...this.affectedLive], reanalyse: [...this.affectedStale] };
    this.affectedLive.clear();
    this.affectedStale.clear();
    return affected;
  }

  /**
   * The final findings of one file: a source's (analysed first if its text changed; without `refresh`
   * only a buffer is looked at again, not the disk) or the checklist file's own. Empty for any other file.
   */
  findings(file: string, now: Date, refresh = true): Finding[] {
    if (file === this.checklistFile && !this.classifier.isSource(file)) return this.checklistFindings(now);
    // A buffer may have changed since its last analysis; the disk is the caller's to watch.
    if (refresh || this.buffers.has(file)) this.refresh(file);
    const entry = this.entries.get(file);
    if (!entry) return [];
    const pending = entry.live ? this.decide(file, entry, false) : entry.analysis.findings;
    return resolveFindings({ ...entry.analysis, findings: pending }, this.factsView(undefined), this.unusedLevel, this.knownRuleIds);
  }

  /** Problems of the checklist file itself (placeholders, an overdue review). */
  checklistFindings(now: Date): Finding[] {
    const checklist = this.readChecklistFile();
    if (!checklist) return [];
    return lintChecklist(this.checklistFile, checklist.text, checklist.parsed, this.rules, now);
  }

  /** Every final finding of the workspace, the checklist file's included. */
  allFindings(now: Date): Finding[] {
    const findings: Finding[] = [];
    for (const file of [...this.entries.keys()].sort()) findings.push(...this.findings(file, now, false));
    findings.push(...this.checklistFindings(now));
    return findings;
  }

  /** The whole workspace as a `ScanResult` (what the CLI's scan returns), from the cached analyses. */
  scanResult(now: Date): ScanResult {
    const files = [...this.entries.keys()].sort();
    const analyses = files.map((file) => this.entries.get(file)!.analysis);
    const checklist = this.readChecklistFile();
    return {
      root: this.root,
      configFile: this.configFileValue,
      config: this.configValue,
      listing: this.listing,
      analyses,
      facts: workspaceFacts(analyses, this.packages),
      findings: this.allFindings(now),
      skipped: analyses.filter((analysis) => analysis.skipped).map((analysis) => ({ file: analysis.file, reason: analysis.skipped! })),
      ruleFailures: analyses.flatMap((analysis) => analysis.ruleFailures),
      lossy: new Set(files.filter((file) => !this.entries.get(file)!.lossless)),
      ...(checklist ? { checklist: { file: this.checklistFile, ...checklist } } : {}),
    };
  }

  /** The checklist of the workspace as it is now (buffers included). */
  checklist(now: Date): ChecklistReport {
    return workspaceChecklist(this.scanResult(now), this.host, now);
  }

  /** The text the engine sees for a file: its buffer, else the disk's. */
  textOf(file: string): { text: string; lossless: boolean } | undefined {
    const buffer = this.buffers.get(file);
    if (buffer !== undefined) return { text: buffer, lossless: true };
    const bytes = this.disk.readFile(path.join(this.root, file));
    if (!bytes) return undefined;
    const { text, lossless } = decodeText(bytes);
    return { text, lossless };
  }

  private activeRules(config: ReadinessConfig): ActiveRule[] {
    return [...activeRules(config), ...this.extraRules.map((rule) => ({ rule, options: {} }))];
  }

  private readChecklistFile(): { text: string; parsed: ChecklistDocument } | undefined {
    if (this.checklistState === undefined) {
      const source = this.textOf(this.checklistFile);
      this.checklistState = source ? { text: source.text, parsed: parseChecklistDocument(source.text) } : null;
    }
    return this.checklistState ?? undefined;
  }

  /**
   * Takes the `unless` decisions of a file against the current facts, recording what they read. With
   * `strip`, disproved findings are dropped and the closures (and the syntax tree they hold) let go.
   */
  private decide(file: string, entry: Entry, strip: boolean): PendingFinding[] {
    const reads = new Set<string>();
    const facts = this.factsView(reads);
    const kept: PendingFinding[] = [];
    let conditional = false;
    for (const finding of entry.analysis.findings) {
      if (!finding.unless) {
        kept.push(finding);
        continue;
      }
      conditional = true;
      let disproved = false;
      try {
        disproved = finding.unless(facts) === true;
      } catch (error) {
        // A broken workspace check keeps its finding; the failure is reported like any rule's.
        const message = error instanceof Error ? error.message : String(error);
        if (!entry.analysis.ruleFailures.some((failure) => failure.ruleId === finding.ruleId)) entry.analysis.ruleFailures.push({ ruleId: finding.ruleId, file, message });
      }
      if (disproved) continue;
      const { unless: _unless, ...rest } = finding;
      kept.push(rest);
    }
    this.setDeps(file, entry, conditional ? reads : undefined);
    if (strip) {
      entry.analysis = { ...entry.analysis, findings: kept };
      entry.live = false;
    }
    return kept;
  }

  private setDeps(file: string, entry: Entry, reads: Set<string> | undefined): void {
    if (entry.deps) {
      for (const key of entry.deps.keys()) {
        const set = this.dependents.get(key);
        set?.delete(file);
        if (set?.size === 0) this.dependents.delete(key);
      }
    }
    if (!reads || reads.size === 0) {
      entry.deps = undefined;
      return;
    }
    entry.deps = new Map([...reads].map((key) => [key, this.versions.get(key) ?? 0]));
    for (const key of reads) {
      let set = this.dependents.get(key);
      if (!set) this.dependents.set(key, (set = new Set()));
      set.add(file);
    }
  }

  private bump(key: string): void {
    const collection = `${key[0]}*`;
    for (const changed of [key, collection]) {
      this.versions.set(changed, (this.versions.get(changed) ?? 0) + 1);
      for (const file of this.dependents.get(changed) ?? []) {
        if (file === this.current) continue;
        const entry = this.entries.get(file);
        if (!entry) continue;
        if (entry.live) this.affectedLive.add(file);
        else this.affectedStale.add(file);
      }
    }
  }

  private applyContribution(file: string, before: Contribution, after: Contribution): void {
    const removedModules = before.modules.filter((module) => !after.modules.includes(module));
    const addedModules = after.modules.filter((module) => !before.modules.includes(module));
    for (const module of removedModules) {
      const count = (this.importCounts.get(module) ?? 1) - 1;
      if (count > 0) this.importCounts.set(module, count);
      else {
        this.importCounts.delete(module);
        this.bump(`i:${module}`);
      }
    }
    for (const module of addedModules) {
      const count = (this.importCounts.get(module) ?? 0) + 1;
      this.importCounts.set(module, count);
      if (count === 1) this.bump(`i:${module}`);
    }
    const names = new Set([...before.signals.keys(), ...after.signals.keys()]);
    for (const name of names) {
      const old = before.signals.get(name);
      const next = after.signals.get(name);
      let byFile = this.signalsByName.get(name);
      if (next) {
        if (!byFile) this.signalsByName.set(name, (byFile = new Map()));
        byFile.set(file, next.list);
      } else if (byFile) {
        byFile.delete(file);
        if (byFile.size === 0) this.signalsByName.delete(name);
      }
      this.flatSignals.delete(name);
      if (old?.key !== next?.key) this.bump(`s:${name}`);
    }
  }

  private signalList(name: string): Signal[] | undefined {
    let list = this.flatSignals.get(name);
    if (!list) {
      const byFile = this.signalsByName.get(name);
      if (!byFile) return undefined;
      list = [...byFile.keys()].sort().flatMap((file) => byFile.get(file)!);
      this.flatSignals.set(name, list);
    }
    return list;
  }

  /** The live workspace facts; with `reads`, every question asked of them is recorded as a fact key. */
  private factsView(reads: Set<string> | undefined): WorkspaceFacts {
    const note = (key: string) => reads?.add(key);
    const session = this;
    const imports = new TrackedSet(() => this.importCounts.keys(), (module) => this.importCounts.has(module), () => this.importCounts.size, "i", note);
    const packages = new TrackedSet(() => this.packages.values(), (name) => this.packages.has(name), () => this.packages.size, "p", note);
    const snapshot = () => new Map([...session.signalsByName.keys()].sort().map((name) => [name, session.signalList(name)! as readonly Signal[]]));
    const signals: ReadonlyMap<string, readonly Signal[]> = {
      get(name: string) {
        note(`s:${name}`);
        return session.signalList(name);
      },
      has(name: string) {
        note(`s:${name}`);
        return session.signalsByName.has(name);
      },
      get size() {
        note("s*");
        return session.signalsByName.size;
      },
      forEach(callback, thisArg) {
        note("s*");
        snapshot().forEach((list, name) => callback.call(thisArg, list, name, signals));
      },
      entries() {
        note("s*");
        return snapshot().entries();
      },
      keys() {
        note("s*");
        return snapshot().keys();
      },
      values() {
        note("s*");
        return snapshot().values();
      },
      [Symbol.iterator]() {
        note("s*");
        return snapshot().entries();
      },
    };
    return { imports, packages, signals };
  }
}

/** A read-only set over live data that records what is asked of it. */
class TrackedSet implements ReadonlySet<string> {
  constructor(
    private readonly iterate: () => IterableIterator<string>,
    private readonly contains: (value: string) => boolean,
    private readonly count: () => number,
    private readonly prefix: string,
    private readonly note: (key: string) => void,
  ) {}

  has(value: string): boolean {
    this.note(`${this.prefix}:${value}`);
    return this.contains(value);
  }

  get size(): number {
    this.note(`${this.prefix}*`);
    return this.count();
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const value of this.values()) callback.call(thisArg, value, value, this);
  }

  values(): SetIterator<string> {
    this.note(`${this.prefix}*`);
    return new Set(this.iterate()).values();
  }

  keys(): SetIterator<string> {
    return this.values();
  }

  entries(): SetIterator<[string, string]> {
    this.note(`${this.prefix}*`);
    return new Set(this.iterate()).entries();
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }
}

const NO_FIXES: Finding["fixes"] = [];

/**
 * Makes an analysis cheap to keep: its strings (messages, fix texts, module names, signal details) are
 * replaced by shared copies — most are substrings of the file's text, and a V8 substring keeps its
 * whole parent string alive; and many are the same message in many files. Empty fix lists share one array.
 */
function compact(analysis: FileAnalysis, strings: StringPool): FileAnalysis {
  for (const finding of analysis.findings) {
    finding.message = strings.get(finding.message);
    if (finding.fixes.length === 0) finding.fixes = NO_FIXES;
    for (const fix of finding.fixes) {
      fix.title = strings.get(fix.title);
      for (const edit of fix.edits) edit.newText = strings.get(edit.newText);
    }
  }
  for (const directive of analysis.directives) {
    directive.ruleIds = directive.ruleIds.map((id) => strings.get(id));
    directive.removal.newText = strings.get(directive.removal.newText);
  }
  for (const signal of analysis.signals) if (signal.detail !== undefined) signal.detail = strings.get(signal.detail);
  for (const entry of analysis.imports) entry.module = strings.get(entry.module);
  for (const failure of analysis.ruleFailures) failure.message = strings.get(failure.message);
  return analysis;
}

/** Interned flat copies of strings: one copy of each distinct text, sharing no memory with where it was cut from. */
class StringPool {
  private readonly pool = new Map<string, string>();

  get(text: string): string {
    // V8 copies strings shorter than 13 units when slicing: they hold nothing else alive.
    if (text.length < 13) return text;
    let copy = this.pool.get(text);
    if (copy === undefined) {
      copy = flatCopy(text);
      this.pool.set(copy, copy);
    }
    return copy;
  }

  clear(): void {
    this.pool.clear();
  }

  get size(): number {
    return this.pool.size;
  }
}

/** A new sequential string with `text`'s content (neither a slice nor a concatenation of it). */
function flatCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function contributionOf(analysis: FileAnalysis): Contribution {
  const signals = new Map<string, { key: string; list: Signal[] }>();
  for (const signal of analysis.signals) {
    let group = signals.get(signal.name);
    if (!group) signals.set(signal.name, (group = { key: "", list: [] }));
    group.list.push(signal);
  }
  for (const group of signals.values()) group.key = group.list.map((signal) => signal.detail ?? "").sort().join("\u0000");
  return { modules: [...new Set(analysis.imports.map((entry) => entry.module))], signals };
}

/** A 64-bit content hash (two FNV-1a variants over UTF-16 units) plus the length. */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${text.length.toString(36)}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
}

/**
 * A file system whose files in `overlays` (absolute path → text) win over `base`; overlaid files that
 * do not exist in `base` yet are listed in their directory too.
 */
export function overlayHost(base: FileSystemHost, overlays: ReadonlyMap<string, string>): FileSystemHost {
  const encoder = new TextEncoder();
  return {
    readFile(file) {
      const text = overlays.get(path.normalize(file));
      return text !== undefined ? encoder.encode(text) : base.readFile(file);
    },
    readDirectory(directory) {
      const entries = base.readDirectory(directory);
      if (overlays.size === 0) return entries;
      const normalized = path.normalize(directory);
      for (const file of overlays.keys()) {
        if (path.dirname(file) !== normalized) continue;
        const name = path.basename(file);
        if (!entries.some((entry) => entry.name === name)) entries.push({ name, isDirectory: false });
      }
      return entries;
    },
  };
}

/**
 * The edits of every automatic fix `applyFixes` would apply to `text` in one pass (an edit two fixes
 * share, once), sorted: what an editor's "fix all" applies.
 */
export function fixAllEdits(text: string, findings: readonly Finding[]): TextEdit[] {
  const { fixed } = applyFixes(text, findings);
  const edits: TextEdit[] = [];
  for (const finding of fixed) {
    for (const edit of automaticFix(finding)!.edits) {
      if (!edits.some((other) => other.start === edit.start && other.end === edit.end && other.newText === edit.newText)) edits.push(edit);
    }
  }
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}
