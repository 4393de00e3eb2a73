/**
 * `npm run test:vscode`: the integration suite in a desktop VS Code downloaded by @vscode/test-electron
 * (cached in .vscode-test/). The extension under development is this repo; the window opens a fresh
 * copy of examples/saas-api (the tests change files); other extensions are disabled.
 * Env: VSCODE_EXECUTABLE (use this VS Code instead of downloading one), VSCODE_VERSION (default "stable").
 * Where VS Code cannot be downloaded (offline), use `npm run test:e2e`: the same suite in code-server.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runTests } from "@vscode/test-electron";

const repo = path.resolve(__dirname, "../../../..");

async function main(): Promise<number> {
  const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "readiness-vscode-")), "saas-api");
  fs.cpSync(path.join(repo, "examples", "saas-api"), workspace, { recursive: true });
  try {
    return await runTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(__dirname, "index.js"),
      launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--skip-welcome", "--skip-release-notes"],
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? "stable" }),
      extensionTestsEnv: { READINESS_TEST_GREP: process.env.READINESS_TEST_GREP ?? "" },
    });
  } finally {
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

/** Whether an error is @vscode/test-electron failing to fetch VS Code (no network, no proxy, blocked host). */
function isDownloadFailure(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${(error as NodeJS.ErrnoException).code ?? ""} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error);
  return /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|fetch failed|download|update\.code\.visualstudio\.com|timed? ?out|certificate|proxy/i.test(text);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    if (!process.env.VSCODE_EXECUTABLE && isDownloadFailure(error)) {
      console.error(`test:vscode: cannot download VS Code (${message}); offline, run \`npm run test:e2e\` (the same suite in code-server) or set VSCODE_EXECUTABLE to a local VS Code.`);
    } else {
      console.error(`test:vscode: ${message}`);
    }
    process.exit(1);
  },
);
