import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { createWorkspace } from "../workspace-fixture";
import { suiteClients, uriOf } from "./lsp-client";
import type { Checklist, ChecklistReportResult, InitChecklistResult, SetItemStateResult } from "../../shared/customMessages";

const APP = `import express from "express";\nconst app = express();\napp.use(require("cors")({ origin: ["https://app.example.com", "http://localhost:3000"] }));\napp.listen(3000);\n`;

describe("language server: checklist", () => {
  const start = suiteClients();

  it("round-trips readiness/checklist, initChecklist, setItemState and checklistChanged on a temp workspace", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { express: "4", cors: "2" } }), "src/app.ts": APP });
    const client = start();
    await client.initialize({ folders: [root] });
    const folder = uriOf(root);

    const model = await client.connection.sendRequest<Checklist>("readiness/checklist", { workspaceFolder: folder });
    assert.equal(model.workspaceFolder, folder);
    assert.equal(model.checklistFile, undefined, "no checklist file yet");
    assert.ok(model.items.length > 50);
    assert.ok(model.progress.applicable > 0);
    assert.ok(model.blockers.includes("security.cors"));
    const cors = model.items.find((item) => item.id === "security.cors")!;
    assert.equal(cors.status, "fail");
    assert.deepEqual(cors.evidence[0].location?.uri, uriOf(path.join(root, "src/app.ts")));
    assert.equal(cors.evidence[0].location?.range.start.line, 2);
    assert.equal(cors.evidence[0].ruleId, "cors-allows-localhost");
    assert.equal(model.items.find((item) => item.id === "reliability.backups")!.status, "open");

    const created = await client.connection.sendRequest<InitChecklistResult>("readiness/initChecklist", { workspaceFolder: folder });
    const checklistUri = uriOf(path.join(root, "PRODUCTION_READINESS.md"));
    assert.deepEqual(created, { checklistFile: checklistUri, created: true });
    const original = fs.readFileSync(path.join(root, "PRODUCTION_READINESS.md"), "utf8");
    assert.match(original, /- \[ \] Set up automated database backups <!-- readiness: reliability\.backups -->/);
    assert.deepEqual(await client.connection.sendRequest("readiness/initChecklist", {}), { checklistFile: checklistUri, created: false });

    // The new file's placeholders are findings of the checklist document itself.
    const placeholders = await client.diagnostics(checklistUri, { where: (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === "checklist-placeholder") });
    assert.ok(placeholders.diagnostics.every((diagnostic) => diagnostic.source === "readiness"));

    const mark = client.mark;
    const result = await client.connection.sendRequest<SetItemStateResult>("readiness/setItemState", { workspaceFolder: folder, id: "reliability.backups", state: "done" });
    assert.equal(result.checklistFile, checklistUri);
    assert.equal(result.item?.status, "done");
    assert.equal(result.item?.tick, "done");
    const written = fs.readFileSync(path.join(root, "PRODUCTION_READINESS.md"), "utf8");
    assert.equal(written, original.replace("- [ ] Set up automated database backups", "- [x] Set up automated database backups"), "one character changed");
    const changed = await client.waitFor((message) => message.method === "readiness/checklistChanged", "checklistChanged", { since: mark });
    assert.equal(changed.params.workspaceFolder, folder);
    assert.deepEqual(changed.params.changed, [{ id: "reliability.backups", status: "done" }]);

    const again = await client.connection.sendRequest<Checklist>("readiness/checklist", {});
    assert.equal(again.items.find((item) => item.id === "reliability.backups")!.status, "done");
    assert.equal(again.progress.done, model.progress.done + 1);
    assert.deepEqual(again.items.find((item) => item.id === "reliability.backups")!.location, {
      uri: checklistUri,
      range: { start: { line: original.split("\n").findIndex((line) => line.includes("reliability.backups")), character: 0 }, end: { line: original.split("\n").findIndex((line) => line.includes("reliability.backups")), character: 0 } },
    });

    await assert.rejects(client.connection.sendRequest("readiness/setItemState", { id: "no.such-item", state: "done" }), /item "no\.such-item" is not in the checklist file/);
    assert.equal(await client.shutdown(), 0);
  });

  it("writes a tick into an open checklist document as a workspace edit, and reports changes made by the team's own edits", async () => {
    const root = createWorkspace({ "package.json": "{}" });
    const client = start();
    await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
    await client.connection.sendRequest("readiness/initChecklist", {});
    await client.connection.sendRequest<Checklist>("readiness/checklist", {});
    const file = path.join(root, "PRODUCTION_READINESS.md");
    const text = fs.readFileSync(file, "utf8");
    const uri = client.open(file, text, "markdown");
    await client.diagnostics(uri, { version: 1, where: (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === "checklist-placeholder") });

    let mark = client.mark;
    await client.connection.sendRequest("readiness/setItemState", { id: "reliability.backups", state: "n/a" });
    assert.equal(client.text(uri), text.replace("- [ ] Set up automated database backups", "- [-] Set up automated database backups"));
    assert.equal(fs.readFileSync(file, "utf8"), text, "the disk is left to the editor");
    assert.ok(client.serverRequests.some((request) => request.method === "workspace/applyEdit"));
    assert.deepEqual((await client.waitFor((message) => message.method === "readiness/checklistChanged", "checklistChanged", { since: mark })).params.changed, [{ id: "reliability.backups", status: "n/a" }]);

    // A person ticks an item by typing in the document.
    mark = client.mark;
    const line = text.split("\n").findIndex((candidate) => candidate.includes("readiness: monitoring.dashboards"));
    assert.ok(line > 0);
    client.change(uri, [{ range: { start: { line, character: 3 }, end: { line, character: 4 } }, text: "x" }]);
    const changed = await client.waitFor((message) => message.method === "readiness/checklistChanged", "checklistChanged after typing", { since: mark });
    assert.deepEqual(changed.params.changed, [{ id: "monitoring.dashboards", status: "done" }]);

    // A change that no status follows (an item's title edited) is news for the client's model too.
    mark = client.mark;
    const title = "Create monitoring dashboards";
    const column = text.split("\n")[line].indexOf(title);
    assert.ok(column > 0);
    client.change(uri, [{ range: { start: { line, character: column }, end: { line, character: column + title.length } }, text: "Create Grafana dashboards" }]);
    const retitled = await client.waitFor((message) => message.method === "readiness/checklistChanged", "checklistChanged after a title edit", { since: mark });
    assert.deepEqual(retitled.params.changed, []);
    const model = await client.connection.sendRequest<Checklist>("readiness/checklist", {});
    assert.equal(model.items.find((item) => item.id === "monitoring.dashboards")!.title, "Create Grafana dashboards");
    assert.equal(await client.shutdown(), 0);
  });
});

