// What both drivers of the workbench need (apitest.js, screenshots.js): playwright's chromium, a
// throwaway browser profile, and the workbench URL that opens a folder or .code-workspace with the
// extension loaded through the URL payload (paths on the code-server machine → vscode-remote URIs).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require(require.resolve("playwright-core", { paths: [process.env.E2E_CS_DIR || process.cwd()] }));

// Stopped by run.sh (Ctrl+C, a CI timeout): playwright closes chromium on the signal; then leave.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => setTimeout(() => process.exit(130), 1000));

/** `payload`: [[name, absolute path]] such as ["extensionDevelopmentPath", "/repo"]. */
function workbenchUrl(base, workspace, payload) {
  const host = new URL(base).host;
  const remote = payload.map(([name, file]) => [name, `vscode-remote://${host}${file}`]);
  const opens = workspace.endsWith(".code-workspace") ? "workspace" : "folder";
  return `${base}/?${opens}=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(remote))}`;
}

/** Headless Debian chromium with a throwaway profile; `close()` also removes the profile. */
async function launchBrowser(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chrome-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.E2E_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    ...options,
  });
  const page = context.pages()[0] || (await context.newPage());
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { page, close };
}

module.exports = { launchBrowser, workbenchUrl };
