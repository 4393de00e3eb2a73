/** The status bar item: overall readiness and launch blockers; a spinner while the scan runs. */
import * as vscode from "vscode";
import type { StatusBarState } from "./api";
import type { ChecklistStore } from "./checklist-store";
import { escape, folderName, progressText } from "./checklist-tree";

export class ReadinessStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("readiness.status", vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;
  private visible = false;

  constructor(private readonly store: ChecklistStore) {
    this.item.name = "Readiness";
    this.subscription = store.onDidChange(() => this.update());
    this.update();
  }

  state(): StatusBarState {
    const tooltip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tooltip === "string" ? tooltip : (tooltip?.value ?? ""), visible: this.visible };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(): void {
    const state = this.store.viewState();
    const checklists = this.store.loadedChecklists();
    this.item.command = "readiness.checklist.focus";
    this.item.backgroundColor = undefined;
    if (state === "disabled" || state === "virtual" || state === "noSources" || this.store.folderUris().length === 0) return this.hide();
    if (state === "scanning" && checklists.length === 0) {
      this.show("$(sync~spin) Readiness", "Readiness is scanning the workspace…");
      return;
    }
    if (state === "failed") {
      this.item.command = "readiness.showOutputChannel";
      this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
      this.show("$(error) Readiness", `Readiness could not compute the checklist: ${this.store.failure() ?? "see the output"}. Click to show the output.`);
      return;
    }
    const done = checklists.reduce((sum, checklist) => sum + checklist.progress.done, 0);
    const applicable = checklists.reduce((sum, checklist) => sum + checklist.progress.applicable, 0);
    const blockers = checklists.reduce((sum, checklist) => sum + checklist.blockers.length, 0);
    const percent = applicable === 0 ? 100 : Math.round((done / applicable) * 100);
    const icon = this.store.isLoading() ? "$(sync~spin)" : "$(checklist)";
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Production readiness** — ${done} of ${applicable} items done\n\n`);
    for (const checklist of checklists) {
      if (checklists.length > 1) tooltip.appendMarkdown(`**${escape(folderName(checklist.workspaceFolder))}** ${progressText(checklist.progress, checklist.blockers.length)}\n\n`);
      tooltip.appendMarkdown("| Tier | Done | |\n|---|---:|---:|\n");
      for (const tier of checklist.tiers) tooltip.appendMarkdown(`| ${escape(tier.title)} | ${tier.progress.done}/${tier.progress.applicable} | ${tier.progress.percent}% |\n`);
      tooltip.appendMarkdown("\n");
    }
    tooltip.appendMarkdown("Click to open the Readiness Checklist.");
    this.show(`${icon} ${progressText({ done, applicable, percent }, blockers)}`, tooltip);
  }

  private show(text: string, tooltip: string | vscode.MarkdownString): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Readiness: ${text.replace(/\$\([^)]*\)\s*/g, "")}` };
    this.item.show();
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
  }
}
