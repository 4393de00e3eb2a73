/**
 * The `--extensionTestsPath` entry of the VS Code integration suite: VS Code (or code-server, see
 * scripts/e2e/run.sh) loads this module inside the extension host and awaits `run()`.
 * Suite files are the `*.test.js` next to this file, run in name order (they share one workspace and
 * the later ones mutate it); `*.multi-root.test.js` run instead when the workspace has several folders.
 */
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";

// mocha's package entry is an ES module; its CommonJS build is what an extension host can always require.
const Mocha: typeof import("mocha") = require("mocha/lib/mocha.cjs");

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: "bdd",
    color: false,
    timeout: Number(process.env.READINESS_TEST_TIMEOUT) || 60_000,
    slow: 5_000,
    reporter: "spec",
  });
  const grep = process.env.READINESS_TEST_GREP;
  if (grep) mocha.grep(grep);
  // A two-folder workspace runs the multi-root files only; one folder, all the others.
  const multiRoot = (vscode.workspace.workspaceFolders ?? []).length > 1;
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith(".test.js") && name.endsWith(".multi-root.test.js") === multiRoot)
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} of the VS Code integration tests failed`)) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}
