/** Human-readable output: findings grouped by file, each with its source line, then a summary. */
import type { Finding, Severity } from "../rules";

export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
  underline(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const colourStyle: TextStyle = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  underline: ansi(4, 24),
  severity: (severity, text) => ({ error: ansi(31, 39), warning: ansi(33, 39), info: ansi(36, 39), hint: ansi(2, 22) })[severity](text),
};

export const plainStyle: TextStyle = { bold: (t) => t, dim: (t) => t, underline: (t) => t, severity: (_, t) => t };

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

export function formatText(findings: readonly Finding[], sourceLine: (file: string, line: number) => string | undefined, style: TextStyle): string {
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    let list = byFile.get(finding.file);
    if (!list) byFile.set(finding.file, (list = []));
    list.push(finding);
  }
  for (const [file, list] of byFile) {
    out.push(style.underline(file));
    for (const finding of list) {
      const where = `${finding.line}:${finding.column}`.padEnd(8);
      out.push(`  ${style.dim(where)}${style.severity(finding.severity, finding.severity.padEnd(8))}${finding.message}  ${style.dim(finding.ruleId)}`);
      const source = sourceLine(file, finding.line);
      if (source !== undefined) out.push(codeFrame(source, finding, style));
    }
    out.push("");
  }
  const counts = countBySeverity(findings);
  const total = findings.length;
  if (total === 0) {
    out.push("No readiness problems found.");
  } else {
    const fixable = findings.filter((finding) => finding.fixes.length > 0).length;
    const parts = (["error", "warning", "info", "hint"] as const).map((s) => `${counts[s]} ${s}${counts[s] === 1 ? "" : s === "info" ? "" : "s"}`);
    out.push(style.bold(`✖ ${total} problem${total === 1 ? "" : "s"} (${parts.join(", ")})`));
    if (fixable > 0) out.push(style.dim(`  ${fixable} fixable with \`readiness check --fix\`.`));
  }
  return out.join("\n") + "\n";
}

/** The finding's source line (trimmed to 120 columns around it) with a caret under its range. */
function codeFrame(source: string, finding: Finding, style: TextStyle): string {
  const lineNumber = String(finding.line);
  const text = source.replace(/\t/g, " ");
  let from = 0;
  if (text.length > 120) from = Math.max(0, Math.min(finding.column - 40, text.length - 120));
  const shown = text.slice(from, from + 120);
  const caretStart = Math.max(0, finding.column - 1 - from);
  const caretEnd = finding.endLine === finding.line ? Math.max(caretStart + 1, finding.endColumn - 1 - from) : shown.length;
  const carets = "^".repeat(Math.max(1, Math.min(caretEnd, shown.length) - caretStart));
  const gutter = " ".repeat(lineNumber.length);
  return `${style.dim(`    ${lineNumber} |`)} ${shown}\n${style.dim(`    ${gutter} |`)} ${" ".repeat(caretStart)}${style.severity(finding.severity, carets)}`;
}
