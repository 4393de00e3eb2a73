/**
 * Which files of a workspace are analysed and how, and a whole-workspace scan. All I/O goes through
 * the `FileSystemHost` the adapter passes in: the CLI reads the disk, the server adds open buffers.
 */
import * as path from "path";
import { Minimatch } from "minimatch";
import { ALL_RULES } from "./catalogue";
import { activeRules, CONFIG_FILE_NAME, ConfigError, configuredLevel, parseConfig, type ReadinessConfig } from "./config";
import { type ChecklistDocument, DEFAULT_CHECKLIST_FILE, parseChecklistDocument } from "./checklist/document";
import { lintChecklist } from "./checklist/lint";
import { analyzeFile, type FileAnalysis, type RuleFailure, resolveFindings, workspaceFacts } from "./engine";
import type { Finding, WorkspaceFacts } from "./types";

export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

export interface FileSystemHost {
  /** Entries of a directory; empty when it does not exist. */
  readDirectory(directory: string): DirectoryEntry[];
  /** A file's bytes, or `undefined` when it does not exist. */
  readFile(file: string): Uint8Array | undefined;
}

export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

export const DEFAULT_EXCLUDE = [
  "**/node_modules/**",
  "**/.git/**",
  "**/dist/**",
  "**/build/**",
  "**/out/**",
  "**/.next/**",
  "**/coverage/**",
  "**/*.min.js",
  "**/*.d.ts",
  "**/*.d.mts",
  "**/*.d.cts",
];

export const DEFAULT_NON_PRODUCTION = [
  "**/*.test.*",
  "**/*.spec.*",
  "**/test/**",
  "**/tests/**",
  "**/__tests__/**",
  "**/__mocks__/**",
  "**/e2e/**",
  "**/scripts/**",
  "**/fixtures/**",
];

const globOptions = { dot: true, nocase: false };

/** Decides, by relative path, whether a file is analysed and whether it counts as production code. */
export class FileClassifier {
  private readonly include: Minimatch[];
  private readonly exclude: Minimatch[];
  private readonly nonProduction: Minimatch[];

  constructor(config: ReadinessConfig | undefined) {
    this.include = (config?.include ?? []).map((glob) => new Minimatch(glob, globOptions));
    this.exclude = [...DEFAULT_EXCLUDE, ...(config?.exclude ?? [])].map((glob) => new Minimatch(glob, globOptions));
    this.nonProduction = [...DEFAULT_NON_PRODUCTION, ...(config?.nonProduction ?? [])].map((glob) => new Minimatch(glob, globOptions));
  }

  /** Whether a directory can hold files that are analysed (so the walk may descend). */
  visitsDirectory(relative: string): boolean {
    if (this.exclude.some((glob) => glob.match(`${relative}/`))) return false;
    return this.include.length === 0 || this.include.some((glob) => glob.match(relative, true));
  }

  /** Whether a file is excluded from everything (analysis and workspace evidence). */
  isExcluded(relative: string): boolean {
    return this.exclude.some((glob) => glob.match(relative));
  }

  isSource(relative: string): boolean {
    if (!SOURCE_EXTENSIONS.some((extension) => relative.endsWith(extension))) return false;
    if (this.isExcluded(relative)) return false;
    return this.include.length === 0 || this.include.some((glob) => glob.match(relative));
  }

  isProduction(relative: string): boolean {
    return !this.nonProduction.some((glob) => glob.match(relative));
  }
}

export interface LoadedConfig {
  /** The directory relative paths are taken from: the config file's, or the scanned one. */
  root: string;
  /** Absolute path of the config file, when there is one. */
  file?: string;
  config: ReadinessConfig;
}

/**
 * Finds `readiness.config.json` by walking up from `start` (or uses `explicitFile`) and parses it.
 * Throws `ConfigError` for a broken file.
 */
export function loadConfig(host: FileSystemHost, start: string, explicitFile?: string): LoadedConfig {
  if (explicitFile) {
    const bytes = host.readFile(explicitFile);
    if (!bytes) throw new ConfigError(explicitFile, 1, 1, "", "config file not found");
    return { root: path.dirname(explicitFile), file: explicitFile, config: parseConfig(decodeText(bytes).text, explicitFile) };
  }
  for (let directory = start; ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, CONFIG_FILE_NAME);
    const bytes = host.readFile(candidate);
    if (bytes) return { root: directory, file: candidate, config: parseConfig(decodeText(bytes).text, candidate) };
    if (path.dirname(directory) === directory) return { root: start, config: {} };
  }
}

/**
 * Decodes UTF-8 without its byte-order mark (editors hide it, so positions must not count it).
 * `bom` says it was there, so a writer can put it back; `lossless` is false when invalid bytes had to
 * be replaced (such a file is never rewritten).
 */
export function decodeText(bytes: Uint8Array): { text: string; lossless: boolean; bom: boolean } {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), lossless: true, bom };
  } catch {
    return { text: new TextDecoder("utf-8").decode(bytes), lossless: false, bom };
  }
}

export interface WorkspaceListing {
  /** Every non-excluded file, relative to the root (evidence detectors look at more than sources). */
  files: string[];
  /** The files the engine analyses. */
  sources: string[];
  /** Every package.json, parsed (unreadable ones are left out). */
  packageJsons: { file: string; json: Record<string, any> }[];
}

