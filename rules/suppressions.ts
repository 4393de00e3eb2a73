/**
 * ESLint-style suppression comments:
 *   // readiness-disable-next-line rule-a, rule-b -- reason
 *   // readiness-disable-line rule-a
 *   /* readiness-disable rule-a *\/   (the rest of the file)
 */
import ts = require("typescript");
import type { TextEdit } from "./types";

export type DirectiveKind = "next-line" | "line" | "file";

export interface Directive {
  kind: DirectiveKind;
  ruleIds: string[];
  /** 1-based line of the comment. */
  line: number;
  /** UTF-16 offsets of the comment. */
  start: number;
  end: number;
  /** 1-based line the directive applies to (next-line/line) or from (file). */
  targetLine: number;
}

const DIRECTIVE = /(\/\/|\/\*)[ \t]*readiness-disable(-next-line|-line)?(?=[\s*]|$)([^\n]*)/g;

/** Finds the suppression comments of a file; cheap when the file has none. */
export function parseDirectives(sourceFile: ts.SourceFile, text: string): Directive[] {
  if (!text.includes("readiness-disable")) return [];
  const directives: Directive[] = [];
  DIRECTIVE.lastIndex = 0;
  for (let match = DIRECTIVE.exec(text); match; match = DIRECTIVE.exec(text)) {
    const start = match.index;
    const comment = directiveComment(sourceFile, text, start, match[1] === "/*");
    if (!comment) {
      // Not a directive (in a literal, or mentioned inside another comment): a real one may follow on the line.
      DIRECTIVE.lastIndex = start + 2;
      continue;
    }
    const isBlock = comment.kind === ts.SyntaxKind.MultiLineCommentTrivia;
    const end = isBlock ? comment.end : start + match[0].length;
    const body = isBlock ? text.slice(start + match[0].length - match[3].length, Math.max(comment.end - 2, start + match[0].length - match[3].length)) : match[3];
    DIRECTIVE.lastIndex = end;
    const ruleIds = body
      .split(/\s--\s|\s--$/)[0]
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id.length > 0);
    const line = sourceFile.getLineAndCharacterOfPosition(start).line + 1;
    const kind: DirectiveKind = match[2] === "-next-line" ? "next-line" : match[2] === "-line" ? "line" : "file";
    directives.push({ kind, ruleIds, line, start, end, targetLine: kind === "next-line" ? line + 1 : line });
  }
  return directives;
}

/**
 * The comment a directive candidate at `offset` opens, when it does: the offset lies in comment
 * trivia (not in a string, template, regex or JSX text), at the comment's start (`///` counts), and
 * the comment is of the candidate's kind. A directive merely mentioned inside a comment is none.
 */
function directiveComment(sourceFile: ts.SourceFile, text: string, offset: number, isBlock: boolean): ts.CommentRange | undefined {
  // The innermost token whose full range (leading trivia included) holds the offset.
  let node: ts.Node = sourceFile;
  for (;;) {
    const next = node.getChildren(sourceFile).find((child) => child.pos <= offset && offset < child.end);
    if (!next) break;
    node = next;
  }
  if (offset >= node.getStart(sourceFile)) return undefined;
  // Trivia comments on the previous token's line are its "trailing" ones, the rest "leading".
  const comments = [...(ts.getTrailingCommentRanges(text, node.pos) ?? []), ...(ts.getLeadingCommentRanges(text, node.pos) ?? [])];
  const comment = comments.find((range) => range.pos <= offset && offset < range.end);
  if (!comment || (comment.kind === ts.SyntaxKind.MultiLineCommentTrivia) !== isBlock) return undefined;
  if (isBlock && !text.startsWith("*/", comment.end - 2)) return undefined; // unterminated
  return /^\/*$/.test(text.slice(comment.pos, offset)) ? comment : undefined;
}

/** Whether a directive covers a finding of `ruleId` that starts on `line`. */
export function covers(directive: Directive, ruleId: string, line: number): boolean {
  // A directive naming no rule covers every rule, as in ESLint.
  if (directive.ruleIds.length > 0 && !directive.ruleIds.includes(ruleId)) return false;
  return directive.kind === "file" ? line >= directive.targetLine : line === directive.targetLine;
}

/**
 * The edit behind "Disable <rule> for this line": a `readiness-disable-next-line` comment above the
 * 1-based `line`, indented like it; when that line already carries such a directive, the rule id is
 * added to it instead.
 */
export function disableLineEdit(text: string, line: number, ruleId: string): TextEdit {
  const starts = lineStarts(text);
  const lineStart = starts[line - 1] ?? text.length;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  if (line > 1) {
    const previousStart = starts[line - 2];
    const previous = text.slice(previousStart, lineStart).replace(/\r?\n$/, "");
    const existing = /^(\s*\/\/\s*readiness-disable-next-line\s+)([^\n]*?)(\s+--\s.*)?$/.exec(previous);
    if (existing && !/^\s*$/.test(existing[2])) {
      const idsEnd = previousStart + existing[1].length + existing[2].length;
      return { start: idsEnd, end: idsEnd, newText: `, ${ruleId}` };
    }
  }
  let indentEnd = lineStart;
  while (text[indentEnd] === " " || text[indentEnd] === "\t") indentEnd++;
  return { start: lineStart, end: lineStart, newText: `${text.slice(lineStart, indentEnd)}// readiness-disable-next-line ${ruleId}${eol}` };
}

/** The edit behind "Disable <rule> for this file": a block directive at the top (after a shebang). */
export function disableFileEdit(text: string, ruleId: string): TextEdit {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let at = 0;
  if (text.startsWith("#!")) {
    const end = text.indexOf("\n");
    at = end < 0 ? text.length : end + 1;
  }
  return { start: at, end: at, newText: `/* readiness-disable ${ruleId} */${eol}` };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}
