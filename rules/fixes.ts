import type { Finding, Fix, TextEdit } from "./types";

/** Applies non-overlapping edits to a text; an edit overlapping an earlier-applied one is left out. */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: TextEdit[] = [];
  let lastEnd = -1;
  for (const edit of sorted) {
    // Two insertions at one point are fine; anything else overlapping is a conflict.
    if (edit.start < lastEnd) continue;
    applied.push(edit);
    lastEnd = Math.max(lastEnd, edit.end);
  }
  let result = text;
  for (let i = applied.length - 1; i >= 0; i--) {
    const edit = applied[i];
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  }
  return { text: result, applied };
}

/** The fix a tool may apply on its own (`--fix`, fix-all): only one its rule marked preferred, i.e. safe without a look. */
export function automaticFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((fix) => fix.preferred);
}

/**
 * Applies the automatic fix of each finding, whole fixes only: a fix whose edits would collide with
 * one already taken waits for the next pass, so no fix is ever half-applied.
 */
export function applyFixes(text: string, findings: readonly Finding[]): { text: string; fixed: Finding[] } {
  const taken: TextEdit[] = [];
  const fixed: Finding[] = [];
  const overlaps = (edit: TextEdit) => taken.some((other) => edit.start < other.end && other.start < edit.end);
  for (const finding of findings) {
    const fix = automaticFix(finding);
    if (!fix || fix.edits.some(overlaps)) continue;
    // Two fixes adding the same import need it once.
    const edits = fix.edits.filter((edit) => !taken.some((other) => other.start === edit.start && other.end === edit.end && other.newText === edit.newText));
    taken.push(...edits);
    fixed.push(finding);
  }
  return { text: applyEdits(text, taken).text, fixed };
}
