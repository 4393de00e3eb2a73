/** `readiness checklist`: progress through the production-readiness checklist, and ticks in its file. */
import * as fs from "fs";
import * as path from "path";
import { ChecklistEditError, DEFAULT_CHECKLIST_FILE, itemById, renderChecklistDocument, setItemState, workspaceChecklist } from "../rules";
import { resolveWorkspace, scanWithProgress } from "./check";
import { checklistJson, formatChecklistMarkdown, formatChecklistText } from "./format-checklist";
import { colourStyle, plainStyle } from "./format-text";
import { type CommandIo, UsageError } from "./io";
import { nodeHost, writeFileAtomic } from "./node-host";

const FORMATS = ["text", "json", "markdown"] as const;

export function runChecklist(values: Record<string, any>, positionals: string[], io: CommandIo): number {
  const [first, ...rest] = positionals;
  if (first === "init") return init(rest, values, io);
  if (first === "tick") return tick(rest, values, io);
  const format = values.format as string;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${format}")`);
  if (positionals.length > 1) throw new UsageError("readiness checklist takes one folder");
  const workspace = resolveWorkspace(first ? [first] : [], values.config, io);
  const scan = scanWithProgress({ ...workspace, only: undefined }, io);
  const now = new Date();
  const report = workspaceChecklist(scan, nodeHost, now);
  if (format === "json") io.stdout.write(`${JSON.stringify(checklistJson(report), null, 2)}\n`);
  else if (format === "markdown") io.stdout.write(formatChecklistMarkdown(report, now));
  else {
    const useColour = io.env.NO_COLOR === undefined && (io.env.FORCE_COLOR !== undefined || io.stdout.isTTY === true);
    io.stdout.write(formatChecklistText(report, useColour ? colourStyle : plainStyle, Boolean(values.all)));
  }
  return 0;
}

function checklistPath(positionals: string[], values: Record<string, any>, io: CommandIo): string {
  const workspace = resolveWorkspace(positionals, values.config, io);
  return path.join(workspace.root, workspace.config.checklist ?? DEFAULT_CHECKLIST_FILE);
}

function init(positionals: string[], values: Record<string, any>, io: CommandIo): number {
  if (positionals.length > 1) throw new UsageError("readiness checklist init takes one folder");
  const file = checklistPath(positionals, values, io);
  if (fs.existsSync(file)) throw new UsageError(`${path.relative(io.cwd, file) || file} already exists; tick items with \`readiness checklist tick <id>\``);
  writeFileAtomic(file, renderChecklistDocument());
  io.stdout.write(`Wrote ${path.relative(io.cwd, file) || file}: tick items there or with \`readiness checklist tick <id>\`.\n`);
  return 0;
}

function tick(positionals: string[], values: Record<string, any>, io: CommandIo): number {
  const [id, ...folder] = positionals;
  if (!id) throw new UsageError("readiness checklist tick needs an item id, e.g. `readiness checklist tick reliability.backups`");
  if (values.undo && values.na) throw new UsageError("--undo and --na cannot be used together");
  const file = checklistPath(folder, values, io);
  const shown = path.relative(io.cwd, file) || file;
  const bytes = nodeHost.readFile(file);
  if (!bytes) throw new UsageError(`${shown} does not exist; create it with \`readiness checklist init\``);
  const raw = Buffer.from(bytes).toString("utf8");
  const state = values.undo ? "open" : values.na ? "n/a" : "done";
  let updated: string;
  try {
    updated = setItemState(raw, id, state);
  } catch (error) {
    if (error instanceof ChecklistEditError) throw new UsageError(`${shown}: ${error.message}${itemById(id) ? "" : " (and it is not a built-in item id either)"}`);
    throw error;
  }
  if (updated !== raw) writeFileAtomic(file, updated);
  io.stdout.write(`${shown}: ${id} is now ${state}.\n`);
  return 0;
}
