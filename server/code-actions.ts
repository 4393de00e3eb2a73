/**
 * `textDocument/codeAction` and `codeAction/resolve`: for each finding under the cursor its fixes,
 * "fix all of this rule in the file", disabling the rule for the line or the file, and its
 * documentation; `source.fixAll.readiness` applies every safe fix of the document. The edits come from
 * the engine (fixes, suppression edits, fix-all selection); this module only turns offsets into LSP
 * positions. With resolve support, actions are sent without edits and completed on demand.
 */
import {
  type CancellationToken,
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic,
  type TextDocuments,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { automaticFix, disableFileEdit, disableLineEdit, type Finding, fixAllEdits, type TextEdit } from "../rules";
import { Commands, type DiagnosticData, FIX_ALL_KIND } from "../shared/customMessages";
import { SOURCE, toDiagnostic } from "./diagnostics";
import { throwIfCancelled, type DocumentTarget } from "./documents";

export interface CodeActionHost {
  documents: TextDocuments<TextDocument>;
  resolve(uri: string): DocumentTarget | undefined;
  now(): Date;
  /** The client completes actions through `codeAction/resolve`. */
  lazy: boolean;
  /** The client takes versioned `documentChanges`. */
  documentChanges: boolean;
}

type ActionKind = "fix" | "fixRule" | "line" | "file" | "fixAll";

/** What `codeAction/resolve` needs to compute an action's edit again. */
interface ActionData {
  uri: string;
  version: number;
  action: ActionKind;
  ruleId?: string;
  start?: number;
  end?: number;
  fix?: number;
}

export class CodeActions {
  constructor(private readonly host: CodeActionHost) {}

  provide(params: CodeActionParams, token: CancellationToken): CodeAction[] {
    throwIfCancelled(token);
    const { uri } = params.textDocument;
    const document = this.host.documents.get(uri);
    const target = document && this.host.resolve(uri);
    if (!document || !target) return [];
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
    const findings = target.workspace.session.findings(target.file, this.host.now());
    throwIfCancelled(token);
    const isSource = target.workspace.session.isSource(target.file);
    const actions: CodeAction[] = [];

    if (wants(CodeActionKind.QuickFix)) {
      const from = document.offsetAt(params.range.start);
      const to = document.offsetAt(params.range.end);
      const requested = new Set(params.context.diagnostics.filter((diagnostic) => diagnostic.source === SOURCE));
      const selected = findings.filter(
        (finding) => (finding.start <= to && finding.end >= from) || [...requested].some((diagnostic) => matches(diagnostic, finding)),
      );
      const seen = new Set<string>();
      const once = (key: string) => !seen.has(key) && (seen.add(key), true);
      for (const finding of selected) {
        const diagnostic = toDiagnostic(finding);
        finding.fixes.forEach((fix, index) => {
          actions.push(this.action(document, findings, { title: fix.title, kind: CodeActionKind.QuickFix, diagnostic, preferred: fix.preferred, data: { action: "fix", ruleId: finding.ruleId, start: finding.start, end: finding.end, fix: index } }));
        });
        const sameRule = findings.filter((other) => other.ruleId === finding.ruleId && automaticFix(other));
        if (sameRule.length > 1 && once(`rule:${finding.ruleId}`)) {
          actions.push(this.action(document, findings, { title: `Fix all ${finding.ruleId} problems in this file`, kind: CodeActionKind.QuickFix, diagnostic, data: { action: "fixRule", ruleId: finding.ruleId } }));
        }
        if (isSource && finding.ruleId !== "unused-suppression") {
          if (once(`line:${finding.ruleId}:${finding.line}`)) {
            actions.push(this.action(document, findings, { title: `Disable ${finding.ruleId} for this line`, kind: CodeActionKind.QuickFix, diagnostic, data: { action: "line", ruleId: finding.ruleId, start: finding.start, end: finding.end } }));
          }
          if (once(`file:${finding.ruleId}`)) {
            actions.push(this.action(document, findings, { title: `Disable ${finding.ruleId} for this file`, kind: CodeActionKind.QuickFix, diagnostic, data: { action: "file", ruleId: finding.ruleId } }));
          }
        }
        if (once(`docs:${finding.ruleId}`)) {
          actions.push({
            title: `Show documentation for ${finding.ruleId}`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            command: { title: `Show documentation for ${finding.ruleId}`, command: Commands.showDocumentation, arguments: [finding.ruleId] },
          });
        }
      }
    }
    if (wants(FIX_ALL_KIND) && findings.some((finding) => automaticFix(finding))) {
      actions.push(this.action(document, findings, { title: "Fix all auto-fixable Readiness problems", kind: FIX_ALL_KIND, data: { action: "fixAll" } }));
    }
    return actions;
  }

  resolveAction(action: CodeAction, token: CancellationToken): CodeAction {
    throwIfCancelled(token);
    const data = action.data as ActionData | undefined;
    if (!data || action.edit) return action;
    const document = this.host.documents.get(data.uri);
    const target = document && this.host.resolve(data.uri);
    // The document changed since the action was offered: its offsets no longer hold.
    if (!document || !target || document.version !== data.version) return action;
    const findings = target.workspace.session.findings(target.file, this.host.now());
    const edit = this.edit(document, findings, data);
    return edit ? { ...action, edit } : action;
  }

  private action(
    document: TextDocument,
    findings: Finding[],
    spec: { title: string; kind: string; diagnostic?: Diagnostic; preferred?: boolean; data: Omit<ActionData, "uri" | "version"> },
  ): CodeAction {
    const data: ActionData = { uri: document.uri, version: document.version, ...spec.data };
    const action: CodeAction = {
      title: spec.title,
      kind: spec.kind,
      ...(spec.diagnostic ? { diagnostics: [spec.diagnostic] } : {}),
      ...(spec.preferred ? { isPreferred: true } : {}),
    };
    if (this.host.lazy) action.data = data;
    else action.edit = this.edit(document, findings, data);
    return action;
  }

  private edit(document: TextDocument, findings: Finding[], data: ActionData): WorkspaceEdit | undefined {
    const text = document.getText();
    const finding = data.start !== undefined ? findings.find((candidate) => candidate.ruleId === data.ruleId && candidate.start === data.start && candidate.end === data.end) : undefined;
    let edits: TextEdit[] | undefined;
    switch (data.action) {
      case "fix":
        edits = finding?.fixes[data.fix ?? 0]?.edits;
        break;
      case "fixRule":
        edits = fixAllEdits(text, findings.filter((candidate) => candidate.ruleId === data.ruleId));
        break;
      case "fixAll":
        edits = fixAllEdits(text, findings);
        break;
      case "line":
        edits = finding ? [disableLineEdit(text, finding.line, finding.ruleId)] : undefined;
        break;
      case "file":
        edits = data.ruleId ? [disableFileEdit(text, data.ruleId)] : undefined;
        break;
    }
    if (!edits) return undefined;
    const lspEdits: LspTextEdit[] = [...edits]
      .sort((a, b) => a.start - b.start || a.end - b.end)
      .map((edit) => ({ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText }));
    return this.host.documentChanges
      ? { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: lspEdits }] }
      : { changes: { [document.uri]: lspEdits } };
  }
}

/** Whether a diagnostic the client sent back is this finding's (by its data, else by code and range). */
function matches(diagnostic: Diagnostic, finding: Finding): boolean {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (data && typeof data.ruleId === "string") return data.ruleId === finding.ruleId && data.start === finding.start && data.end === finding.end;
  return (
    diagnostic.code === finding.ruleId &&
    diagnostic.range.start.line === finding.line - 1 &&
    diagnostic.range.start.character === finding.column - 1 &&
    diagnostic.range.end.line === finding.endLine - 1 &&
    diagnostic.range.end.character === finding.endColumn - 1
  );
}
