/** `readiness check`: scan, optionally fix, print in the chosen format, and pick the exit code. */
import * as fs from "fs";
import * as path from "path";
import { applyFixes, decodeText, type Finding, loadConfig, scanWorkspace, type ScanResult, SEVERITIES, type Severity, workspaceChecklist } from "../rules";
import { checklistJson } from "./format-checklist";
import { jsonReport } from "./format-json";
import { sarifLog } from "./format-sarif";
import { colourStyle, formatText, plainStyle } from "./format-text";
import { type CommandIo, UsageError } from "./io";
import { nodeHost, writeFileAtomic } from "./node-host";
import { version } from "../package.json";

const FORMATS = ["text", "json", "sarif"] as const;
const FAIL_ON = ["error", "warning", "info", "never"] as const;

export interface Workspace {
  root: string;
  configFile?: string;
  config: ReturnType<typeof loadConfig>["config"];
  /** The given paths, relative to the root ("" for the root itself). */
  only?: string[];
}

/** Resolves the given paths to a workspace root (the config's folder, else the nearest package.json's) and its config. */
export function resolveWorkspace(paths: string[], configOption: string | undefined, io: CommandIo): Workspace {
  const targets = (paths.length > 0 ? paths : ["."]).map((p) => path.resolve(io.cwd, p));
  for (const target of targets) {
    if (!fs.existsSync(target)) throw new UsageError(`no such file or folder: ${path.relative(io.cwd, target) || target}`);
  }
  const first = targets[0];
  const start = fs.statSync(first).isDirectory() ? first : path.dirname(first);
  const loaded = loadConfig(nodeHost, start, configOption ? path.resolve(io.cwd, configOption) : undefined);
  const root = loaded.file ? loaded.root : nearestPackageRoot(start) ?? start;
  const only = targets.map((target) => path.relative(root, target).split(path.sep).join("/"));
  if (only.some((relative) => relative.startsWith(".."))) {
    throw new UsageError(`every path must be inside the workspace root ${root}`);
  }
  return { root, configFile: loaded.file, config: loaded.config, only: only.every((relative) => relative === "") ? undefined : only };
}

function nearestPackageRoot(start: string): string | undefined {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (fs.existsSync(path.join(directory, "package.json"))) return directory;
    if (path.dirname(directory) === directory) return undefined;
  }
}

/** Scans with a progress line on a TTY stderr once the scan has taken more than a second. */
export function scanWithProgress(workspace: Workspace, io: CommandIo): ScanResult {
  const started = Date.now();
  let lastDraw = 0;
  let drew = false;
  const result = scanWorkspace({
    host: nodeHost,
    root: workspace.root,
    config: workspace.config,
    configFile: workspace.configFile,
    only: workspace.only,
    now: new Date(),
    onProgress: io.stderr.isTTY
      ? (done, total) => {
          const now = Date.now();
          if (now - started < 1000 || now - lastDraw < 100) return;
          lastDraw = now;
          drew = true;
          io.stderr.write(`\rreadiness: analysing ${done}/${total} files…`);
        }
      : undefined,
  });
  if (drew) io.stderr.write("\r\u001b[2K");
  return result;
}

export function runCheck(values: Record<string, any>, positionals: string[], io: CommandIo): number {
  const format = values.format as string;
  const failOn = values["fail-on"] as string;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${format}")`);
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")} (got "${failOn}")`);

  const workspace = resolveWorkspace(positionals, values.config, io);
  let result = scanWithProgress(workspace, io);
  if (values.fix) {
    const changed = fixInPlace(result, workspace.root);
    if (changed.length > 0) {
      for (const { file, count } of changed) io.stderr.write(`readiness: fixed ${count} problem${count === 1 ? "" : "s"} in ${file}\n`);
      result = scanWithProgress(workspace, io);
    } else {
      io.stderr.write("readiness: nothing to fix automatically\n");
    }
  }
  for (const failure of result.ruleFailures) io.stderr.write(`readiness: rule ${failure.ruleId} failed on ${failure.file}: ${failure.message}\n`);

  let findings: Finding[] = result.findings;
  if (values.quiet) findings = findings.filter((finding) => finding.severity === "error");

  if (format === "json") {
    const checklist = checklistJson(workspaceChecklist(result, nodeHost, new Date()));
    io.stdout.write(`${JSON.stringify({ ...jsonReport(findings, workspace.root, version), checklist }, null, 2)}\n`);
  } else if (format === "sarif") {
    io.stdout.write(`${JSON.stringify(sarifLog(findings, workspace.root, version, result), null, 2)}\n`);
  } else {
    const useColour = io.env.NO_COLOR === undefined && (io.env.FORCE_COLOR !== undefined || io.stdout.isTTY === true);
    io.stdout.write(formatText(findings, sourceLineReader(workspace.root), useColour ? colourStyle : plainStyle));
    if (!values.quiet) {
      for (const skip of result.skipped) io.stderr.write(`readiness: skipped ${skip.file} (${skip.reason})\n`);
    }
  }
  return exitCode(findings, failOn as (typeof FAIL_ON)[number]);
}

export function exitCode(findings: readonly Finding[], failOn: Severity | "never"): number {
  if (failOn === "never") return 0;
  const threshold = SEVERITIES.indexOf(failOn);
  return findings.some((finding) => SEVERITIES.indexOf(finding.severity) <= threshold) ? 1 : 0;
}

function sourceLineReader(root: string): (file: string, line: number) => string | undefined {
  const cache = new Map<string, string[]>();
  return (file, line) => {
    let lines = cache.get(file);
    if (!lines) {
      const bytes = nodeHost.readFile(path.join(root, file));
      lines = bytes ? decodeText(bytes).text.split(/\r?\n/) : [];
      cache.set(file, lines);
    }
    return lines[line - 1];
  };
}

/** Applies each finding's automatic fix; a fix that collides with another waits for the next `--fix` run. */
function fixInPlace(result: ScanResult, root: string): { file: string; count: number }[] {
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    if (finding.fixes.length === 0 || result.lossy.has(finding.file)) continue;
    let list = byFile.get(finding.file);
    if (!list) byFile.set(finding.file, (list = []));
    list.push(finding);
  }
  const changed: { file: string; count: number }[] = [];
  for (const [file, findings] of byFile) {
    const absolute = path.join(root, file);
    const { text: original, bom } = decodeText(nodeHost.readFile(absolute)!);
    const { text, fixed } = applyFixes(original, findings);
    if (fixed.length === 0 || text === original) continue;
    writeFileAtomic(absolute, bom ? `\uFEFF${text}` : text);
    changed.push({ file, count: fixed.length });
  }
  return changed;
}
