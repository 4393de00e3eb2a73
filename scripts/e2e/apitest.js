// Runs the extension's integration suite (--extensionTestsPath semantics) inside code-server's real
// extension host. The workbench learns about the development extension and the test entry from the URL
// "payload" (the mechanism VS Code uses for web extension debugging); when the entry's run() settles, the
// workbench calls window.codeAutomationExit(code). Extension-host console output (mocha's reporter)
// arrives through window.codeAutomationLog.
// usage: node apitest.js BASE_URL WORKSPACE_DIR EXTENSION_DIR TESTS_ENTRY_JS
// env: E2E_CS_DIR (where playwright-core is installed), E2E_CHROMIUM, AUTOMATION_LOG, E2E_TIMEOUT (seconds)
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const util = require("util");
const { launchBrowser, workbenchUrl } = require("./workbench");

const [, , base, folder, extDir, testsPath] = process.argv;
if (!testsPath) {
  console.error("usage: node apitest.js BASE_URL WORKSPACE_DIR EXTENSION_DIR TESTS_ENTRY_JS");
  process.exit(2);
}

(async () => {
  const t0 = Date.now();
  const url = workbenchUrl(base, folder, [
    ["extensionDevelopmentPath", extDir],
    ["extensionTestsPath", testsPath],
  ]);
  const browser = await launchBrowser();
  const { page } = browser;
  let done;
  const exited = new Promise((resolve) => (done = resolve));
  // Everything the workbench logs goes to the file; the console shows what is not workbench noise
  // (lines starting with "[Category]", offline gallery/telemetry errors).
  const logFile = process.env.AUTOMATION_LOG || path.join(os.tmpdir(), "vscode-automation.log");
  fs.writeFileSync(logFile, "");
  const noise = /^\[|^(Resolving|Resolved|Creating a socket|Updating additional|Creation of workbench contribution|Timed out waiting for authentication provider)|ENOTFOUND|^\s+at .*https?:\/\/|ERR_NAME_NOT_RESOLVED/;
  await page.exposeFunction("codeAutomationLog", (type, args) => {
    const text = util.format(...(Array.isArray(args) ? args : [args]));
    fs.appendFileSync(logFile, `[${type}] ${text}\n`);
    const shown = text.split("\n").filter((line) => !noise.test(line));
    if (shown.length && !/^\[/.test(text)) console.log(shown.join("\n"));
  });
  await page.exposeFunction("codeAutomationExit", (code) => done(code));
  page.on("pageerror", (error) => fs.appendFileSync(logFile, `[pageerror] ${error.stack || error}\n`));
  const seconds = Number(process.env.E2E_TIMEOUT) || 600;
  const timeout = setTimeout(() => done(`timeout after ${seconds}s`), seconds * 1000);
  await page.goto(url);
  const code = await exited;
  clearTimeout(timeout);
  console.log(`extension tests finished: exit=${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  await browser.close();
  process.exit(code === 0 ? 0 : 1);
})().catch((error) => {
  console.error("FAILED", error);
  process.exit(2);
});
