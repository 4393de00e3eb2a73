/** The bundled example: every rule fires on the "before" service, none on its fixed twin, and the checklist tells them apart. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { nodeHost } from "../cli/node-host";
import { ALL_RULES, loadConfig, scanWorkspace, workspaceChecklist } from "../rules";
import { REPO_ROOT } from "./workspace-fixture";

const NOW = new Date("2026-11-27T12:00:00Z");

function scanExample(name: string) {
  const root = path.join(REPO_ROOT, "examples", name);
  const { config } = loadConfig(nodeHost, root);
  const scan = scanWorkspace({ host: nodeHost, root, config, now: NOW });
  return { scan, checklist: workspaceChecklist(scan, nodeHost, NOW) };
}

describe("examples", () => {
  const before = scanExample("saas-api");
  const after = scanExample("saas-api-fixed");

  it("saas-api shows findings of every rule", () => {
    const fired = new Set(before.scan.findings.map((finding) => finding.ruleId));
    assert.deepEqual(ALL_RULES.map((rule) => rule.meta.id).filter((id) => !fired.has(id)), []);
    assert.deepEqual(before.scan.ruleFailures, []);
  });

  it("saas-api-fixed shows none", () => {
    assert.deepEqual(after.scan.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`), []);
    assert.deepEqual(after.scan.ruleFailures, []);
  });

  it("the checklist shows clearly different, explainable progress", () => {
    assert.ok(before.checklist.progress.percent <= 10, `before: ${before.checklist.progress.percent}%`);
    assert.ok(after.checklist.progress.percent >= 50, `after: ${after.checklist.progress.percent}%`);
    assert.ok(before.checklist.blockers.length >= 20, `before blockers: ${before.checklist.blockers.length}`);
    assert.deepEqual(after.checklist.blockers, []);
    // Every critical item of the before-version that fails says why, with evidence to jump to.
    for (const item of before.checklist.items.filter((i) => i.tier === "critical" && i.status === "fail")) {
      assert.ok(item.note.length > 0, item.id);
      if (item.evaluation !== "evidence") assert.ok(item.evidence.length > 0, `${item.id} has evidence`);
    }
    // A tick that the code contradicts stays a failure.
    const ci = before.checklist.items.find((item) => item.id === "testing.ci-cd")!;
    assert.equal(ci.status, "fail");
    assert.match(ci.note, /^ticked, but /);
  });
});
