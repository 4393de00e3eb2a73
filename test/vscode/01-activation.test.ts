/** The extension activates in a real extension host and its language server starts. */
import * as assert from "assert";
import * as vscode from "vscode";
import { api, EXTENSION_ID, withTimeout } from "./helpers";

describe("activation", () => {
  it("activates and returns the test API", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const readiness = await api();
    assert.ok(extension.isActive, "extension.isActive is false after activate()");
    assert.strictEqual(typeof readiness.checklist, "function");
    assert.strictEqual(typeof readiness.statusBar, "function");
    assert.ok(readiness.tree && typeof readiness.tree.getChildren === "function", "api.tree is not a TreeDataProvider");
  });

  it("is the extension this run is about: the development checkout, or the installed vsix (npm run test:vsix)", () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const installed = /[\\/]readiness\.readiness-\d+\.\d+\.\d+$/.test(extension.extensionPath);
    assert.strictEqual(installed, process.env.READINESS_E2E_MODE === "vsix", `extension loaded from ${extension.extensionPath}`);
  });

  it("starts the language server (whenReady resolves)", async () => {
    const readiness = await api();
    await withTimeout(readiness.whenReady(), 10_000, "whenReady() a second time");
  });

  it("registers the contributed commands", async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    const expected = [
      "readiness.restartServer",
      "readiness.showOutputChannel",
      "readiness.fixAll",
      "readiness.checklist.refresh",
      "readiness.checklist.create",
      "readiness.checklist.exportReport",
      "readiness.checklist.filter",
      "readiness.checklist.markDone",
      "readiness.checklist.markNotApplicable",
      "readiness.checklist.reopen",
      "readiness.checklist.showFindings",
      "readiness.checklist.openDocs",
      "readiness.checklist.openEvidence",
    ];
    const missing = expected.filter((command) => !commands.has(command));
    assert.deepStrictEqual(missing, [], `commands not registered: ${missing.join(", ")}`);
  });
});
