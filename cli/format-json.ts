/** `--format json`: one object, stable keys; later issues add a `checklist` key beside `findings`. */
import type { Finding } from "../rules";

export interface JsonReport {
  tool: { name: "readiness"; version: string };
  root: string;
  findings: {
    ruleId: string;
    severity: string;
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    message: string;
    checklistItem: string;
    fixable: boolean;
  }[];
}

export function jsonReport(findings: readonly Finding[], root: string, version: string): JsonReport {
  return {
    tool: { name: "readiness", version },
    root,
    findings: findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      file: finding.file,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      message: finding.message,
      checklistItem: finding.checklistItem,
      fixable: finding.fixes.length > 0,
    })),
  };
}
