/** Findings on the checklist file itself, from the rules that apply to it. */
import { type ActiveRule, fillMessage } from "../engine";
import type { Finding } from "../types";
import type { ChecklistDocument } from "./document";

export function lintChecklist(file: string, text: string, document: ChecklistDocument, rules: readonly ActiveRule[], now: Date): Finding[] {
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const findings: Finding[] = [];
  for (const { rule, severity } of rules) {
    if (!rule.checkChecklist) continue;
    for (const report of rule.checkChecklist(document, now)) {
      const template = rule.meta.messages[report.messageId];
      const lineStart = lineStarts[report.line - 1] ?? 0;
      findings.push({
        ruleId: rule.meta.id,
        severity: severity ?? rule.meta.defaultSeverity,
        file,
        message: fillMessage(template, report.data),
        checklistItem: rule.meta.checklistItem,
        fixes: [],
        line: report.line,
        column: report.column,
        endLine: report.line,
        endColumn: report.endColumn,
        start: lineStart + report.column - 1,
        end: lineStart + report.endColumn - 1,
      });
    }
  }
  return findings;
}
