import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { CodeAction, Diagnostic } from "vscode-languageserver-protocol/node";
import { createWorkspace } from "../workspace-fixture";
import { TestClient } from "./lsp-client";

const PACKAGE = JSON.stringify({ dependencies: { express: "4", helmet: "7" } });

const APP = `import express from "express";
import helmet from "helmet";

const app = express();
app.use(helmet());

export function configure() {
  app.set("etag", false);
}
`;

describe("language server: code actions", () => {
  let root: string;
  let client: TestClient;
  before(async () => {
    root = createWorkspace({ "package.json": PACKAGE });
    client = TestClient.start();
    await client.initialize({ folders: [root], settings: { debounceMs: 0 } });
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
    client.kill();
  });

  /** Opens a document and returns it with its first diagnostics. */
  async function open(name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = client.open(path.join(root, "src", name), text);
    return { uri, diagnostics: (await client.diagnostics(uri, { version: 1 })).diagnostics };
  }

  async function actionsAt(uri: string, diagnostic: Diagnostic | undefined, only?: string[]): Promise<CodeAction[]> {
    const range = diagnostic?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return client.connection.sendRequest<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range,
      context: { diagnostics: diagnostic ? [diagnostic] : [], ...(only ? { only } : {}) },
    });
  }

  /** Resolves an action (the server sends edits lazily) and applies its edit like an editor; returns the new text. */
  async function apply(uri: string, action: CodeAction): Promise<string> {
    const resolved = action.edit ? action : await client.connection.sendRequest<CodeAction>("codeAction/resolve", action);
    assert.ok(resolved.edit, `"${action.title}" has an edit`);
    assert.ok(client.applyWorkspaceEdit(resolved.edit));
    return client.text(uri);
  }

  it("offers the rule's fix (preferred), disabling it for the line or the file, and its documentation", async () => {
    const { uri, diagnostics } = await open("offers.ts", APP);
    const etag = diagnostics.find((diagnostic) => diagnostic.code === "etag-disabled")!;
    const actions = await actionsAt(uri, etag);
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred ?? false]),
      [
        ["Remove the call (restore Express's default ETags)", "quickfix", true],
        ["Disable etag-disabled for this line", "quickfix", false],
        ["Disable etag-disabled for this file", "quickfix", false],
        ["Show documentation for etag-disabled", "quickfix", false],
        // Without `only`, the document's fix-all comes along (editors show source actions in their own menu).
        ["Fix all auto-fixable Readiness problems", "source.fixAll.readiness", false],
      ],
    );
    assert.equal(actions[0].edit, undefined, "edits are resolved lazily");
    assert.deepEqual(actions[0].diagnostics?.[0].code, "etag-disabled");
    assert.deepEqual(actions[3].command, { title: "Show documentation for etag-disabled", command: "readiness.showDocumentation", arguments: ["etag-disabled"] });
  });

  it("applies a quick fix: the returned WorkspaceEdit produces the fixed text, and the diagnostic goes", async () => {
    const { uri, diagnostics } = await open("fix.ts", APP);
    const etag = diagnostics.find((diagnostic) => diagnostic.code === "etag-disabled")!;
    const [fix] = await actionsAt(uri, etag);
    const mark = client.mark;
    const text = await apply(uri, fix);
    assert.equal(text, APP.replace('  app.set("etag", false);\n', ""));
    const after = await client.diagnostics(uri, { since: mark, version: 2 });
    assert.deepEqual(after.diagnostics, []);
  });

  it("disables a rule for one line with a comment indented like the line", async () => {
    const { uri, diagnostics } = await open("line.ts", APP);
    const etag = diagnostics.find((diagnostic) => diagnostic.code === "etag-disabled")!;
    const action = (await actionsAt(uri, etag)).find((candidate) => candidate.title === "Disable etag-disabled for this line")!;
    const mark = client.mark;
    const text = await apply(uri, action);
    assert.equal(text, APP.replace('  app.set("etag", false);', '  // readiness-disable-next-line etag-disabled\n  app.set("etag", false);'));
    assert.deepEqual((await client.diagnostics(uri, { since: mark, version: 2 })).diagnostics, []);
  });

  it("disables a rule for the whole file", async () => {
    const { uri, diagnostics } = await open("file.ts", APP);
    const etag = diagnostics.find((diagnostic) => diagnostic.code === "etag-disabled")!;
    const action = (await actionsAt(uri, etag)).find((candidate) => candidate.title === "Disable etag-disabled for this file")!;
    const mark = client.mark;
    const text = await apply(uri, action);
    assert.equal(text, `/* readiness-disable etag-disabled */\n${APP}`);
    assert.deepEqual((await client.diagnostics(uri, { since: mark, version: 2 })).diagnostics, []);
  });

  it("opens a rule's documentation through window/showDocument", async () => {
    const before = client.serverRequests.length;
    await client.connection.sendRequest("workspace/executeCommand", { command: "readiness.showDocumentation", arguments: ["etag-disabled"] });
    const request = client.serverRequests.slice(before).find((candidate) => candidate.method === "window/showDocument");
    assert.deepEqual(request?.params, { uri: "https://github.com/readiness-dev/readiness/blob/main/docs/rules/etag-disabled.md", external: true });
  });

  it("source.fixAll.readiness applies every safe fix of the document in one edit (editor.codeActionsOnSave)", async () => {
    const text = `import express from "express";
import helmet from "helmet";
const app = express();
app.use(helmet());
app.set("etag", false);
// readiness-disable-next-line hsts-disabled
app.disable("etag");
app.listen(3000);
`;
    const { uri, diagnostics } = await open("fixall.ts", text);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code).sort(), ["etag-disabled", "etag-disabled", "unused-suppression"]);
    const actions = await actionsAt(uri, undefined, ["source.fixAll"]);
    assert.deepEqual(actions.map((action) => [action.title, action.kind]), [["Fix all auto-fixable Readiness problems", "source.fixAll.readiness"]]);
    const mark = client.mark;
    const fixed = await apply(uri, actions[0]);
    assert.equal(fixed, `import express from "express";\nimport helmet from "helmet";\nconst app = express();\napp.use(helmet());\napp.listen(3000);\n`);
    assert.deepEqual((await client.diagnostics(uri, { since: mark, version: 2 })).diagnostics, []);
  });

  it("fixes every finding of one rule in the file", async () => {
    const text = `${APP}app.disable("etag");\n`;
    const { uri, diagnostics } = await open("fixrule.ts", text);
    const first = diagnostics.find((diagnostic) => diagnostic.code === "etag-disabled")!;
    const action = (await actionsAt(uri, first)).find((candidate) => candidate.title === "Fix all etag-disabled problems in this file")!;
    assert.ok(action);
    const fixed = await apply(uri, action);
    assert.equal(fixed, APP.replace('  app.set("etag", false);\n', ""));
  });

  it("returns only what the requested kinds ask for", async () => {
    const { uri, diagnostics } = await open("kinds.ts", APP);
    assert.deepEqual(await actionsAt(uri, diagnostics[0], ["refactor"]), []);
    const quickfixes = await actionsAt(uri, diagnostics[0], ["quickfix"]);
    assert.ok(quickfixes.length > 0 && quickfixes.every((action) => action.kind === "quickfix"));
  });
});

describe("language server: code actions without resolve support", () => {
  it("sends the edits with the actions (and plain `changes` when the client has no documentChanges)", async () => {
    const root = createWorkspace({ "package.json": PACKAGE });
    const client = TestClient.start();
    try {
      await client.initialize({
        folders: [root],
        settings: { debounceMs: 0 },
        capabilities: { textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } } }, workspace: { configuration: true } },
      });
      const uri = client.open(path.join(root, "src/app.ts"), APP);
      const { diagnostics } = await client.diagnostics(uri, { version: 1 });
      const actions = await client.connection.sendRequest<CodeAction[]>("textDocument/codeAction", {
        textDocument: { uri },
        range: diagnostics[0].range,
        context: { diagnostics },
      });
      const fix = actions.find((action) => action.isPreferred)!;
      assert.ok(fix.edit?.changes?.[uri], "eager edit as `changes`");
      assert.equal(fix.data, undefined);
      assert.ok(client.applyWorkspaceEdit(fix.edit!));
      assert.equal(client.text(uri), APP.replace('  app.set("etag", false);\n', ""));
      assert.equal(await client.shutdown(), 0);
    } finally {
      client.kill();
    }
  });
});
