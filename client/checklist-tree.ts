/**
 * The "Readiness Checklist" tree: (folders →) tiers → sections → items, from the store's models.
 * Node ids are stable across reloads, so a live update keeps what the user expanded.
 */
import * as vscode from "vscode";
import type { Checklist, ChecklistItem, ChecklistProgress, ItemStatus } from "../shared/customMessages";
import type { ChecklistNode } from "./api";
import type { ChecklistStore } from "./checklist-store";

const STATUS_ICONS: Record<ItemStatus, vscode.ThemeIcon> = {
  pass: new vscode.ThemeIcon("pass", new vscode.ThemeColor("testing.iconPassed")),
  fail: new vscode.ThemeIcon("error", new vscode.ThemeColor("testing.iconFailed")),
  open: new vscode.ThemeIcon("circle-large-outline"),
  done: new vscode.ThemeIcon("check", new vscode.ThemeColor("testing.iconPassed")),
  "n/a": new vscode.ThemeIcon("circle-slash", new vscode.ThemeColor("disabledForeground")),
};

const STATUS_WORDS: Record<ItemStatus, string> = { pass: "passes", fail: "fails", open: "open", done: "done", "n/a": "not applicable" };

/** Evidence that fails an item: findings of its rules. */
export function blockingFindings(item: ChecklistItem) {
  return item.status === "fail" ? item.evidence.filter((evidence) => evidence.ruleId && evidence.location) : [];
}

export class ChecklistTreeProvider implements vscode.TreeDataProvider<ChecklistNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ChecklistNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ChecklistStore) {
    this.subscription = store.onDidChange(() => this.changeEmitter.fire(undefined));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  getChildren(node?: ChecklistNode): ChecklistNode[] {
    if (!node) {
      // An empty tree lets the welcome view say why (scanning, nothing to check, turned off).
      if (this.store.viewState() !== "ready") return [];
      const folders = this.store.folderUris();
      if (folders.length === 1) return this.tiers(folders[0]);
      // Every folder gets its node, also one still scanning, turned off or failed: it says which.
      return folders.map((folder) => ({ kind: "folder", folder }));
    }
    if (node.kind === "folder") return this.tiers(node.folder);
    const checklist = this.store.checklist(node.folder);
    if (!checklist) return [];
    const visible = checklist.items.filter((item) => this.store.shows(checklist, item));
    if (node.kind === "tier") {
      const inTier = visible.filter((item) => item.tierTitle === node.tier);
      const sections = [...new Set(inTier.map((item) => item.section))];
      // Tiers without sections (reviews, contacts) list their items directly.
      if (sections.length === 1 && sections[0] === "") return inTier.map((item) => ({ kind: "item", folder: node.folder, item }));
      return sections.map((section) => ({ kind: "section", folder: node.folder, tier: node.tier, section }));
    }
    if (node.kind === "section") {
      return visible.filter((item) => item.tierTitle === node.tier && item.section === node.section).map((item) => ({ kind: "item", folder: node.folder, item }));
    }
    return [];
  }

