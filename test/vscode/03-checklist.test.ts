/**
 * The checklist: the tree's tiers and items (statuses from the server's `readiness/checklist`), the
 * status bar, and ticking an item (PRODUCTION_READINESS.md changes on that item's marker only).
 * Expectations come from `node dist/cli.js checklist examples/saas-api --format json`.
 */
import * as assert from "assert";
import * as vscode from "vscode";
import {
  allNodes,
  api,
  fileUri,
  iconId,
  itemNode,
  labelOf,
  parseStatus,
  readText,
  type ReadinessApi,
  STATUS_TEXT,
  waitFor,
} from "./helpers";

const TIERS = ["Critical", "High priority", "Important", "Enhancements", "Metrics to establish", "Regular reviews", "Escalation contacts"];

/** [id, tier title, section, status, contextValue, icon] */
const ITEMS: [string, string, string, string, string, string][] = [
  ["security.hardcoded-mfa", "Critical", "Security", "fail", "readinessItem.open.findings.docs", "error"],
  ["security.cors", "Critical", "Security", "fail", "readinessItem.open.findings.docs", "error"],
  ["reliability.backups", "Critical", "Reliability", "open", "readinessItem.open.docs", "circle-large-outline"],
  ["monitoring.alerting", "Critical", "Monitoring", "open", "readinessItem.open.docs", "circle-large-outline"],
  ["performance.etags", "High priority", "Performance", "fail", "readinessItem.open.findings.docs", "error"],
  ["infrastructure.multi-region", "Important", "Infrastructure", "open", "readinessItem.open.docs", "circle-large-outline"],
  ["metrics.uptime", "Metrics to establish", "Technical SLAs", "open", "readinessItem.open.docs", "circle-large-outline"],
  ["reviews.weekly", "Regular reviews", "", "open", "readinessItem.open.docs", "circle-large-outline"],
  ["contacts.security", "Escalation contacts", "", "open", "readinessItem.open.docs", "circle-large-outline"],
];

const ITEM_COUNT = 89;
const BLOCKERS = 25;

function statusMatches(readiness: ReadinessApi): boolean {
  const model = readiness.checklist();
  const shown = parseStatus(readiness.statusBar().text);
  return !!model && !!shown && shown.percent === model.progress.percent && shown.blockers === model.blockers.length;
}

