/**
 * The `readiness` command: a thin adapter over the engine. Exit codes: 0 clean, 1 findings at or above
 * `--fail-on`, 2 usage or configuration error (one line on stderr, never a stack trace).
 */
import { parseArgs, type ParseArgsConfig } from "util";
import { ConfigError } from "../rules";
import { runCheck } from "./check";
import { runChecklist } from "./checklist";
import { type CommandIo, UsageError } from "./io";
import { version } from "../package.json";


interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  help: [string, string][];
  run(values: Record<string, any>, positionals: string[], io: CommandIo): Promise<number> | number;
}

const COMMANDS: Record<string, Command> = {
  check: {
    summary: "Analyse a workspace and report production-readiness problems.",
    usage: "readiness check [paths...] [options]",
    options: {
      format: { type: "string", short: "f", default: "text" },
      "fail-on": { type: "string", default: "error" },
      fix: { type: "boolean", default: false },
      config: { type: "string", short: "c" },
      quiet: { type: "boolean", short: "q", default: false },
      help: { type: "boolean", short: "h" },
    },
    help: [
      ["paths", "Files or folders to report on (default: the current folder). The whole workspace is still analysed for cross-file facts."],
      ["-f, --format <text|json|sarif>", "Output format (default: text)."],
      ["--fail-on <error|warning|info|never>", "Exit with 1 when findings at or above this severity exist (default: error)."],
      ["--fix", "Apply every automatic fix in place and report what changed."],
      ["-c, --config <file>", "Use this config file instead of looking for readiness.config.json."],
      ["-q, --quiet", "Report errors only."],
      ["-h, --help", "Show this help."],
    ],
    run: runCheck,
  },
  checklist: {
    summary: "Show progress through the production-readiness checklist; `init` and `tick` edit its file.",
    usage: "readiness checklist [path] [options]\n       readiness checklist init [path]\n       readiness checklist tick <item-id> [path] [--undo | --na]",
    options: {
      format: { type: "string", short: "f", default: "text" },
      all: { type: "boolean", short: "a", default: false },
      undo: { type: "boolean", default: false },
      na: { type: "boolean", default: false },
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h" },
    },
    help: [
      ["path", "The workspace folder (default: the current folder)."],
      ["-f, --format <text|json|markdown>", "Output format; markdown is a report to paste into a PR or wiki (default: text)."],
      ["-a, --all", "List every item with its status and evidence, not only the blockers."],
      ["init", "Write PRODUCTION_READINESS.md (or the config's `checklist` path) from the built-in checklist."],
      ["tick <item-id>", "Mark an item done in the checklist file; --undo reopens it, --na marks it not applicable."],
      ["-c, --config <file>", "Use this config file instead of looking for readiness.config.json."],
      ["-h, --help", "Show this help."],
    ],
    run: runChecklist,
  },
  lsp: {
    summary: "Run the language server (for editors: Neovim, Emacs, Helix, Zed, …).",
    usage: "readiness lsp --stdio\n       readiness lsp --node-ipc",
    options: {
      stdio: { type: "boolean", default: false },
      "node-ipc": { type: "boolean", default: false },
      clientProcessId: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    help: [
      ["--stdio", "Speak LSP over stdin/stdout (what editors configure)."],
      ["--node-ipc", "Speak LSP over Node's IPC channel (when a Node client forks the server)."],
      ["--clientProcessId <pid>", "Exit when this process (the editor) is gone."],
      ["-h, --help", "Show this help."],
    ],
    async run(values) {
      if (values.stdio === values["node-ipc"]) throw new UsageError("readiness lsp needs exactly one of --stdio or --node-ipc");
      const { startServer } = await import("../server/main");
      startServer(values.stdio ? "stdio" : "node-ipc");
      // The server ends the process itself, on the client's `exit` notification.
      return new Promise<number>(() => undefined);
    },
  },
};

function mainHelp(): string {
  const lines = [
    `readiness ${version} — production-readiness checks for TypeScript/JavaScript services`,
    "",
    "Usage: readiness <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(12)}${command.summary}`),
    "",
    "Options:",
    "  -v, --version   Print the version.",
    "  -h, --help      Show this help; `readiness <command> --help` for a command's options.",
  ];
  return lines.join("\n") + "\n";
}

function commandHelp(command: Command): string {
  const width = Math.max(...command.help.map(([flag]) => flag.length)) + 2;
  return [`Usage: ${command.usage}`, "", command.summary, "", "Options:", ...command.help.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`)].join("\n") + "\n";
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(mainHelp());
    return 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"; run \`readiness --help\` for the list`);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(String((error as Error).message).replace(/\. To specify.*$/s, ""));
    }
    if (parsed.values.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    return await command.run(parsed.values, parsed.positionals, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`readiness: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`readiness: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // An internal error: still one readable line, with the detail only when asked for.
      process.stderr.write(`readiness: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.READINESS_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
      process.exitCode = 2;
    },
  );
}
