/**
 * What an evidence detector sees of a workspace, and the verdict it returns. Detectors are pure
 * functions of this context: they read files only through `read`, and know "now" only through `now`.
 */
import type { FileAnalysis } from "../engine";
import type { Finding, Signal } from "../types";

/** A place that decided a status: a file and line, a package, or a finding. */
export interface Evidence {
  /** Workspace-relative path, when the evidence is in a file. */
  file?: string;
  /** 1-based line, when known. */
  line?: number;
  /** What this piece of evidence shows, one line ("imports otplib", "no liveness route"). */
  note: string;
  /** Set when the evidence is a finding. */
  ruleId?: string;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export type DetectorStatus = "pass" | "fail" | "open";

export interface DetectorResult {
  status: DetectorStatus;
  /** One line a person reads first: why this status. */
  note: string;
  evidence: Evidence[];
  /** The detector believes the item does not apply (e.g. no payment provider at all). */
  suggestNotApplicable?: boolean;
}

export interface EvidenceContext {
  /** Every non-excluded file of the workspace, relative, sorted. */
  readonly files: readonly string[];
  /** A file's text (cached), or `undefined` when it does not exist or cannot be read. */
  read(file: string): string | undefined;
  /** Every package.json, parsed. */
  readonly packageJsons: readonly { file: string; json: Record<string, any> }[];
  /** Dependencies declared by any package.json. */
  readonly packages: ReadonlySet<string>;
  /** Per-file analyses of the engine (imports with lines, signals). */
  readonly analyses: readonly FileAnalysis[];
  /** Workspace signals by name. */
  readonly signals: ReadonlyMap<string, readonly Signal[]>;
  /** Final findings of the whole workspace. */
  readonly findings: readonly Finding[];
  /** The time to judge dates against (`Expires:`, report ages). */
  readonly now: Date;
}

/** Decides one checklist item from evidence. */
export type Detector = (context: EvidenceContext) => DetectorResult;

/**
 * The imports of a list of analyses, indexed once: detectors ask "who imports X" dozens of times, and a
 * workspace has thousands of files but few distinct modules.
 */
export interface ImportIndex {
  /** Distinct modules, in order of first import (analyses in order, then imports in order). */
  readonly modules: readonly string[];
  /** Per distinct module: the analysis and line of its first import. */
  readonly first: readonly { analysis: FileAnalysis; line: number }[];
  /** Per distinct module: the indexes (ascending) of the analyses importing it. */
  readonly importers: readonly (readonly number[])[];
}

// Keyed by the analyses array (plain data, no syntax trees); the length guards against a list grown in place.
const importIndexes = new WeakMap<readonly FileAnalysis[], { length: number; index: ImportIndex }>();

export function importIndex(analyses: readonly FileAnalysis[]): ImportIndex {
  const cached = importIndexes.get(analyses);
  if (cached && cached.length === analyses.length) return cached.index;
  const positions = new Map<string, number>();
  const modules: string[] = [];
  const first: { analysis: FileAnalysis; line: number }[] = [];
  const importers: number[][] = [];
  analyses.forEach((analysis, i) => {
    for (const { module, line } of analysis.imports) {
      let position = positions.get(module);
      if (position === undefined) {
        position = modules.length;
        positions.set(module, position);
        modules.push(module);
        first.push({ analysis, line });
        importers.push([]);
      }
      const list = importers[position];
      if (list[list.length - 1] !== i) list.push(i);
    }
  });
  const index = { modules, first, importers };
  importIndexes.set(analyses, { length: analyses.length, index });
  return index;
}

/** Where any of these modules (or their subpaths, `@sentry/node` for `@sentry`) is imported, first site per module. */
export function importSites(context: EvidenceContext, modules: readonly string[]): Evidence[] {
  const evidence: Evidence[] = [];
  const index = importIndex(context.analyses);
  index.modules.forEach((module, position) => {
    if (!modules.some((name) => module === name || module.startsWith(`${name}/`))) return;
    const { analysis, line } = index.first[position];
    evidence.push({ file: analysis.file, line, note: `imports ${module}` });
  });
  return evidence;
}

/** The package.json files that declare any of these packages. */
export function declarationSites(context: EvidenceContext, packages: readonly string[]): Evidence[] {
  const evidence: Evidence[] = [];
  for (const { file, json } of context.packageJsons) {
    for (const key of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]) {
      const declared = json?.[key];
      if (!declared || typeof declared !== "object") continue;
      for (const name of packages) if (name in declared) evidence.push({ file, line: lineOf(context.read(file), `"${name}"`), note: `declares ${name} in ${key}` });
    }
  }
  return evidence;
}

/** Evidence from signals of these names. */
export function signalSites(context: EvidenceContext, ...names: string[]): Evidence[] {
  return names.flatMap((name) => (context.signals.get(name) ?? []).map((signal) => ({ file: signal.file, line: signal.line, note: signal.detail ?? describeSignal(name) })));
}

function describeSignal(name: string): string {
  const fact = name.slice(name.indexOf(":") + 1);
  return fact.replace(/-/g, " ");
}

/** Evidence from the findings of these rules. */
export function findingSites(context: EvidenceContext, ruleIds: readonly string[]): Evidence[] {
  return context.findings
    .filter((finding) => ruleIds.includes(finding.ruleId))
    .map((finding) => ({
      file: finding.file,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      note: finding.message,
      ruleId: finding.ruleId,
    }));
}

/** Files whose workspace-relative path matches. */
export function filesMatching(context: EvidenceContext, pattern: RegExp): string[] {
  return context.files.filter((file) => pattern.test(file));
}

/** The 1-based line of the first occurrence of `needle`, or undefined. */
export function lineOf(text: string | undefined, needle: string | RegExp): number | undefined {
  if (text === undefined) return undefined;
  const index = typeof needle === "string" ? text.indexOf(needle) : text.search(needle);
  if (index < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Source files (analysed by the engine) whose text matches, with the line of the first match. */
export function sourcesMatching(context: EvidenceContext, pattern: RegExp, note: string): Evidence[] {
  const evidence: Evidence[] = [];
  for (const analysis of context.analyses) {
    const line = lineOf(context.read(analysis.file), pattern);
    if (line !== undefined) evidence.push({ file: analysis.file, line, note });
  }
  return evidence;
}

export const pass = (note: string, evidence: Evidence[]): DetectorResult => ({ status: "pass", note, evidence });
export const fail = (note: string, evidence: Evidence[] = []): DetectorResult => ({ status: "fail", note, evidence });
export const open = (note: string, evidence: Evidence[] = []): DetectorResult => ({ status: "open", note, evidence });
