/** The checklist of a scanned workspace: evidence from the scan, ticks from its checklist file. */
import { activeRules } from "../config";
import type { FileSystemHost, ScanResult } from "../workspace";
import { evidenceContext } from "./context";
import { type ChecklistReport, evaluateChecklist } from "./evaluate";

export function workspaceChecklist(scan: ScanResult, host: FileSystemHost, now: Date): ChecklistReport {
  return evaluateChecklist(evidenceContext(scan, host, now), {
    ...(scan.checklist ? { document: { file: scan.checklist.file, parsed: scan.checklist.parsed } } : {}),
    activeRuleIds: new Set(activeRules(scan.config).map((active) => active.rule.meta.id)),
  });
}

export { type ChecklistReport, type Evaluation, type ItemResult, type ItemStatus, type Progress } from "./evaluate";
export { ChecklistEditError, DEFAULT_CHECKLIST_FILE, renderChecklistDocument, setItemState, type TickState } from "./document";
export { ITEMS, itemById, TIERS, type TierId } from "./items";
export type { Evidence } from "./evidence";
