import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { CodeAction } from "vscode-languageserver-protocol/node";
import { CLI, createWorkspace } from "../workspace-fixture";
import { suiteClients, type TestClient } from "./lsp-client";

const APP = `import express from "express";\nimport helmet from "helmet";\nconst app = express();\napp.use(helmet());\napp.set("etag", false);\n`;
const PACKAGE = JSON.stringify({ dependencies: { express: "4", helmet: "7" } });

/** initialize → open → diagnostics → quick fix → shutdown/exit, over whatever transport the client uses. */
async function roundTrip(client: TestClient): Promise<void> {
  const root = createWorkspace({ "package.json": PACKAGE });
  await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
  const uri = client.open(path.join(root, "src/app.ts"), APP);
  const { diagnostics } = await client.diagnostics(uri, { version: 1 });
  assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ["etag-disabled"]);
  const actions = await client.connection.sendRequest<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
  const fix = await client.connection.sendRequest<CodeAction>("codeAction/resolve", actions.find((action) => action.isPreferred));
  assert.ok(client.applyWorkspaceEdit(fix.edit!));
  assert.equal(client.text(uri), APP.replace('app.set("etag", false);\n', ""));
  assert.deepEqual((await client.diagnostics(uri, { version: 2 })).diagnostics, []);
  assert.equal(await client.shutdown(), 0);
}

describe("language server: transports", () => {
  const start = suiteClients();

  it("works over Node IPC (--node-ipc)", async () => {
    const client = start({ transport: "node-ipc" });
    await roundTrip(client);
  });

  it("runs as `readiness lsp --stdio` from the CLI bundle", async () => {
    const client = start({ command: [CLI, "lsp", "--stdio"] });
    await roundTrip(client);
  });
});