describe("checklist", () => {
  let readiness: ReadinessApi;
  before(async () => {
    readiness = await api();
  });

  it("has the server's model for the workspace", () => {
    const model = readiness.checklist();
    assert.ok(model, "api.checklist() is undefined after whenChecklistLoaded()");
    assert.strictEqual(model.items.length, ITEM_COUNT, "number of checklist items");
    assert.strictEqual(model.blockers.length, BLOCKERS, `blockers: ${model.blockers.join(", ")}`);
    assert.strictEqual(model.progress.done, 0);
    assert.strictEqual(model.progress.percent, 0);
    assert.ok(model.checklistFile?.endsWith("PRODUCTION_READINESS.md"), `checklistFile = ${model.checklistFile}`);
  });

  it("shows the seven tiers as the tree's roots", async () => {
    const roots = (await readiness.tree.getChildren()) ?? [];
    assert.ok(roots.every((node) => node.kind === "tier"), `roots of a single-folder workspace: ${roots.map((node) => node.kind).join(", ")}`);
    const labels = await Promise.all(roots.map(async (node) => labelOf(await readiness.tree.getTreeItem(node))));
    assert.deepStrictEqual(labels, TIERS);
    const model = readiness.checklist()!;
    for (const node of roots) {
      const item = await readiness.tree.getTreeItem(node);
      const tier = model.tiers.find((candidate) => candidate.title === labelOf(item));
      assert.ok(tier, `tier ${labelOf(item)} is not in the model`);
      assert.strictEqual(item.description, `${tier.progress.done}/${tier.progress.applicable}`, `description of tier ${tier.title}`);
      assert.notStrictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.None, `tier ${tier.title} cannot be expanded`);
    }
  });

  it("lists every item under its tier with the server's status", async () => {
    const model = readiness.checklist()!;
    const nodes = await allNodes(readiness.tree);
    const items = nodes.filter((node) => node.kind === "item");
    assert.strictEqual(items.length, ITEM_COUNT, "item nodes in the tree");
    const roots = (await readiness.tree.getChildren()) ?? [];
    for (const [id, tierTitle, section, status, contextValue, icon] of ITEMS) {
      const fromModel = model.items.find((item) => item.id === id);
      assert.ok(fromModel, `${id} missing from api.checklist()`);
      assert.deepStrictEqual([fromModel.tierTitle, fromModel.section, fromModel.status], [tierTitle, section, status], `${id} in the model`);

      const tier = roots.find((node) => node.kind === "tier" && node.tier === tierTitle);
      assert.ok(tier, `no tier node ${tierTitle}`);
      const under = await allNodes(readiness.tree, tier);
      const node = under.find((candidate) => candidate.kind === "item" && candidate.item.id === id);
      assert.ok(node, `${id} is not under the tier ${tierTitle}`);
      if (section) {
        const sectionNode = under.find((candidate) => candidate.kind === "section" && candidate.section === section);
        assert.ok(sectionNode, `no section ${section} under ${tierTitle}`);
        const inSection = (await readiness.tree.getChildren(sectionNode)) ?? [];
        assert.ok(inSection.some((candidate) => candidate.kind === "item" && candidate.item.id === id), `${id} is not in section ${section}`);
      }
      const treeItem = await readiness.tree.getTreeItem(node);
      assert.strictEqual(labelOf(treeItem), fromModel.title.replace(/`/g, ""), `label of ${id}` /* Markdown code spans are plain text in a tree */);
      assert.strictEqual(treeItem.contextValue, contextValue, `contextValue of ${id}`);
      assert.strictEqual(iconId(treeItem), icon, `icon of ${id}`);
      assert.strictEqual(treeItem.collapsibleState ?? vscode.TreeItemCollapsibleState.None, vscode.TreeItemCollapsibleState.None, `${id} is a leaf`);
    }
  });

  it("shows percentage and blockers in the status bar", async () => {
    await waitFor("the status bar to show the checklist", () => statusMatches(readiness), {
      events: [readiness.onDidChangeChecklist as vscode.Event<unknown>],
      describe: () => [readiness.statusBar().text, readiness.checklist()?.progress, readiness.checklist()?.blockers.length],
    });
    const status = readiness.statusBar();
    assert.match(status.text, STATUS_TEXT);
    assert.strictEqual(status.text, `$(checklist) 0% · ${BLOCKERS} blockers`);
    assert.ok(status.visible, "the status bar item is hidden");
    assert.ok(status.tooltip.includes("Critical"), `tooltip has no tier breakdown: ${status.tooltip}`);
  });

  it("filters the tree (blockers, open, all)", async () => {
    const model = readiness.checklist()!;
    const items = async () => (await allNodes(readiness.tree)).filter((node) => node.kind === "item").map((node) => (node.kind === "item" ? node.item.id : ""));
    try {
      await vscode.commands.executeCommand("readiness.checklist.filter", "blockers");
      const blockers = await waitFor("the blockers filter", async () => ((await items()).length === model.blockers.length ? items() : undefined), {
        events: [readiness.onDidChangeChecklist as vscode.Event<unknown>],
      });
      assert.deepStrictEqual([...blockers].sort(), [...model.blockers].sort(), "items shown with the blockers filter");
      const roots = (await readiness.tree.getChildren()) ?? [];
      assert.deepStrictEqual(
        await Promise.all(roots.map(async (node) => labelOf(await readiness.tree.getTreeItem(node)))),
        ["Critical"],
        "tiers shown with the blockers filter",
      );
      await vscode.commands.executeCommand("readiness.checklist.filter", "open");
      const open = model.items.filter((item) => item.status === "fail" || item.status === "open").map((item) => item.id);
      await waitFor("the open filter", async () => (await items()).length === open.length, { events: [readiness.onDidChangeChecklist as vscode.Event<unknown>] });
    } finally {
      await vscode.commands.executeCommand("readiness.checklist.filter", "all");
    }
    await waitFor("the unfiltered tree", async () => (await items()).length === ITEM_COUNT, { events: [readiness.onDidChangeChecklist as vscode.Event<unknown>] });
  });

  describe("ticking an item", () => {
    const ID = "reliability.backups";
    let original: string;
    let uri: vscode.Uri;
    before(async () => {
      uri = fileUri("PRODUCTION_READINESS.md");
      original = await readText(uri);
    });

    it("markDone ticks that item only in PRODUCTION_READINESS.md and updates tree and status bar", async () => {
      const initial = readiness.checklist()!;
      const line = original.split("\n").findIndex((text) => text.includes(`readiness: ${ID} `));
      assert.ok(line >= 0 && original.split("\n")[line].startsWith("- [ ] "), `${ID} is not an open item in the file`);
      const expected = original
        .split("\n")
        .map((text, index) => (index === line ? text.replace("- [ ] ", "- [x] ") : text))
        .join("\n");

      await vscode.commands.executeCommand("readiness.checklist.markDone", await itemNode(readiness.tree, ID));

      const text = await waitFor("PRODUCTION_READINESS.md to change", async () => {
        const now = await readText(uri);
        return now !== original ? now : undefined;
      });
      assert.strictEqual(text, expected, "the file differs from the original by more than that item's tick");

      const treeItem = await waitFor(
        `the tree to show ${ID} done`,
        async () => {
          const item = await readiness.tree.getTreeItem(await itemNode(readiness.tree, ID));
          return item.contextValue === "readinessItem.done.docs" ? item : undefined;
        },
        { events: [readiness.onDidChangeChecklist as vscode.Event<unknown>] },
      );
      assert.strictEqual(iconId(treeItem), "check");
      const model = readiness.checklist()!;
      assert.strictEqual(model.items.find((item) => item.id === ID)?.status, "done");
      assert.strictEqual(model.progress.done, initial.progress.done + 1);
      assert.strictEqual(model.blockers.length, initial.blockers.length - 1, "the critical item still counts as a blocker");
      assert.ok(!model.blockers.includes(ID));
      await waitFor("the status bar to follow", () => statusMatches(readiness), {
        events: [readiness.onDidChangeChecklist as vscode.Event<unknown>],
        describe: () => readiness.statusBar().text,
      });
      assert.strictEqual(readiness.statusBar().text, `$(checklist) ${model.progress.percent}% · ${BLOCKERS - 1} blockers`);
    });

    it("markNotApplicable marks an item n/a (tree and model)", async () => {
      const NA = "features.mobile-apps";
      await vscode.commands.executeCommand("readiness.checklist.markNotApplicable", await itemNode(readiness.tree, NA));
      const treeItem = await waitFor(
        `the tree to show ${NA} not applicable`,
        async () => {
          const item = await readiness.tree.getTreeItem(await itemNode(readiness.tree, NA));
          return item.contextValue === "readinessItem.na.docs" ? item : undefined;
        },
        { events: [readiness.onDidChangeChecklist as vscode.Event<unknown>] },
      );
      assert.strictEqual(iconId(treeItem), "circle-slash");
      assert.strictEqual(readiness.checklist()!.items.find((item) => item.id === NA)?.status, "n/a");
      assert.strictEqual(readiness.checklist()!.progress.applicable, ITEM_COUNT - 1, "an n/a item no longer counts as applicable");
      await vscode.commands.executeCommand("readiness.checklist.reopen", await itemNode(readiness.tree, NA));
      await waitFor(
        `the tree to show ${NA} open again`,
        async () => (await readiness.tree.getTreeItem(await itemNode(readiness.tree, NA))).contextValue === "readinessItem.open.docs",
        { events: [readiness.onDidChangeChecklist as vscode.Event<unknown>] },
      );
    });

    it("reopen restores the file byte for byte", async () => {
      await vscode.commands.executeCommand("readiness.checklist.reopen", await itemNode(readiness.tree, ID));
      await waitFor("PRODUCTION_READINESS.md to be restored", async () => (await readText(uri)) === original, {
        describe: () => "file still differs",
      });
      await waitFor(
        `the tree to show ${ID} open again`,
        async () => (await readiness.tree.getTreeItem(await itemNode(readiness.tree, ID))).contextValue === "readinessItem.open.docs",
        { events: [readiness.onDidChangeChecklist as vscode.Event<unknown>] },
      );
      await waitFor("the status bar to show the original blockers", () => readiness.statusBar().text === `$(checklist) 0% · ${BLOCKERS} blockers`, {
        events: [readiness.onDidChangeChecklist as vscode.Event<unknown>],
        describe: () => readiness.statusBar().text,
      });
    });
  });
});
