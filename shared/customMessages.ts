/**
 * The language server's custom messages, shared by the server and its clients (the VS Code extension
 * imports this file; other editors send the same JSON). Positions are LSP's: 0-based lines, UTF-16
 * characters; files are URIs.
 */
import { NotificationType, type Range, RequestType } from "vscode-languageserver-protocol";

export type ItemStatus = "pass" | "fail" | "open" | "done" | "n/a";
export type TickState = "open" | "done" | "n/a";
export type ItemEvaluation = "rules" | "evidence" | "both" | "manual";

/** A place in the workspace. */
export interface Location {
  uri: string;
  range: Range;
}

export interface ChecklistEvidence {
  /** What this piece of evidence shows, one line. */
  note: string;
  /** Where, when the evidence is in a file (a zero-width range at the line's start when no column is known). */
  location?: Location;
  /** Set when the evidence is a finding of this rule. */
  ruleId?: string;
}

export interface ChecklistProgress {
  done: number;
  applicable: number;
  percent: number;
}

export interface ChecklistItem {
  /** Stable id (`security.cors`), or `custom.<slug>` for an item the team added to its file. */
  id: string;
  title: string;
  /** Built-in tier id (`critical`, …); absent for a custom tier. */
  tier?: string;
  tierTitle: string;
  section: string;
  status: ItemStatus;
  evaluation: ItemEvaluation;
  /** Why this status, one line. */
  note: string;
  evidence: ChecklistEvidence[];
  /** Rules whose findings fail this item. */
  rules: string[];
  builtIn: boolean;
  /** The tick in the checklist file, when the file lists the item. */
  tick?: TickState;
  /** The item's line in the checklist file. */
  location?: Location;
  /** A detector believes the item does not apply to this workspace. */
  suggestNotApplicable?: boolean;
  /** The item's entry in the checklist reference (built-in items). */
  docsUrl?: string;
}

export interface Checklist {
  /** The workspace folder this checklist belongs to. */
  workspaceFolder: string;
  /** The team's checklist file (ticks); absent until `readiness/initChecklist` creates it. */
  checklistFile?: string;
  items: ChecklistItem[];
  progress: ChecklistProgress;
  tiers: { id?: string; title: string; progress: ChecklistProgress }[];
  sections: { tier?: string; tierTitle: string; section: string; progress: ChecklistProgress }[];
  /** Ids of critical items that are `fail` or `open`. */
  blockers: string[];
  /** How many source files the workspace scan analysed (0: nothing for Readiness to check). */
  sourceFiles: number;
}

export interface ChecklistParams {
  /** URI of a workspace folder; the first folder when absent. */
  workspaceFolder?: string;
}

/** The checklist model of a workspace folder (after its scan), or `null` when Readiness is off there. */
export const ChecklistRequest = new RequestType<ChecklistParams, Checklist | null, void>("readiness/checklist");

export interface ChecklistChangedParams {
  workspaceFolder: string;
  progress: ChecklistProgress;
  blockers: string[];
  /** Items whose status changed since the last model the server computed, with their new status. */
  changed: { id: string; status: ItemStatus }[];
}

/**
 * Sent whenever the checklist model of a workspace folder changes (an item's status — listed in
 * `changed` — or a tick, title, evidence, the checklist file), for folders whose checklist a client
 * has requested at least once; also (with nothing `changed`) when Readiness is turned off in such a
 * folder. Ask `readiness/checklist` again for the full model.
 */
export const ChecklistChangedNotification = new NotificationType<ChecklistChangedParams>("readiness/checklistChanged");

export interface SetItemStateParams {
  workspaceFolder?: string;
  id: string;
  state: TickState;
}

export interface SetItemStateResult {
  /** The checklist file that was written. */
  checklistFile: string;
  /** The item as it is now (code evidence can keep it `fail` although ticked). */
  item?: ChecklistItem;
}

/**
 * Writes a tick into the checklist file through the engine (that item's marker only): as a workspace
 * edit when the file is open in the editor, else on disk. Fails with a message when the file or the
 * item does not exist.
 */
export const SetItemStateRequest = new RequestType<SetItemStateParams, SetItemStateResult, void>("readiness/setItemState");

export interface ChecklistReportResult {
  /** The readiness report in Markdown, as `readiness checklist --format markdown` prints it. */
  markdown: string;
}

/** The checklist of a workspace folder as a Markdown report (to export or share). */
export const ChecklistReportRequest = new RequestType<ChecklistParams, ChecklistReportResult | null, void>("readiness/checklistReport");

export interface InitChecklistParams {
  workspaceFolder?: string;
}

export interface InitChecklistResult {
  checklistFile: string;
  /** False when the file already existed (it is left as it was). */
  created: boolean;
}

/** Writes `PRODUCTION_READINESS.md` (or the config's `checklist` path) from the built-in checklist. */
export const InitChecklistRequest = new RequestType<InitChecklistParams, InitChecklistResult, void>("readiness/initChecklist");

/** `data` of every diagnostic the server publishes: enough to find the finding again for code actions. */
export interface DiagnosticData {
  ruleId: string;
  /** UTF-16 offsets of the finding in the version of the document the diagnostic was computed for. */
  start: number;
  end: number;
  /** Whether the finding has at least one fix. */
  fixable: boolean;
}

/** Commands the server executes (`workspace/executeCommand`). */
export const Commands = {
  /** Arguments: `[ruleId]`. Opens the rule's documentation page (`window/showDocument`). */
  showDocumentation: "readiness.showDocumentation",
} as const;

/** The code action kind of "fix everything safe in this file" (for `editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = "source.fixAll.readiness";
