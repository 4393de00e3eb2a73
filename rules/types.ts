import type * as ts from "typescript";
import type { ChecklistDocument } from "./checklist/document";

export type Severity = "error" | "warning" | "info" | "hint";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info", "hint"];

/** Replaces the text between two UTF-16 offsets of the file's text. Engine-neutral: the server maps it to LSP, the CLI applies it. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix a user most likely wants; the server marks it `isPreferred`. */
  preferred?: boolean;
}

/** 1-based line and column (column counts UTF-16 code units, as SARIF and LSP do). */
export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** UTF-16 offsets of the same range. */
  start: number;
  end: number;
}

export interface Finding extends Location {
  ruleId: string;
  severity: Severity;
  /** Path relative to the workspace root, `/` separators. */
  file: string;
  message: string;
  checklistItem: string;
  fixes: Fix[];
}

export interface Example {
  code: string;
  /** What the example shows, one line. */
  note?: string;
}

export interface RuleDocs {
  why: string;
  howToFix: string;
  valid: Example[];
  invalid: Example[];
}

export interface RuleMeta {
  /** Public API: configs and suppression comments name it. */
  id: string;
  /** The checklist item this rule proves or disproves (empty for meta rules). */
  checklistItem: string;
  defaultSeverity: Severity;
  /** One line. */
  description: string;
  docs: RuleDocs;
  /** Message templates; `{{name}}` placeholders are filled from the report's data. */
  messages: Record<string, string>;
  /** JSON Schema of the rule's options object, when it has options. */
  optionsSchema?: Record<string, unknown>;
  /** True when at least one of its reports offers a fix. */
  fixable?: boolean;
  /** `production`: silent in tests, scripts and other non-production files. */
  scope: "production" | "all";
  /** `checklist` rules look at the team's checklist file instead of source code. Default `source`. */
  appliesTo?: "source" | "checklist";
  /**
   * Cheap pre-filter: the rule only runs on files whose text contains at least one of these
   * substrings. Leave out to run on every file.
   */
  triggers?: string[];
}

export type Visitor = (node: any) => void;
export type Visitors = { [kind: number]: Visitor } & { onEnd?: () => void };

export interface ImportBinding {
  module: string;
  /** `import x from "m"`, `const x = require("m")`. */
  defaultName?: string;
  /** `import * as x from "m"`. */
  namespaceName?: string;
  /** imported name → local name (`import { a as b }`, `const { a: b } = require("m")`). */
  named: Map<string, string>;
  node: ts.Node;
}

/** Something a file proves about the workspace (e.g. "helmet registered"), with where. */
export interface Signal {
  name: string;
  file: string;
  line: number;
  detail?: string;
}

export interface WorkspaceFacts {
  /** Every dependency named in any package.json of the workspace. */
  packages: ReadonlySet<string>;
  /** Every module imported or required by a scanned file. */
  imports: ReadonlySet<string>;
  signals: ReadonlyMap<string, readonly Signal[]>;
}

export interface ReportDescriptor {
  node?: ts.Node;
  /** Offsets, when the range is not a node's. */
  start?: number;
  end?: number;
  messageId: string;
  data?: Record<string, string | number>;
  fixes?: Fix[];
  /** Overrides the rule's default severity (unless the user configured one). */
  severity?: Severity;
  /** A finding that holds only if the whole workspace agrees; decided after every file is analysed. */
  unless?: (facts: WorkspaceFacts) => boolean;
}

export interface RuleContext {
  readonly file: string;
  readonly sourceFile: ts.SourceFile;
  readonly text: string;
  readonly options: Record<string, any>;
  readonly imports: readonly ImportBinding[];
  /** Whether the file uses `require` rather than `import` (decides how a fix adds an import). */
  readonly isCommonJs: boolean;
  report(descriptor: ReportDescriptor): void;
  /** Records a workspace fact this file proves. */
  signal(name: string, node: ts.Node, detail?: string): void;
  /**
   * A memo shared by every rule analysing this file, dropped with the file: helpers keep analyses
   * several rules ask for (route handlers, webhook facts) under a key of their own. Absent outside the engine.
   */
  readonly shared?: Map<unknown, unknown>;
}

/** A problem a checklist rule found in the checklist file (1-based line, columns on that line). */
export interface ChecklistReport {
  line: number;
  column: number;
  endColumn: number;
  messageId: string;
  data?: Record<string, string | number>;
}

export interface Rule {
  meta: RuleMeta;
  create(context: RuleContext): Visitors;
  /** For `appliesTo: "checklist"` rules: the problems of the parsed checklist file. */
  checkChecklist?(document: ChecklistDocument, now: Date): ChecklistReport[];
}
