import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { CancellationTokenSource, type CodeAction } from "vscode-languageserver-protocol/node";
import { createWorkspace } from "../workspace-fixture";
import { suiteClients } from "./lsp-client";

const ETAG = `import express from "express";\nimport helmet from "helmet";\nconst app = express();\napp.use(helmet());\napp.set("etag", false);\n`;
const PACKAGE = JSON.stringify({ dependencies: { express: "4", helmet: "7" } });

describe("language server: robustness", () => {
  const start = suiteClients();

  it("isolates a rule that throws: the other rules still report, the failure is logged once with rule and file", async () => {
    // READINESS_TEST_THROWING_RULE is a test hook read by server/main.ts only: it adds a rule that throws
    // on files containing READINESS_TEST_THROW, in the real server process.
    const root = createWorkspace({ "package.json": PACKAGE });
    const client = start({ env: { READINESS_TEST_THROWING_RULE: "1" } });
    await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
    const text = `// READINESS_TEST_THROW\n${ETAG}`;
    const uri = client.open(path.join(root, "src/crash.ts"), text);
    assert.deepEqual((await client.diagnostics(uri, { version: 1 })).diagnostics.map((diagnostic) => diagnostic.code), ["etag-disabled"]);
    const version = client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "\n" }]);
    assert.deepEqual((await client.diagnostics(uri, { version })).diagnostics.map((diagnostic) => diagnostic.code), ["etag-disabled"]);
    const failures = client.logs.filter((log) => /rule test-throwing-rule failed on src\/crash\.ts: deliberate failure/.test(log.message));
    assert.equal(failures.length, 1, "logged once");
    assert.equal(failures[0].type, 1, "as an error");
    assert.equal(await client.shutdown(), 0);
  });

  it("survives garbage documents (binary, absurd nesting, minified, oversized) and keeps serving", async () => {
    const root = createWorkspace({ "package.json": PACKAGE, "readiness.config.json": `{ "maxFileSize": 200000 }` });
    const client = start();
    await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const garbage = {
      "binary.ts": Array.from({ length: 5000 }, () => String.fromCharCode(Math.floor(random() * 0xd7ff))).join(""),
      "nested.ts": `const x = ${"(".repeat(20000)}1${")".repeat(20000)};\n${"[".repeat(30000)}`,
      "unterminated.ts": "const s = `${".repeat(5000) + '"/* ' + "\\".repeat(1000),
      "minified.js": `var a=${"function(){return 1},".repeat(4000)}b=1;`,
      "oversized.ts": `// big\n${"export const v = 1;\n".repeat(12000)}`,
    };
    for (const [name, text] of Object.entries(garbage)) {
      const uri = client.open(path.join(root, "src", name), text);
      await client.diagnostics(uri, { version: 1 });
    }
    assert.ok(client.logs.some((log) => /skipped src\/minified\.js \(minified\)/.test(log.message)));
    assert.ok(client.logs.some((log) => /skipped src\/oversized\.ts \(larger than 195 KB\)/.test(log.message)));
    const uri = client.open(path.join(root, "src/app.ts"), ETAG);
    const { diagnostics } = await client.diagnostics(uri, { version: 1 });
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ["etag-disabled"]);
    const actions = await client.connection.sendRequest<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
    assert.ok(actions.length > 0);
    assert.equal(client.child.exitCode, null, "still running");
    assert.equal(await client.shutdown(), 0);
  });

  it("logs a file whose analysis exceeds the time budget", async () => {
    const root = createWorkspace({ "package.json": PACKAGE });
    const client = start();
    await client.initialize({ folders: [root], settings: { debounceMs: 0, timeBudgetMs: 0 } });
    const uri = client.open(path.join(root, "src/app.ts"), ETAG);
    await client.diagnostics(uri, { version: 1 });
    await client.waitFor((message) => message.method === "window/logMessage" && /analysing src\/app\.ts took \d+ ms \(budget 0 ms\)/.test(message.params.message), "budget log");
    assert.equal(await client.shutdown(), 0);
  });

  it("honours cancellation: a cancelled request answers RequestCancelled", async () => {
    const root = createWorkspace({ "package.json": PACKAGE });
    const client = start();
    // Pull diagnostics wait out the debounce after a change; cancelling during the wait must end the request.
    await client.initialize({ folders: [root], pull: true, settings: { debounceMs: 10_000 } });
    const uri = client.open(path.join(root, "src/app.ts"), ETAG);
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "\n" }]);
    const source = new CancellationTokenSource();
    const started = Date.now();
    const request = client.connection.sendRequest("textDocument/diagnostic", { textDocument: { uri } }, source.token);
    setTimeout(() => source.cancel(), 100);
    await assert.rejects(request, (error: { code?: number }) => error.code === -32800);
    assert.ok(Date.now() - started < 5000, "ended by the cancellation, not the debounce");
    // The server is fine afterwards.
    const checklist = await client.connection.sendRequest<{ items: unknown[] }>("readiness/checklist", {});
    assert.ok(checklist.items.length > 0);
    assert.equal(await client.shutdown(), 0);
  });

  it("exits with 0 after shutdown + exit, and with 1 on exit without shutdown", async () => {
    const root = createWorkspace({ "package.json": PACKAGE });
    const polite = start();
    await polite.initialize({ folders: [root] });
    assert.equal(await polite.connection.sendRequest("shutdown"), null);
    await assert.rejects(polite.connection.sendRequest("readiness/checklist", {}), (error: { code?: number }) => error.code === -32600, "no work after shutdown");
    await polite.connection.sendNotification("exit");
    assert.equal(await polite.exitCode(), 0);

    const abrupt = start();
    await abrupt.initialize({ folders: [root] });
    await abrupt.connection.sendNotification("exit");
    assert.equal(await abrupt.exitCode(), 1);
  });
});
