import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { createWorkspace } from "../workspace-fixture";
import { suiteClients, uriOf } from "./lsp-client";

const APP = `import express from "express";
import helmet from "helmet";

const app = express();
app.use(helmet());
app.set("etag", false);
app.listen(3000);
`;

describe("language server: diagnostics", () => {
  const start = suiteClients();

  it("initializes with incremental sync, code actions and push diagnostics when the client cannot pull", async () => {
    const root = createWorkspace({ "package.json": "{}" });
    const client = start();
    const result = await client.initialize({ folders: [root] });
    assert.equal(result.serverInfo?.name, "readiness");
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ["quickfix", "source.fixAll.readiness"], resolveProvider: true });
    assert.equal(result.capabilities.diagnosticProvider, undefined);
    assert.equal(await client.shutdown(), 0);
  });

  it("publishes a document's findings on open, with source, code, docs link, configured severity and data", async () => {
    const root = createWorkspace({
      "package.json": JSON.stringify({ dependencies: { express: "4", helmet: "7" } }),
      "readiness.config.json": `{ "rules": { "etag-disabled": "error" } }`,
    });
    const client = start();
    await client.initialize({ folders: [root] });
    const uri = client.open(path.join(root, "src/app.ts"), APP);
    const { diagnostics, version } = await client.diagnostics(uri, { version: 1 });
    assert.equal(version, 1);
    assert.deepEqual(diagnostics, [
      {
        range: { start: { line: 5, character: 0 }, end: { line: 5, character: 22 } },
        severity: 1,
        source: "readiness",
        code: "etag-disabled",
        codeDescription: { href: "https://github.com/readiness-dev/readiness/blob/main/docs/rules/etag-disabled.md" },
        message: diagnostics[0].message,
        data: { ruleId: "etag-disabled", start: APP.indexOf('app.set("etag"'), end: APP.indexOf('app.set("etag"') + 22, fixable: true },
      },
    ]);
    assert.match(String(diagnostics[0].message), /ETags are disabled/);
    assert.equal(await client.shutdown(), 0);
  });

  it("updates diagnostics after incremental edits, and never publishes a version that was superseded", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { helmet: "7" } }) });
    const client = start();
    await client.initialize({ folders: [root], settings: { debounceMs: 150 } });
    const uri = client.open(path.join(root, "src/app.ts"), APP);
    assert.equal((await client.diagnostics(uri, { version: 1 })).diagnostics.length, 1);
    const mark = client.mark;
    // Two edits inside one debounce window: version 2 must never be published, only version 3.
    const line = APP.split("\n").indexOf('app.set("etag", false);');
    client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: "// " }]);
    const last = client.change(uri, [{ range: { start: { line: line + 1, character: 0 }, end: { line: line + 1, character: 0 } }, text: 'app.disable("etag");\n' }]);
    const published = await client.diagnostics(uri, { version: last, since: mark });
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [["etag-disabled", line + 1]],
      "the commented-out call is gone; the new one is reported",
    );
    assert.equal(client.messages.slice(mark).filter((message) => message.method === "textDocument/publishDiagnostics" && message.params.version === 2).length, 0);
    assert.equal(await client.shutdown(), 0);
  });

  it("serves pull diagnostics (textDocument/diagnostic) when the client announces them, and does not push for open documents", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { helmet: "7" } }), "src/app.ts": APP });
    const client = start();
    const result = await client.initialize({ folders: [root], pull: true, settings: { debounceMs: 0 } });
    assert.deepEqual(result.capabilities.diagnosticProvider, { identifier: "readiness", interFileDependencies: true, workspaceDiagnostics: false });
    const uri = client.open(path.join(root, "src/app.ts"), APP);
    const report = await client.connection.sendRequest<any>("textDocument/diagnostic", { textDocument: { uri } });
    assert.equal(report.kind, "full");
    assert.deepEqual(report.items.map((item: any) => item.code), ["etag-disabled"]);
    const again = await client.connection.sendRequest<any>("textDocument/diagnostic", { textDocument: { uri }, previousResultId: report.resultId });
    assert.deepEqual(again, { kind: "unchanged", resultId: report.resultId });
    const pushedForOpen = client.messages.filter((message) => message.method === "textDocument/publishDiagnostics" && message.params.uri === uri && message.params.diagnostics.length > 0 && message.params.version !== undefined);
    assert.deepEqual(pushedForOpen, []);

    // Turned off: the client is asked to pull again, and the open document then has no findings.
    const mark = client.mark;
    client.settings = { enable: false };
    void client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.waitFor((message) => message.method === "workspace/diagnostic/refresh", "workspace/diagnostic/refresh", { since: mark });
    const off = await client.connection.sendRequest<any>("textDocument/diagnostic", { textDocument: { uri }, previousResultId: report.resultId });
    assert.deepEqual(off, { kind: "full", items: [] });
    assert.equal(await client.shutdown(), 0);
  });

  it("pushes diagnostics to a client that can pull but asks for push (initializationOptions.pullDiagnostics: false)", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { helmet: "7" } }), "src/app.ts": APP });
    const client = start();
    const result = await client.initialize({ folders: [root], pull: true, settings: { debounceMs: 0 }, initializationOptions: { pullDiagnostics: false } });
    assert.equal(result.capabilities.diagnosticProvider, undefined);
    const uri = client.open(path.join(root, "src/app.ts"), APP);
    assert.deepEqual((await client.diagnostics(uri, { version: 1 })).diagnostics.map((diagnostic) => diagnostic.code), ["etag-disabled"]);
    assert.equal(await client.shutdown(), 0);
  });

  it("with run: onSave, validates on open and on save only", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { helmet: "7" } }) });
    const client = start();
    await client.initialize({ folders: [root], settings: { run: "onSave", debounceMs: 0 } });
    const uri = client.open(path.join(root, "src/app.ts"), APP);
    assert.equal((await client.diagnostics(uri, { version: 1 })).diagnostics.length, 1);
    const mark = client.mark;
    const version = client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'app.disable("etag");\n' }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(client.messages.slice(mark).filter((message) => message.method === "textDocument/publishDiagnostics" && message.params.uri === uri).length, 0, "typing does not validate");
    client.save(uri);
    assert.equal((await client.diagnostics(uri, { version, since: mark })).diagnostics.length, 2);
    assert.equal(await client.shutdown(), 0);
  });

  it("validates documents outside every workspace folder (an editor started on a single file)", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { helmet: "7" } }) });
    const client = start();
    await client.initialize({ settings: { debounceMs: 0 } });
    const uri = client.open(path.join(root, "src/app.ts"), APP);
    assert.deepEqual((await client.diagnostics(uri, { version: 1 })).diagnostics.map((diagnostic) => diagnostic.code), ["etag-disabled"]);
    const mark = client.mark;
    client.close(uri);
    await client.diagnostics(uri, { since: mark, where: (diagnostics) => diagnostics.length === 0 });
    assert.equal(await client.shutdown(), 0);
  });

  it("validates open documents of a virtual file system (vscode-vfs:) from their buffer alone, and offers their fixes", async () => {
    const client = start();
    await client.initialize({ settings: { debounceMs: 0 } });
    const uri = client.openUri("vscode-vfs://github/acme/api/src/app.ts", APP);
    const published = await client.diagnostics(uri, { version: 1 });
    assert.deepEqual(published.diagnostics.map((diagnostic) => diagnostic.code), ["etag-disabled"]);
    const actions = await client.connection.sendRequest<{ title: string }[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: published.diagnostics[0].range,
      context: { diagnostics: published.diagnostics, only: ["quickfix"] },
    });
    assert.ok(actions.some((action) => /Disable etag-disabled for this line/.test(action.title)), JSON.stringify(actions.map((action) => action.title)));
    const mark = client.mark;
    client.close(uri);
    await client.diagnostics(uri, { since: mark, where: (diagnostics) => diagnostics.length === 0 });
    assert.equal(await client.shutdown(), 0);
  });

  it("clears a closed document's diagnostics when it is not part of what the workspace reports (scope: openFiles)", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { helmet: "7" } }), "src/app.ts": APP });
    const client = start();
    await client.initialize({ folders: [root], settings: { scope: "openFiles" } });
    const uri = client.open(path.join(root, "src/app.ts"), APP);
    assert.equal((await client.diagnostics(uri, { version: 1 })).diagnostics.length, 1);
    const mark = client.mark;
    client.close(uri);
    await client.diagnostics(uri, { since: mark, where: (diagnostics) => diagnostics.length === 0 });
    assert.equal(await client.shutdown(), 0);
  });

  it("keeps what the workspace scan reports for a closed document (scope: workspace), from the file on disk", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { helmet: "7" } }), "src/app.ts": APP });
    const client = start();
    await client.initialize({ folders: [root] });
    const uri = uriOf(path.join(root, "src/app.ts"));
    await client.diagnostics(uri, { where: (diagnostics) => diagnostics.length === 1 });
    client.open(path.join(root, "src/app.ts"), APP.replace('app.set("etag", false);\n', ""));
    assert.equal((await client.diagnostics(uri, { version: 1 })).diagnostics.length, 0, "the buffer wins over the disk");
    const mark = client.mark;
    client.close(uri);
    const onDisk = await client.diagnostics(uri, { since: mark });
    assert.deepEqual(onDisk.diagnostics.map((diagnostic) => diagnostic.code), ["etag-disabled"]);
    assert.equal(await client.shutdown(), 0);
  });
});
