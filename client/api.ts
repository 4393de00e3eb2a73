/**
 * What `activate()` returns: the extension's state for its integration tests (and for other
 * extensions). Read-only views of what the UI shows; changes go through the contributed commands.
 */
import type * as vscode from "vscode";
import type { Checklist, ChecklistItem } from "../shared/customMessages";

/** A row of the checklist tree. `folder` is the workspace folder's URI. */
export type ChecklistNode =
  | { kind: "folder"; folder: string }
  | { kind: "tier"; folder: string; tier: string }
  | { kind: "section"; folder: string; tier: string; section: string }
  | { kind: "item"; folder: string; item: ChecklistItem };

export interface StatusBarState {
  text: string;
  tooltip: string;
  visible: boolean;
}

export interface ReadinessApi {
  /** Resolves once the language client runs (rejects when the server cannot start). */
  whenReady(): Promise<void>;
  /** Resolves once every workspace folder's checklist has loaded (its first scan is done). */
  whenChecklistLoaded(): Promise<void>;
  /** The checklist view's data provider. Roots: tiers (one folder) or folders (multi-root). */
  readonly tree: vscode.TreeDataProvider<ChecklistNode>;
  /** Fires after the checklist models or the filter changed (the tree has been told). */
  readonly onDidChangeChecklist: vscode.Event<void>;
  /** The last checklist model of a folder (the first folder when absent). */
  checklist(folder?: vscode.Uri): Checklist | undefined;
  statusBar(): StatusBarState;
  /** What the checklist view shows when it lists nothing (its welcome content), or `ready`. */
  viewState(): "scanning" | "ready" | "noSources" | "disabled" | "virtual" | "failed";
}
