/**
 * The team's checklist file (`PRODUCTION_READINESS.md`), in the seed document's own markdown format:
 * `##` tiers, `###` sections, `- [ ]` / `- [x]` / `- [-]` items, `- **Name**: contact` lines, and
 * `**Next Review**: <date>` in the footer. Reading keeps every line's position; writing a tick changes
 * that item's marker only and leaves every other byte (line endings included) as it was.
 */
import { CONTACT_PLACEHOLDERS, ITEMS, type ItemDefinition, itemById, type TierId, TIERS } from "./items";

export const DEFAULT_CHECKLIST_FILE = "PRODUCTION_READINESS.md";

export type TickState = "open" | "done" | "n/a";

export interface DocumentItem {
  /** A built-in id, or `custom.<slug>` for an item the team added. */
  id: string;
  builtIn: boolean;
  title: string;
  tier?: TierId;
  /** The `##` heading text the item sits under (for custom tiers). */
  tierHeading: string;
  section: string;
  kind: "task" | "contact";
  state: TickState;
  /** 1-based line. */
  line: number;
  /** For contacts: the value after the colon (a placeholder while unfilled). */
  contact?: string;
}

export interface Placeholder {
  text: string;
  line: number;
  /** 1-based column (UTF-16). */
  column: number;
}

export interface ChecklistDocument {
  items: DocumentItem[];
  /** `[Date]`, `[Security Team Contact]`-style placeholders left unfilled. */
  placeholders: Placeholder[];
  nextReview?: { text: string; date?: Date; line: number; column: number };
}

const TASK = /^(\s*[-*+]\s+)\[([ xX-])\]\s+(.*?)\s*$/;
const CONTACT = /^\s*[-*+]\s+\*\*(.+?)\*\*:?\s*:?\s*(.*?)\s*$/;
const MARKER = /\s*<!--\s*readiness:\s*([\w.-]+)\s*-->\s*$/;
const PLACEHOLDER = /\[(?:Date|[A-Z][A-Za-z-]*(?: [A-Za-z-]+)* (?:Contact|Name|Email|Phone|Team|Owner|URL))\](?!\()/g;
const IS_PLACEHOLDER = new RegExp(PLACEHOLDER.source);

/** Folds a title for matching: case, punctuation, code marks and strikethrough don't matter. */
export function foldTitle(title: string): string {
  return title
    .replace(/~~/g, "")
    .replace(/[`*_]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9%+.<>]+/g, " ")
    .trim();
}

const byFoldedTitle = new Map<string, ItemDefinition[]>();
for (const item of ITEMS) {
  const key = foldTitle(item.title);
  byFoldedTitle.set(key, [...(byFoldedTitle.get(key) ?? []), item]);
}

function tierOfHeading(heading: string): TierId | undefined {
  const folded = heading.toLowerCase();
  const keys: [TierId, RegExp][] = [
    ["critical", /critical/],
    ["high", /high/],
    ["important", /important/],
    ["enhancements", /enhancement/],
    ["metrics", /metric/],
    ["reviews", /review/],
    ["contacts", /contact|escalation/],
  ];
  return keys.find(([, pattern]) => pattern.test(folded))?.[0];
}

/** Splits text into lines, keeping each line's own ending. */
function splitLines(text: string): { content: string; start: number }[] {
  const lines: { content: string; start: number }[] = [];
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    const content = text.slice(start, end > start && text[end - 1] === "\r" ? end - 1 : end);
    lines.push({ content, start });
    if (newline < 0) break;
    start = newline + 1;
  }
  return lines;
}

export function parseChecklistDocument(text: string): ChecklistDocument {
  const document: ChecklistDocument = { items: [], placeholders: [] };
  let tier: TierId | undefined;
  let tierHeading = "";
  let section = "";
  const used = new Set<string>();
  let inFence = false;
  splitLines(text).forEach(({ content }, index) => {
    const line = index + 1;
    if (/^\s*(```|~~~)/.test(content)) inFence = !inFence;
    if (inFence) return;
    for (const match of content.matchAll(PLACEHOLDER)) document.placeholders.push({ text: match[0], line, column: match.index! + 1 });
    const heading = /^(#{2,3})\s+(.*?)\s*#*\s*$/.exec(content);
    if (heading) {
      if (heading[1] === "##") {
        tierHeading = heading[2];
        tier = tierOfHeading(tierHeading);
        section = "";
      } else {
        section = heading[2];
      }
      return;
    }
    const review = /^\s*\*\*Next Review\*\*:\s*(.*?)\s*$/.exec(content);
    if (review) {
      const column = content.indexOf(review[1]) + 1;
      const parsed = /^\d{4}-\d{2}-\d{2}$/.test(review[1]) ? new Date(`${review[1]}T00:00:00Z`) : undefined;
      document.nextReview = { text: review[1], date: parsed && !isNaN(parsed.getTime()) ? parsed : undefined, line, column };
      return;
    }
    const marker = MARKER.exec(content);
    const body = marker ? content.slice(0, marker.index) : content;
    const task = TASK.exec(body);
    if (task) {
      const struck = /^~~.*~~$/.test(task[3].trim());
      const title = task[3].replace(/~~/g, "").trim();
      const state: TickState = task[2] === "-" || struck ? "n/a" : task[2] === " " ? "open" : "done";
      const definition = matchItem(marker?.[1], title, tier, used);
      document.items.push(toItem(definition, title, tier, tierHeading, section, "task", state, line, used));
      return;
    }
    const contact = CONTACT.exec(body);
    if (contact && (tier === "contacts" || marker)) {
      const title = contact[1].replace(/:$/, "").trim();
      const value = contact[2];
      const definition = matchItem(marker?.[1], title, tier, used);
      const filled = value !== "" && !IS_PLACEHOLDER.test(value) && !/^\[.*\]$/.test(value);
      const item = toItem(definition, title, tier, tierHeading, section, "contact", filled ? "done" : "open", line, used);
      item.contact = value;
      document.items.push(item);
    }
  });
  return document;
}