describe("language server: checklist report, docs links, source count", () => {
  const start = suiteClients();

  it("answers readiness/checklistReport with the markdown report, links items to their docs and counts source files", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { express: "4", cors: "2" } }), "src/app.ts": APP, "src/util.js": "module.exports = {};\n" });
    const client = start();
    await client.initialize({ folders: [root] });
    const model = await client.connection.sendRequest<Checklist>("readiness/checklist", {});
    assert.equal(model.sourceFiles, 2);
    assert.equal(model.items.find((item) => item.id === "security.cors")!.docsUrl, "https://github.com/readiness-dev/readiness/blob/main/docs/checklist.md#security.cors");
    const report = await client.connection.sendRequest<ChecklistReportResult>("readiness/checklistReport", { workspaceFolder: uriOf(root) });
    assert.match(report.markdown, new RegExp(`^# Production readiness report\\n\\n\\*\\*${model.progress.percent}%\\*\\* ready — ${model.progress.done} of ${model.progress.applicable} applicable items done, ${model.blockers.length} launch blockers`));
    assert.match(report.markdown, /Fix CORS to exclude localhost in production\*\* \(`security\.cors`, fail\)/);
    assert.equal(await client.shutdown(), 0);
  });

  it("counts no source files in a workspace without TypeScript or JavaScript", async () => {
    const root = createWorkspace({ "README.md": "# docs only\n", "main.py": "print('hi')\n" });
    const client = start();
    await client.initialize({ folders: [root] });
    const model = await client.connection.sendRequest<Checklist>("readiness/checklist", {});
    assert.equal(model.sourceFiles, 0);
    assert.equal(await client.shutdown(), 0);
  });
});

describe("language server: untrusted workspaces", () => {
  const start = suiteClients();
  const files = {
    "package.json": JSON.stringify({ dependencies: { express: "4", cors: "2" } }),
    "src/app.ts": APP,
    // A workspace's own config could switch rules off: not read when the editor does not trust it.
    "readiness.config.json": JSON.stringify({ rules: { "cors-allows-localhost": "off" } }),
  };

  for (const untrusted of [false, true]) {
    it(`${untrusted ? "ignores" : "reads"} readiness.config.json when the workspace is ${untrusted ? "untrusted" : "trusted"}`, async () => {
      const root = createWorkspace(files);
      const client = start();
      await client.initialize({ folders: [root], initializationOptions: { untrusted } });
      const model = await client.connection.sendRequest<Checklist>("readiness/checklist", {});
      const cors = model.items.find((item) => item.id === "security.cors")!;
      assert.equal(cors.evidence.some((evidence) => evidence.ruleId === "cors-allows-localhost"), untrusted);
      assert.equal(await client.shutdown(), 0);
    });
  }
});

describe("language server: checklist when Readiness is turned off and on", () => {
  const start = suiteClients();

  it("announces it with readiness/checklistChanged: nothing changed when off (the checklist is null), every item when on again", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { express: "4", cors: "2" } }), "src/app.ts": APP });
    const client = start();
    await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
    const folder = uriOf(root);
    const model = await client.connection.sendRequest<Checklist>("readiness/checklist", {});

    let mark = client.mark;
    client.settings = { enable: false };
    void client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    const off = await client.waitFor((message) => message.method === "readiness/checklistChanged", "checklistChanged (off)", { since: mark });
    assert.deepEqual(off.params, { workspaceFolder: folder, progress: { done: 0, applicable: 0, percent: 0 }, blockers: [], changed: [] });
    assert.equal(await client.connection.sendRequest("readiness/checklist", {}), null);

    mark = client.mark;
    client.settings = { enable: true, debounceMs: 0 };
    void client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    const on = await client.waitFor((message) => message.method === "readiness/checklistChanged", "checklistChanged (on)", { since: mark });
    assert.equal(on.params.changed.length, model.items.length);
    assert.deepEqual(on.params.blockers, model.blockers);
    assert.deepEqual((await client.connection.sendRequest<Checklist>("readiness/checklist", {})).progress, model.progress);
    assert.equal(await client.shutdown(), 0);
  });

  it("tells a client that asked while Readiness was off once it is turned on", async () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": APP });
    const client = start();
    await client.initialize({ folders: [root], settings: { enable: false } });
    assert.equal(await client.connection.sendRequest("readiness/checklist", {}), null);
    const mark = client.mark;
    client.settings = { enable: true };
    void client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    const on = await client.waitFor((message) => message.method === "readiness/checklistChanged", "checklistChanged (on)", { since: mark });
    assert.ok(on.params.changed.length > 50);
    assert.notEqual(await client.connection.sendRequest("readiness/checklist", {}), null);
    assert.equal(await client.shutdown(), 0);
  });
});