/** Lists a workspace below `root`, pruning excluded directories. */
export function listWorkspace(host: FileSystemHost, root: string, classifier: FileClassifier): WorkspaceListing {
  const listing: WorkspaceListing = { files: [], sources: [], packageJsons: [] };
  const pending: string[] = [""];
  while (pending.length > 0) {
    const relativeDirectory = pending.pop()!;
    const entries = host.readDirectory(relativeDirectory ? path.join(root, relativeDirectory) : root);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      const relative = relativeDirectory ? `${relativeDirectory}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        if (entry.name !== "node_modules" && entry.name !== ".git" && classifier.visitsDirectory(relative)) pending.push(relative);
      } else if (!classifier.isExcluded(relative)) {
        listing.files.push(relative);
      }
    }
  }
  listing.files.sort();
  for (const file of listing.files) {
    if (classifier.isSource(file)) listing.sources.push(file);
    if (file === "package.json" || file.endsWith("/package.json")) {
      const bytes = host.readFile(path.join(root, file));
      try {
        if (bytes) listing.packageJsons.push({ file, json: JSON.parse(decodeText(bytes).text) });
      } catch {
        // A broken package.json declares nothing; npm itself will tell the user.
      }
    }
  }
  return listing;
}

/** Every dependency any package.json declares. */
export function declaredPackages(packageJsons: WorkspaceListing["packageJsons"]): Set<string> {
  const packages = new Set<string>();
  for (const { json } of packageJsons) {
    for (const key of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
      const dependencies = json?.[key];
      if (dependencies && typeof dependencies === "object") for (const name of Object.keys(dependencies)) packages.add(name);
    }
  }
  return packages;
}

export interface ScanResult {
  root: string;
  configFile?: string;
  config: ReadinessConfig;
  listing: WorkspaceListing;
  analyses: FileAnalysis[];
  facts: WorkspaceFacts;
  findings: Finding[];
  /** Files that were not analysed, with why. */
  skipped: { file: string; reason: string }[];
  ruleFailures: RuleFailure[];
  /** Files whose text was decoded lossily (never rewritten by fixes). */
  lossy: Set<string>;
  /** The team's checklist file, when the workspace has one. */
  checklist?: { file: string; text: string; parsed: ChecklistDocument };
}

export interface ScanOptions {
  host: FileSystemHost;
  root: string;
  config: ReadinessConfig;
  configFile?: string;
  /** Report findings only under these relative paths (files or directories). */
  only?: string[];
  /** Called after each analysed file. */
  onProgress?: (done: number, total: number) => void;
  /** The time dates in the workspace are judged against (review dates, `Expires:`). */
  now: Date;
}

/** Analyses a workspace: lists it, analyses every source file once, then resolves cross-file findings. */
export function scanWorkspace(options: ScanOptions): ScanResult {
  const { host, root, config } = options;
  const classifier = new FileClassifier(config);
  const listing = listWorkspace(host, root, classifier);
  const rules = activeRules(config);
  const analyses: FileAnalysis[] = [];
  const lossy = new Set<string>();
  listing.sources.forEach((file, index) => {
    const { text, lossless } = decodeText(host.readFile(path.join(root, file)) ?? new Uint8Array());
    if (!lossless) lossy.add(file);
    analyses.push(analyzeFile({ file, text, production: classifier.isProduction(file) }, rules, { maxFileSize: config.maxFileSize }));
    options.onProgress?.(index + 1, listing.sources.length);
  });
  const facts = workspaceFacts(analyses, declaredPackages(listing.packageJsons));
  const knownRuleIds = new Set(ALL_RULES.map((rule) => rule.meta.id));
  const unusedLevel = configuredLevel(config, "unused-suppression");
  // Every file is analysed even when only some are reported: cross-file findings need the whole workspace.
  const reported = options.only ? analyses.filter((analysis) => isUnder(analysis.file, options.only!)) : analyses;
  const findings = reported.flatMap((analysis) => resolveFindings(analysis, facts, unusedLevel, knownRuleIds));
  const checklist = readChecklist(host, root, config);
  if (checklist && (!options.only || isUnder(checklist.file, options.only))) {
    findings.push(...lintChecklist(checklist.file, checklist.text, checklist.parsed, rules, options.now));
  }
  return {
    root,
    configFile: options.configFile,
    config,
    listing,
    analyses,
    facts,
    findings,
    skipped: analyses.filter((analysis) => analysis.skipped).map((analysis) => ({ file: analysis.file, reason: analysis.skipped! })),
    ruleFailures: analyses.flatMap((analysis) => analysis.ruleFailures),
    lossy,
    ...(checklist ? { checklist } : {}),
  };
}

/** The checklist file named by the config (default `PRODUCTION_READINESS.md`), parsed, if it exists. */
export function readChecklist(host: FileSystemHost, root: string, config: ReadinessConfig): ScanResult["checklist"] {
  const file = config.checklist ?? DEFAULT_CHECKLIST_FILE;
  const bytes = host.readFile(path.join(root, file));
  if (!bytes) return undefined;
  const { text } = decodeText(bytes);
  return { file, text, parsed: parseChecklistDocument(text) };
}

function isUnder(file: string, prefixes: string[]): boolean {
  return prefixes.some((prefix) => prefix === "" || file === prefix || file.startsWith(`${prefix}/`));
}
