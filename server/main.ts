/**
 * Starting the language server: picks the transport from the arguments (`--stdio` or `--node-ipc`,
 * as LSP clients pass them), creates the connection and runs the server on it. `dist/server.js`
 * (`server/bin.ts`) and `readiness lsp` both come here.
 */
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures } from "vscode-languageserver/node";
import type { Rule } from "../rules";
import { errorText } from "./log";
import { enableExplicitCollection } from "./memory";
import { ReadinessServer } from "./server";

export type Transport = "stdio" | "node-ipc";

export const TRANSPORT_USAGE = "readiness language server: pass --stdio or --node-ipc";

/** The transport the arguments ask for, or undefined. */
export function transportOf(argv: readonly string[]): Transport | undefined {
  if (argv.includes("--stdio")) return "stdio";
  if (argv.includes("--node-ipc")) return "node-ipc";
  return undefined;
}

let started = false;

/** Runs the server until the client sends `exit` (or goes away). */
export function startServer(transport: Transport): void {
  if (started) return;
  started = true;
  const connection =
    transport === "stdio"
      ? createConnection(ProposedFeatures.all, process.stdin, process.stdout)
      : createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process));
  // Anything printed to stdout would corrupt the protocol: console output goes to the client's log.
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(args.map(String).join(" "));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(" "));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(" "));
  enableExplicitCollection();
  const server = new ReadinessServer(connection, { extraRules: testHookRules() });
  // Nothing may take the editor's server down: a stray error is logged, and the server carries on.
  process.on("uncaughtException", (error) => server.log.error(`readiness: internal error: ${error.stack ?? error.message}`));
  process.on("unhandledRejection", (reason) => server.log.error(`readiness: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : errorText(reason)}`));
  if (transport === "node-ipc") process.on("disconnect", () => process.exit(0));
  connection.listen();
}

/**
 * TEST HOOK. `READINESS_TEST_THROWING_RULE=1` in the server's environment adds one rule, read only
 * here at start-up: it throws while analysing any file that contains `READINESS_TEST_THROW`. The server
 * tests use it to prove, in the real process, that a failing rule is isolated (the other rules still
 * report, the failure is logged once) without mocking anything. Never set it otherwise.
 */
function testHookRules(): Rule[] {
  if (process.env.READINESS_TEST_THROWING_RULE !== "1") return [];
  return [
    {
      meta: {
        id: "test-throwing-rule",
        checklistItem: "",
        defaultSeverity: "error",
        description: "Test hook: throws on files containing READINESS_TEST_THROW.",
        scope: "all",
        triggers: ["READINESS_TEST_THROW"],
        messages: {},
        docs: { why: "", howToFix: "", valid: [], invalid: [] },
      },
      create: () => ({
        onEnd() {
          throw new Error("deliberate failure (READINESS_TEST_THROWING_RULE test hook)");
        },
      }),
    },
  ];
}
