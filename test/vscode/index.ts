/**
 * The `--extensionTestsPath` entry of the VS Code integration suite: VS Code (or code-server, see
 * scripts/e2e/run.sh) loads this module inside the extension host and awaits `run()`.
 * Suite files are the `*.test.js` next to this file, run in name order (they share one workspace and
 * the later ones mutate it); `*.multi-root.test.js` or `*.no-sources.test.js` instead in those workspaces.
 */
import * as fs from "fs";
import * as path from "path";

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
  // Workspaces other than the example (scripts/e2e/run.sh E2E_MODE=multi-root | no-sources) run their own files.
  const workspaceKind = ["multi-root", "no-sources"].find((kind) => kind === process.env.READINESS_E2E_MODE);
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => (workspaceKind ? name.endsWith(`.${workspaceKind}.test.js`) : name.endsWith(".test.js") && !/\.(multi-root|no-sources)\.test\.js$/.test(name)))
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
