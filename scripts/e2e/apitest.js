// Runs the extension's integration suite (--extensionTestsPath semantics) inside code-server's real
// extension host. The workbench learns about the development extension and the test entry from the URL
// "payload" (the mechanism VS Code uses for web extension debugging); when the entry's run() settles, the
// workbench calls window.codeAutomationExit(code). Extension-host console output (mocha's reporter)
// arrives through window.codeAutomationLog.
// usage: node apitest.js BASE_URL WORKSPACE_DIR EXTENSION_DIR TESTS_ENTRY_JS
// env: E2E_CS_DIR (where playwright-core is installed), E2E_CHROMIUM, AUTOMATION_LOG, E2E_TIMEOUT (seconds)
"use strict";
// Stopped by run.sh (Ctrl+C, a CI timeout): playwright closes chromium on the signal; then leave.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => setTimeout(() => process.exit(130), 1000));
const fs = require("fs");
const os = require("os");
const path = require("path");
const util = require("util");
const { chromium } = require(require.resolve("playwright-core", { paths: [process.env.E2E_CS_DIR || process.cwd()] }));

const [, , base, folder, extDir, testsPath] = process.argv;
if (!testsPath) {
  console.error("usage: node apitest.js BASE_URL WORKSPACE_DIR EXTENSION_DIR TESTS_ENTRY_JS");
  process.exit(2);
}

(async () => {
  const t0 = Date.now();
  const host = new URL(base).host;
  const payload = [
    ["extensionDevelopmentPath", `vscode-remote://${host}${extDir}`],
    ["extensionTestsPath", `vscode-remote://${host}${testsPath}`],
  ];
  const opens = folder.endsWith(".code-workspace") ? "workspace" : "folder";
  const url = `${base}/?${opens}=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), "chrome-"));
  const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: process.env.E2E_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
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
  await ctx.close();
  fs.rmSync(udd, { recursive: true, force: true });
  process.exit(code === 0 ? 0 : 1);
})().catch((error) => {
  console.error("FAILED", error);
  process.exit(2);
});
