import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { applyEdits, applyFixes, type FileSystemHost, fixAllEdits, scanWorkspace, workspaceChecklist, WorkspaceSession } from "../rules";
import { nodeHost } from "../cli/node-host";
import { MEMORY_ROOT, memoryHost } from "./memory-host";
import { REPO_ROOT } from "./workspace-fixture";

const NOW = new Date("2025-01-15T00:00:00Z");
const APP = `import express from "express";\nconst app = express();\napp.set("etag", false);\napp.listen(3000);\n`;
const HELMET_APP = `import helmet from "helmet";\n${APP}app.use(helmet());\n`;

/** A host whose files a test can change, counting reads. */
function mutableHost(files: Record<string, string>): FileSystemHost & { files: Record<string, string>; reads: number } {
  const host = {
    files,
    reads: 0,
    readFile(file: string) {
      host.reads++;
      return memoryHost(host.files).readFile(file);
    },
    readDirectory(directory: string) {
      return memoryHost(host.files).readDirectory(directory);
    },
  };
  return host;
}

function session(host: FileSystemHost): WorkspaceSession {
  const created = new WorkspaceSession({ host, root: MEMORY_ROOT, config: {} });
  for (const file of created.list().sources) created.refresh(file);
  for (const file of created.drainAffected().reanalyse) created.refresh(file, true);
  return created;
}

const codes = (findings: { ruleId: string }[]) => findings.map((finding) => finding.ruleId);

describe("WorkspaceSession", () => {
  it("finds what scanWorkspace finds, and the same checklist, on the example service", () => {
    const root = path.join(REPO_ROOT, "examples", "saas-api");
    const scan = scanWorkspace({ host: nodeHost, root, config: {}, now: NOW });
    const live = new WorkspaceSession({ host: nodeHost, root, config: {} });
    for (const file of live.list().sources) live.refresh(file);
    for (const file of live.drainAffected().reanalyse) live.refresh(file, true);
    const key = (finding: { file: string; start: number; ruleId: string; message: string }) => `${finding.file}:${finding.start}:${finding.ruleId}:${finding.message}`;
    assert.ok(scan.findings.length > 10);
    assert.deepEqual(live.allFindings(NOW).map(key).sort(), scan.findings.map(key).sort());
    const statuses = (report: ReturnType<typeof workspaceChecklist>) => report.items.map((item) => `${item.id}=${item.status}`);
    assert.deepEqual(statuses(live.checklist(NOW)), statuses(workspaceChecklist(scan, nodeHost, NOW)));
  });

  it("analyses a file again only when its text changed (content hash)", () => {
    const host = mutableHost({ "package.json": "{}", "src/app.ts": HELMET_APP });
    const live = session(host);
    assert.equal(live.refresh("src/app.ts").analysed, false);
    host.files["src/app.ts"] = HELMET_APP.replace('app.set("etag", false);\n', "");
    assert.equal(live.refresh("src/app.ts").analysed, true);
    assert.deepEqual(codes(live.findings("src/app.ts", NOW)), []);
  });

  it("lets a buffer win over the disk until it is cleared", () => {
    const host = mutableHost({ "package.json": "{}", "src/app.ts": HELMET_APP });
    const live = session(host);
    live.setBuffer("src/app.ts", `${HELMET_APP}app.disable("etag");\n`);
    assert.deepEqual(codes(live.findings("src/app.ts", NOW)), ["etag-disabled", "etag-disabled"]);
    assert.equal(new TextDecoder().decode(live.host.readFile(path.posix.join(MEMORY_ROOT, "src/app.ts"))).endsWith('app.disable("etag");\n'), true, "evidence reads the buffer too");
    live.clearBuffer("src/app.ts");
    assert.deepEqual(codes(live.findings("src/app.ts", NOW)), ["etag-disabled"]);
  });

  it("says which files a change of workspace facts affects, and only those", () => {
    const host = mutableHost({ "package.json": "{}", "src/app.ts": APP, "src/util.ts": "export const one = 1;\n" });
    const live = session(host);
    assert.ok(codes(live.findings("src/app.ts", NOW)).includes("missing-security-headers"));
    host.files["src/security.ts"] = `import helmet from "helmet";\nexport const headers = helmet();\n`;
    assert.deepEqual(live.list().added, ["src/security.ts"]);
    live.refresh("src/security.ts");
    assert.deepEqual(live.drainAffected(), { reresolve: [], reanalyse: ["src/app.ts"] }, "util.ts asked nothing about helmet");
    live.refresh("src/app.ts", true);
    assert.ok(!codes(live.findings("src/app.ts", NOW)).includes("missing-security-headers"));

    // With a buffer, the file keeps its workspace checks and is only re-resolved.
    live.setBuffer("src/app.ts", APP);
    live.refresh("src/app.ts", true);
    delete host.files["src/security.ts"];
    live.list();
    assert.deepEqual(live.drainAffected(), { reresolve: ["src/app.ts"], reanalyse: [] });
    assert.ok(codes(live.findings("src/app.ts", NOW)).includes("missing-security-headers"));
  });

  it("fixAllEdits are the edits of one applyFixes pass", () => {
    const text = `${APP}app.disable("etag");\n// readiness-disable-next-line hsts-disabled\nconst x = 1;\n`;
    const host = mutableHost({ "package.json": "{}", "src/app.ts": text });
    const live = session(host);
    const findings = live.findings("src/app.ts", NOW);
    const edits = fixAllEdits(text, findings);
    assert.ok(edits.length >= 3);
    assert.equal(applyEdits(text, edits).text, applyFixes(text, findings).text);
  });
});
