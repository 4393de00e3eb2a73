/** Findings as LSP diagnostics, and the push side: what was published where, so it can be cleared. */
import { type Connection, type Diagnostic, DiagnosticSeverity, DiagnosticTag } from "vscode-languageserver/node";
import { type Finding, ruleDocsUrl, type Severity } from "../rules";
import type { DiagnosticData } from "../shared/customMessages";

export const SOURCE = "readiness";

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  const data: DiagnosticData = { ruleId: finding.ruleId, start: finding.start, end: finding.end, fixable: finding.fixes.length > 0 };
  return {
    range: {
      start: { line: finding.line - 1, character: finding.column - 1 },
      end: { line: finding.endLine - 1, character: finding.endColumn - 1 },
    },
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl(finding.ruleId) },
    message: finding.message,
    ...(finding.ruleId === "unused-suppression" ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data,
  };
}

/** A short fingerprint of a diagnostics list (to skip re-sending what the client already has). */
export function fingerprint(diagnostics: readonly Diagnostic[]): string {
  const json = JSON.stringify(diagnostics);
  let hash = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) hash = Math.imul(hash ^ json.charCodeAt(i), 0x01000193);
  return `${json.length.toString(36)}.${(hash >>> 0).toString(36)}`;
}

/** `textDocument/publishDiagnostics`, remembering which URIs hold diagnostics (and only that). */
export class Publisher {
  private readonly published = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  /** Publishes a list; for closed files (`version` undefined) an unchanged list is not sent again. */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    const previous = this.published.get(uri);
    if (diagnostics.length === 0) {
      if (previous === undefined && version === undefined) return;
      this.published.delete(uri);
    } else if (version !== undefined) {
      // An open document's diagnostics go out with each version: no need to fingerprint them.
      this.published.set(uri, "");
    } else {
      const print = fingerprint(diagnostics);
      if (previous === print) return;
      this.published.set(uri, print);
    }
    void this.connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) }).catch(() => undefined);
  }

  clear(uri: string): void {
    if (!this.published.has(uri)) return;
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  /** URIs that currently hold diagnostics. */
  uris(): string[] {
    return [...this.published.keys()];
  }
}