function matchItem(markerId: string | undefined, title: string, tier: TierId | undefined, used: Set<string>): ItemDefinition | undefined {
  if (markerId) {
    const byMarker = itemById(markerId);
    if (byMarker && !used.has(byMarker.id)) return byMarker;
  }
  const candidates = (byFoldedTitle.get(foldTitle(title)) ?? []).filter((item) => !used.has(item.id));
  return candidates.find((item) => item.tier === tier) ?? candidates[0];
}

function toItem(
  definition: ItemDefinition | undefined,
  title: string,
  tier: TierId | undefined,
  tierHeading: string,
  section: string,
  kind: "task" | "contact",
  state: TickState,
  line: number,
  used: Set<string>,
): DocumentItem {
  if (definition) {
    used.add(definition.id);
    return { id: definition.id, builtIn: true, title, tier: definition.tier, tierHeading, section, kind, state, line };
  }
  let id = `custom.${foldTitle(title).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "item"}`;
  for (let n = 2; used.has(id); n++) id = `${id.replace(/-\d+$/, "")}-${n}`;
  used.add(id);
  return { id, builtIn: false, title, tier, tierHeading, section, kind, state, line };
}

/** Thrown when a tick cannot be written; the message is one line for the user. */
export class ChecklistEditError extends Error {}

/**
 * Writes a tick into the checklist text: changes the checkbox of the item's line (and removes a
 * `~~strikethrough~~` n/a marking when reopening or ticking), nothing else.
 */
export function setItemState(text: string, id: string, state: TickState): string {
  const item = parseChecklistDocument(text).items.find((candidate) => candidate.id === id);
  if (!item) throw new ChecklistEditError(`item "${id}" is not in the checklist file`);
  if (item.kind === "contact") throw new ChecklistEditError(`"${item.title}" is a contact: write the contact into the file instead of ticking it`);
  const { start, content } = splitLines(text)[item.line - 1];
  const task = TASK.exec(content.replace(MARKER, ""))!;
  const boxAt = start + task[1].length + 1;
  const mark = state === "done" ? "x" : state === "n/a" ? "-" : " ";
  let result = text.slice(0, boxAt) + mark + text.slice(boxAt + 1);
  if (state !== "n/a" && /~~/.test(task[3])) {
    const titleStart = start + content.indexOf(task[3], task[1].length + 3);
    const titleEnd = titleStart + task[3].length;
    result = result.slice(0, titleStart) + task[3].replace(/~~/g, "") + result.slice(titleEnd);
  }
  return result;
}

/** A new checklist file from the built-in checklist, in the seed's layout, each item with its marker. */
export function renderChecklistDocument(eol = "\n"): string {
  const out: string[] = ["# Production Readiness Checklist", "Quick Reference for Professional SaaS Launch", ""];
  TIERS.forEach((tier, tierIndex) => {
    out.push(`## ${tier.heading}`, "");
    let section: string | undefined;
    for (const item of ITEMS.filter((candidate) => candidate.tier === tier.id)) {
      if (item.section !== section) {
        if (section !== undefined) out.push("");
        if (item.section) out.push(`### ${item.section}`);
        section = item.section;
      }
      out.push(
        item.kind === "contact"
          ? `- **${item.title}**: ${CONTACT_PLACEHOLDERS[item.id]} <!-- readiness: ${item.id} -->`
          : `- [ ] ${item.title} <!-- readiness: ${item.id} -->`,
      );
    }
    out.push("", "---", "");
    if (tierIndex === TIERS.length - 1) out.push("**Status**: Pre-Launch", "**Last Updated**: [Date]", "**Next Review**: [Date]", "");
  });
  return out.join(eol) + eol;
}
