import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ITEMS } from "../../rules/checklist/items";
import { createWorkspace, runCli } from "../workspace-fixture";

describe("readiness checklist", () => {
  it("prints overall progress, a bar per tier, sections and the launch blockers", () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": "export {};\n" });
    const result = runCli(["checklist"], root);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Production readiness: \d+% \(\d+\/\d+ items done\)/);
    assert.match(result.stdout, /^Critical +[█░]{20} +\d+% +\d+\/25$/m);
    assert.match(result.stdout, /^ {2}Reliability +\d+\/7$/m);
    assert.match(result.stdout, /^Launch blockers \(\d+\):$/m);
    assert.match(result.stdout, /Set up automated database backups +reliability\.backups/);
  });

  it("--all lists every item with status and how it is decided", () => {
    const root = createWorkspace({ "package.json": "{}" });
    const stdout = runCli(["checklist", "--all"], root).stdout;
    for (const item of ITEMS) assert.ok(stdout.includes(item.id), item.id);
    assert.match(stdout, /○ open +Set up automated database backups +reliability\.backups · manual/);
  });

  it("--format json has items, progress and blockers", () => {
    const root = createWorkspace({ "package.json": "{}" });
    const report = JSON.parse(runCli(["checklist", "--format", "json"], root).stdout);
    assert.deepEqual(Object.keys(report), ["items", "progress", "blockers"]);
    assert.equal(report.items.length, ITEMS.length);
    const backups = report.items.find((item: { id: string }) => item.id === "reliability.backups");
    assert.deepEqual(
      { ...backups, note: undefined },
      { id: "reliability.backups", title: "Set up automated database backups", tier: "critical", section: "Reliability", status: "open", evaluation: "manual", note: undefined, evidence: [] },
    );
    assert.deepEqual(Object.keys(report.progress), ["done", "applicable", "percent"]);
    assert.ok(report.blockers.includes("reliability.backups"));
  });

  it("check --format json carries the same checklist object", () => {
    const root = createWorkspace({ "package.json": "{}" });
    const check = JSON.parse(runCli(["check", "--format", "json"], root).stdout);
    const checklist = JSON.parse(runCli(["checklist", "--format", "json"], root).stdout);
    assert.deepEqual(check.checklist, checklist);
  });

  it("--format markdown writes a report with a tier table, blockers and every item", () => {
    const root = createWorkspace({ "package.json": "{}" });
    const markdown = runCli(["checklist", "--format", "markdown"], root).stdout;
    assert.match(markdown, /^# Production readiness report$/m);
    assert.match(markdown, /^\| Critical \| \d+\/25 \| \d+% \|$/m);
    assert.match(markdown, /^## Launch blockers$/m);
    assert.match(markdown, /^\| ○ open \| Set up automated database backups \| manual \|/m);
  });

  it("init writes PRODUCTION_READINESS.md once; tick, --na and --undo change only that item", () => {
    const root = createWorkspace({ "package.json": "{}" });
    assert.equal(runCli(["checklist", "init"], root).status, 0);
    const file = path.join(root, "PRODUCTION_READINESS.md");
    const created = fs.readFileSync(file, "utf8");
    assert.match(created, /^- \[ \] Set up automated database backups <!-- readiness: reliability\.backups -->$/m);
    const again = runCli(["checklist", "init"], root);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);

    assert.equal(runCli(["checklist", "tick", "reliability.backups"], root).status, 0);
    const ticked = fs.readFileSync(file, "utf8");
    assert.equal(ticked, created.replace("- [ ] Set up automated database backups", "- [x] Set up automated database backups"));
    const report = JSON.parse(runCli(["checklist", "--format", "json"], root).stdout);
    assert.equal(report.items.find((item: { id: string }) => item.id === "reliability.backups").status, "done");

    runCli(["checklist", "tick", "reliability.backups", "--na"], root);
    assert.match(fs.readFileSync(file, "utf8"), /^- \[-\] Set up automated database backups/m);
    runCli(["checklist", "tick", "reliability.backups", "--undo"], root);
    assert.equal(fs.readFileSync(file, "utf8"), created);
  });

  it("tick explains what is wrong: no file, unknown id, a contact", () => {
    const root = createWorkspace({ "package.json": "{}" });
    let result = runCli(["checklist", "tick", "reliability.backups"], root);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /PRODUCTION_READINESS\.md does not exist; create it with `readiness checklist init`/);
    runCli(["checklist", "init"], root);
    result = runCli(["checklist", "tick", "reliability.backupz"], root);
    assert.match(result.stderr, /item "reliability\.backupz" is not in the checklist file \(and it is not a built-in item id either\)/);
    result = runCli(["checklist", "tick", "contacts.security"], root);
    assert.match(result.stderr, /is a contact/);
  });

  it("reads ticks from a hand-written file and counts only the items in it; its placeholders are findings", () => {
    const root = createWorkspace({
      "package.json": "{}",
      "PRODUCTION_READINESS.md": `# Launch\n\n## 🔴 CRITICAL\n### Reliability\n- [x] Set up automated database backups\n- [ ] Our own DR drill\n\n## 📞 ESCALATION CONTACTS\n- **Security Issues**: [Security Team Contact]\n\n**Next Review**: 2020-02-01\n`,
    });
    const report = JSON.parse(runCli(["checklist", "--format", "json"], root).stdout);
    assert.deepEqual(report.items.map((item: { id: string; status: string }) => [item.id, item.status]), [
      ["reliability.backups", "done"],
      ["custom.our-own-dr-drill", "open"],
      ["contacts.security", "open"],
    ]);
    assert.deepEqual(report.progress, { done: 1, applicable: 3, percent: 33 });
    const check = JSON.parse(runCli(["check", "--format", "json"], root).stdout);
    assert.deepEqual(check.findings.map((f: { ruleId: string; file: string; line: number; column: number }) => [f.ruleId, f.file, f.line, f.column]), [
      ["checklist-placeholder", "PRODUCTION_READINESS.md", 9, 24],
      ["checklist-review-overdue", "PRODUCTION_READINESS.md", 11, 18],
    ]);
  });
});