  getTreeItem(node: ChecklistNode): vscode.TreeItem {
    const checklist = this.store.checklist(node.folder);
    switch (node.kind) {
      case "folder": {
        const state = this.store.folderState(node.folder);
        const item = new vscode.TreeItem(folderName(node.folder), checklist ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.id = node.folder;
        item.iconPath = state.kind === "failed" ? new vscode.ThemeIcon("error", new vscode.ThemeColor("problemsErrorIcon.foreground")) : vscode.ThemeIcon.Folder;
        item.description =
          state.kind === "loaded"
            ? progressText(state.checklist.progress, state.checklist.blockers.length)
            : state.kind === "loading"
              ? "scanning…"
              : state.kind === "disabled"
                ? "Readiness is turned off"
                : "could not load the checklist";
        if (state.kind === "failed") item.tooltip = state.message;
        return item;
      }
      case "tier": {
        const tier = checklist?.tiers.find((candidate) => candidate.title === node.tier);
        const hasBlockers = !!checklist?.items.some((item) => item.tierTitle === node.tier && checklist.blockers.includes(item.id));
        const item = new vscode.TreeItem(node.tier, hasBlockers ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.folder}#${node.tier}`;
        if (tier) item.description = fraction(tier.progress);
        item.contextValue = "readinessTier";
        return item;
      }
      case "section": {
        const section = checklist?.sections.find((candidate) => candidate.tierTitle === node.tier && candidate.section === node.section);
        const hasBlockers = !!checklist?.items.some((item) => item.tierTitle === node.tier && item.section === node.section && checklist.blockers.includes(item.id));
        const item = new vscode.TreeItem(node.section, hasBlockers ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.folder}#${node.tier}#${node.section}`;
        if (section) item.description = fraction(section.progress);
        item.contextValue = "readinessSection";
        return item;
      }
      case "item":
        return this.itemTreeItem(node, checklist);
    }
  }

  private tiers(folder: string): ChecklistNode[] {
    const checklist = this.store.checklist(folder);
    if (!checklist) return [];
    const shown = new Set(checklist.items.filter((item) => this.store.shows(checklist, item)).map((item) => item.tierTitle));
    return checklist.tiers.filter((tier) => shown.has(tier.title)).map((tier) => ({ kind: "tier", folder, tier: tier.title }));
  }

  private itemTreeItem(node: Extract<ChecklistNode, { kind: "item" }>, checklist: Checklist | undefined): vscode.TreeItem {
    const { item } = node;
    // Titles are the checklist's Markdown; a tree label is plain text.
    const treeItem = new vscode.TreeItem(item.title.replace(/`/g, ""), vscode.TreeItemCollapsibleState.None);
    treeItem.id = `${node.folder}#item#${item.id}`;
    treeItem.iconPath = STATUS_ICONS[item.status];
    const findings = blockingFindings(item);
    const blocker = checklist?.blockers.includes(item.id) ? " · blocker" : "";
    treeItem.description = `${findings.length > 0 ? `${findings.length} finding${findings.length === 1 ? "" : "s"}` : STATUS_WORDS[item.status]}${blocker}`;
    treeItem.tooltip = itemTooltip(item, findings.length);
    treeItem.accessibilityInformation = { label: `${item.title}: ${STATUS_WORDS[item.status]}${blocker}. ${item.note}` };
    const tick = item.tick === "n/a" ? "na" : (item.tick ?? "open");
    treeItem.contextValue = `readinessItem.${tick}${findings.length > 0 ? ".findings" : ""}${item.docsUrl ? ".docs" : ""}`;
    treeItem.command = { command: "readiness.checklist.openEvidence", title: "Go to Evidence", arguments: [node] };
    return treeItem;
  }
}

function fraction(progress: ChecklistProgress): string {
  return `${progress.done}/${progress.applicable}`;
}

export function progressText(progress: ChecklistProgress, blockers: number): string {
  return `${progress.percent}% · ${blockers === 0 ? "no blockers" : `${blockers} blocker${blockers === 1 ? "" : "s"}`}`;
}

function itemTooltip(item: ChecklistItem, findings: number): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escapeKeepingCode(item.title)}**\n\n`);
  tooltip.appendMarkdown(`$(${STATUS_ICONS[item.status].id}) ${STATUS_WORDS[item.status]} — ${escape(item.note)}\n\n`);
  const shown = findings > 0 ? blockingFindings(item) : item.evidence;
  if (shown.length > 0) {
    tooltip.appendMarkdown(findings > 0 ? "Blocking findings:\n\n" : "Evidence:\n\n");
    for (const evidence of shown.slice(0, 5)) {
      const where = evidence.location ? ` — \`${vscode.workspace.asRelativePath(vscode.Uri.parse(evidence.location.uri))}:${evidence.location.range.start.line + 1}\`` : "";
      tooltip.appendMarkdown(`- ${evidence.ruleId ? `\`${evidence.ruleId}\` ` : ""}${escape(evidence.note)}${where}\n`);
    }
    if (shown.length > 5) tooltip.appendMarkdown(`- … and ${shown.length - 5} more\n`);
    tooltip.appendMarkdown("\n");
  }
  tooltip.appendMarkdown(`\`${item.id}\` · decided by ${item.evaluation === "manual" ? "a person" : item.evaluation === "both" ? "rules and evidence" : item.evaluation}`);
  if (item.docsUrl) tooltip.appendMarkdown(` · [Documentation](${item.docsUrl})`);
  return tooltip;
}

/** Text for a MarkdownString: every Markdown character escaped (titles and notes come from the workspace). */
export function escape(text: string): string {
  // The characters that start inline Markdown (emphasis, code, links, images, HTML, tables) mid-line.
  return text.replace(/[\\`*_[\]<>|!~]/g, (character) => `\\${character}`);
}

/** Like `escape`, but the checklist's own code spans (`DEV_MFA_CODE`) stay code. */
function escapeKeepingCode(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, index) => (index % 2 === 1 ? part : escape(part)))
    .join("");
}

export function folderName(folder: string): string {
  const uri = vscode.Uri.parse(folder);
  return vscode.workspace.getWorkspaceFolder(uri)?.name ?? uri.path.split("/").pop() ?? folder;
}
