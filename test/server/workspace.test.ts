import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { createWorkspace } from "../workspace-fixture";
import { type Message, suiteClients, uriOf } from "./lsp-client";

const ETAG = `import express from "express";\nimport helmet from "helmet";\nconst app = express();\napp.use(helmet());\napp.set("etag", false);\n`;
const NO_HELMET = `import express from "express";\nconst app = express();\napp.listen(3000);\n`;

const codes = (message: Message | { diagnostics: { code?: unknown }[] }) => ("params" in message ? message.params : message).diagnostics.map((diagnostic: { code?: unknown }) => diagnostic.code);

describe("language server: workspace", () => {
  const start = suiteClients();

  it("scans every workspace folder in the background with progress, and publishes files that are not open", async () => {
    const files: Record<string, string> = { "package.json": JSON.stringify({ dependencies: { express: "4", helmet: "7" } }) };
    for (let i = 0; i < 30; i++) files[`src/module${i}.ts`] = i % 10 === 0 ? ETAG : `export const value${i} = ${i};\n`;
    const first = createWorkspace(files);
    const second = createWorkspace({ "package.json": "{}", "lib/app.ts": ETAG });
    const client = start();
    await client.initialize({ folders: [first, second] });
    for (const file of ["src/module0.ts", "src/module10.ts", "src/module20.ts"]) {
      assert.deepEqual(codes(await client.diagnostics(uriOf(path.join(first, file)))), ["etag-disabled"]);
    }
    assert.deepEqual(codes(await client.diagnostics(uriOf(path.join(second, "lib/app.ts")))), ["etag-disabled"], "multi-root: the second folder too");

    // One progress per folder: begin (0 %), reports with a percentage ending at 100 %, end.
    const begins = [];
    for (let since = 0; begins.length < 2; ) {
      const begin = await client.waitFor((message) => message.method === "$/progress" && message.params.value.kind === "begin", "progress begin", { since });
      begins.push(begin);
      since = client.messages.indexOf(begin) + 1;
    }
    assert.deepEqual(begins.map((begin) => begin.params.value.title).sort(), [`Readiness: scanning ${path.basename(first)}`, `Readiness: scanning ${path.basename(second)}`].sort());
    for (const begin of begins) {
      assert.equal(begin.params.value.percentage, 0);
      const ofToken = (kind: string) => (message: Message) => message.method === "$/progress" && message.params.token === begin.params.token && message.params.value.kind === kind;
      await client.waitFor(ofToken("end"), "progress end");
      const reports = client.messages.filter(ofToken("report"));
      assert.ok(reports.length >= 1);
      assert.equal(reports.at(-1)!.params.value.percentage, 100);
      assert.ok(client.messages.indexOf(reports.at(-1)!) < client.messages.findIndex(ofToken("end")));
    }
    assert.ok(client.serverRequests.some((request) => request.method === "window/workDoneProgress/create"));
    const quiet = client.messages.filter((message) => message.method === "textDocument/publishDiagnostics" && message.params.uri.includes("/src/module1.ts"));
    assert.deepEqual(quiet, [], "files without findings are not published");
    assert.equal(await client.shutdown(), 0);
  });

  it("does not publish unopened files with scope openFiles", async () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": ETAG, "src/other.ts": ETAG });
    const client = start();
    await client.initialize({ folders: [root], settings: { scope: "openFiles" } });
    await client.waitFor((message) => message.method === "$/progress" && message.params.value.kind === "end", "scan end");
    const uri = client.open(path.join(root, "src/app.ts"), ETAG);
    assert.deepEqual(codes(await client.diagnostics(uri, { version: 1 })), ["etag-disabled"]);
    assert.equal(client.messages.filter((message) => message.method === "textDocument/publishDiagnostics" && message.params.uri.endsWith("/src/other.ts")).length, 0);
    assert.equal(await client.shutdown(), 0);
  });

  it("re-scans incrementally on workspace/didChangeWatchedFiles: created, changed and deleted files", async () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": ETAG });
    const client = start();
    await client.initialize({ folders: [root] });
    await client.waitFor((message) => message.method === "$/progress" && message.params.value.kind === "end", "scan end");
    const registration = client.serverRequests.find((request) => request.method === "client/registerCapability" && request.params.registrations[0].method === "workspace/didChangeWatchedFiles");
    assert.ok(registration, "watchers are registered dynamically");

    let mark = client.mark;
    fs.writeFileSync(path.join(root, "src/new.ts"), `import express from "express";\nexpress().disable("etag");\n`);
    void client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(path.join(root, "src/new.ts")), type: 1 }] });
    assert.deepEqual(codes(await client.diagnostics(uriOf(path.join(root, "src/new.ts")), { since: mark })), ["etag-disabled"]);

    mark = client.mark;
    fs.writeFileSync(path.join(root, "src/app.ts"), ETAG.replace('app.set("etag", false);\n', ""));
    void client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(path.join(root, "src/app.ts")), type: 2 }] });
    assert.deepEqual(codes(await client.diagnostics(uriOf(path.join(root, "src/app.ts")), { since: mark })), []);

    mark = client.mark;
    fs.rmSync(path.join(root, "src/new.ts"));
    void client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(path.join(root, "src/new.ts")), type: 3 }] });
    assert.deepEqual(codes(await client.diagnostics(uriOf(path.join(root, "src/new.ts")), { since: mark })), []);
    assert.equal(await client.shutdown(), 0);
  });

  it("re-resolves cross-file findings of open documents when another file changes the workspace facts", async () => {
    const root = createWorkspace({ "package.json": JSON.stringify({ dependencies: { express: "4" } }), "src/app.ts": NO_HELMET });
    const client = start();
    await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
    const uri = client.open(path.join(root, "src/app.ts"), NO_HELMET);
    await client.diagnostics(uri, { where: (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === "missing-security-headers") });
    const mark = client.mark;
    fs.writeFileSync(path.join(root, "src/security.ts"), `import helmet from "helmet";\nexport const headers = helmet();\n`);
    void client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(path.join(root, "src/security.ts")), type: 1 }] });
    await client.diagnostics(uri, { since: mark, where: (diagnostics) => !diagnostics.some((diagnostic) => diagnostic.code === "missing-security-headers") });
    assert.equal(await client.shutdown(), 0);
  });

  it("reports a broken config file on the file itself and once in a message, and keeps the last good config", async () => {
    const good = `{\n  "rules": { "etag-disabled": "off" }\n}\n`;
    const broken = `{\n  "rules": {\n    "etag-disabled": "off",\n    "etag-disabeld": "error"\n  }\n}\n`;
    const root = createWorkspace({ "package.json": "{}", "readiness.config.json": good, "src/app.ts": ETAG });
    const client = start();
    await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
    const uri = client.open(path.join(root, "src/app.ts"), ETAG);
    assert.deepEqual(codes(await client.diagnostics(uri, { version: 1 })), []);

    const configUri = uriOf(path.join(root, "readiness.config.json"));
    let mark = client.mark;
    fs.writeFileSync(path.join(root, "readiness.config.json"), broken);
    void client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: configUri, type: 2 }] });
    const published = await client.diagnostics(configUri, { since: mark });
    assert.equal(published.diagnostics.length, 1);
    assert.deepEqual(published.diagnostics[0].range.start, { line: 3, character: 4 });
    assert.match(String(published.diagnostics[0].message), /rules\.etag-disabeld: unknown rule id "etag-disabeld" \(did you mean "etag-disabled"\?\)/);
    const shown = await client.waitFor((message) => message.method === "window/showMessage", "showMessage", { since: mark });
    assert.match(shown.params.message, /readiness\.config\.json:4:5/);

    // Saved again, still broken: no second message. The last good config (etag-disabled off) still holds.
    mark = client.mark;
    void client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: configUri, type: 2 }] });
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "// edit\n" }]);
    assert.deepEqual(codes(await client.diagnostics(uri, { since: mark, version: 2 })), []);
    assert.equal(client.messages.slice(mark).filter((message) => message.method === "window/showMessage").length, 0);

    mark = client.mark;
    fs.writeFileSync(path.join(root, "readiness.config.json"), `{}\n`);
    void client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: configUri, type: 2 }] });
    assert.deepEqual(codes(await client.diagnostics(configUri, { since: mark })), [], "fixed: the config diagnostic is cleared");
    assert.deepEqual(codes(await client.diagnostics(uri, { since: mark, where: (diagnostics) => diagnostics.length > 0 })), ["etag-disabled"], "the new config applies");
    assert.equal(await client.shutdown(), 0);
  });

  it("re-reads settings on workspace/didChangeConfiguration: rule overrides under the config file, enable", async () => {
    const root = createWorkspace({ "package.json": "{}", "src/app.ts": ETAG });
    const client = start();
    await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
    const uri = client.open(path.join(root, "src/app.ts"), ETAG);
    assert.equal((await client.diagnostics(uri, { version: 1 })).diagnostics[0].severity, 2);
    let mark = client.mark;
    client.settings = { debounceMs: 0, rules: { "etag-disabled": "error" } };
    void client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.diagnostics(uri, { since: mark, where: (diagnostics) => diagnostics[0]?.severity === 1 });
    mark = client.mark;
    client.settings = { enable: false };
    void client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.diagnostics(uri, { since: mark, where: (diagnostics) => diagnostics.length === 0 });
    assert.equal(await client.shutdown(), 0);
  });
});
