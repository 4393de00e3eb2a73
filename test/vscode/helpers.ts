/** Shared helpers of the integration suite: the extension's test API, waiting with timeouts, the example's files. */
import * as assert from "assert";
import * as vscode from "vscode";
import type { ChecklistNode, ReadinessApi } from "../../client/api";

export const EXTENSION_ID = "readiness.readiness";
export const SOURCE = "readiness";

export type { ChecklistNode, ReadinessApi } from "../../client/api";

let apiPromise: Promise<ReadinessApi> | undefined;

/** Activates the extension (once) and returns its API, after the language client runs and the checklist is loaded. */
export function api(): Promise<ReadinessApi> {
  apiPromise ??= (async () => {
    const extension = vscode.extensions.getExtension<ReadinessApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this extension host`);
    const result = await withTimeout(Promise.resolve(extension.activate()), 30_000, "extension activation");
    assert.ok(result && typeof result.whenReady === "function", "activate() did not return the Readiness test API");
    await withTimeout(result.whenReady(), 30_000, "api.whenReady() (language client start)");
    await withTimeout(result.whenChecklistLoaded(), 60_000, "api.whenChecklistLoaded() (first scan)");
    return result;
  })();
  return apiPromise;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "the test window has no workspace folder (expected a copy of examples/saas-api)");
  return folder;
}

export function fileUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relative.split("/"));
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until `check` returns a value other than undefined/false, re-checking whenever one of `events`
 * fires and every 100 ms. Fails after `ms` with `what` and the last value seen by `describe`.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeout?: number; events?: vscode.Event<unknown>[]; describe?: () => unknown } = {},
): Promise<T> {
  const ms = options.timeout ?? 20_000;
  const deadline = Date.now() + ms;
  let wake: () => void = () => undefined;
  const subscriptions = (options.events ?? []).map((event) => event(() => wake()));
  let lastError: unknown;
  try {
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    subscriptions.forEach((subscription) => subscription.dispose());
  }
  const detail = options.describe ? `; last state: ${JSON.stringify(options.describe())}` : "";
  const cause = lastError ? `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : "";
  throw new Error(`timed out after ${ms} ms waiting for ${what}${detail}${cause}`);
}

/** The rule id of a diagnostic (`code` is the id, or `{ value, target }` with the docs link). */
export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === "object" ? String(code.value) : String(code);
}

export function readinessDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

export function summary(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${ruleOf(d)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
}

/** Waits until the file's readiness diagnostics satisfy `predicate`. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeout = 20_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} (${vscode.workspace.asRelativePath(uri)})`,
    () => {
      const diagnostics = readinessDiagnostics(uri);
      return predicate(diagnostics) ? diagnostics : undefined;
    },
    { timeout, events: [vscode.languages.onDidChangeDiagnostics as vscode.Event<unknown>], describe: () => summary(readinessDiagnostics(uri)) },
  );
}

export function find(diagnostics: readonly vscode.Diagnostic[], rule: string, line: number, character?: number): vscode.Diagnostic | undefined {
  return diagnostics.find((d) => ruleOf(d) === rule && d.range.start.line === line && (character === undefined || d.range.start.character === character));
}

export async function openEditor(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fileUri(relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * `vscode.executeCodeActionProvider`, resolving the actions' edits (the server completes them lazily),
 * retried while the editor is still settling (it may throw `Canceled` right after a file opens).
 */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>("vscode.executeCodeActionProvider", uri, range, kind, 1000);
      // Commands (`{ title, command: string }`) are not code actions; a code action's `command` is an object.
      return (actions ?? []).filter((action): action is vscode.CodeAction => typeof (action as { command?: unknown }).command !== "string");
    } catch (error) {
      lastError = error;
      if (!/cancel/i.test(error instanceof Error ? `${error.name} ${error.message}` : String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`vscode.executeCodeActionProvider kept failing: ${String(lastError)}`);
}

/** Applies a code action as the editor would: its edit, then its command. */
export async function applyAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `workspace.applyEdit refused the edit of "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Tree helpers: every node under `parent` (depth first) and the label text of a tree item. */
export async function allNodes(tree: vscode.TreeDataProvider<ChecklistNode>, parent?: ChecklistNode): Promise<ChecklistNode[]> {
  const children = (await tree.getChildren(parent)) ?? [];
  const nodes: ChecklistNode[] = [];
  for (const child of children) {
    nodes.push(child);
    if (child.kind !== "item") nodes.push(...(await allNodes(tree, child)));
  }
  return nodes;
}

export function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === "string" ? label : label?.label ?? "";
}

export function iconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

export async function itemNode(tree: vscode.TreeDataProvider<ChecklistNode>, id: string): Promise<Extract<ChecklistNode, { kind: "item" }>> {
  const node = (await allNodes(tree)).find((candidate) => candidate.kind === "item" && candidate.item.id === id);
  assert.ok(node && node.kind === "item", `checklist tree has no item ${id}`);
  return node;
}

/** `$(checklist) 62% · 3 blockers` → { percent, blockers }. */
export const STATUS_TEXT = /^\$\(checklist\) (\d+)% · (?:(\d+) blockers?|no blockers)$/;

export function parseStatus(text: string): { percent: number; blockers: number } | undefined {
  const match = STATUS_TEXT.exec(text);
  return match ? { percent: Number(match[1]), blockers: match[2] === undefined ? 0 : Number(match[2]) } : undefined;
}
