/**
 * The checklist's verdict: each item's status with the evidence that decided it, progress per section,
 * tier and overall, and the launch blockers. Code evidence outranks a person's tick.
 */
import { ALL_RULES } from "../catalogue";
import { DETECTORS } from "./detectors";
import type { ChecklistDocument, DocumentItem, TickState } from "./document";
import { type Evidence, type EvidenceContext, findingSites } from "./evidence";
import { ITEMS, type TierId, tierById, TIERS } from "./items";

export type ItemStatus = "pass" | "fail" | "open" | "done" | "n/a";
export type Evaluation = "rules" | "evidence" | "both" | "manual";

export interface ItemResult {
  id: string;
  title: string;
  tier?: TierId;
  /** The tier's heading for custom tiers, its short title otherwise. */
  tierTitle: string;
  section: string;
  status: ItemStatus;
  evaluation: Evaluation;
  /** Why this status, one line. */
  note: string;
  evidence: Evidence[];
  /** The rules whose findings fail this item. */
  rules: string[];
  builtIn: boolean;
  /** The tick in the checklist file, when the file has this item. */
  tick?: TickState;
  /** 1-based line of the item in the checklist file. */
  line?: number;
  /** A detector believes the item does not apply here. */
  suggestNotApplicable?: boolean;
}

export interface Progress {
  done: number;
  applicable: number;
  percent: number;
}

export interface ChecklistReport {
  /** Workspace-relative path of the checklist file, when there is one. */
  file?: string;
  items: ItemResult[];
  progress: Progress;
  tiers: { id?: TierId; title: string; progress: Progress }[];
  sections: { tier?: TierId; tierTitle: string; section: string; progress: Progress }[];
  /** Critical items that are `fail` or `open`. */
  blockers: string[];
}

export interface EvaluateOptions {
  /** The team's checklist file, parsed; without one every built-in item counts, unticked. */
  document?: { file: string; parsed: ChecklistDocument };
  /** Rules that ran; an item whose rules are all off is not decided by rules. */
  activeRuleIds?: ReadonlySet<string>;
}

const rulesByItem = new Map<string, string[]>();
for (const rule of ALL_RULES) {
  if (!rule.meta.checklistItem) continue;
  rulesByItem.set(rule.meta.checklistItem, [...(rulesByItem.get(rule.meta.checklistItem) ?? []), rule.meta.id]);
}

/** How an item is decided, from what exists for it: its rules, its detector, or a person. */
export function evaluationOf(id: string, activeRuleIds?: ReadonlySet<string>): Evaluation {
  const rules = (rulesByItem.get(id) ?? []).filter((rule) => !activeRuleIds || activeRuleIds.has(rule));
  const detector = DETECTORS[id] !== undefined;
  return rules.length > 0 ? (detector ? "both" : "rules") : detector ? "evidence" : "manual";
}

export function evaluateChecklist(context: EvidenceContext, options: EvaluateOptions = {}): ChecklistReport {
  const documentItems: DocumentItem[] | undefined = options.document?.parsed.items;
  const entries: { definition: Pick<ItemResult, "id" | "title" | "tier" | "section">; documentItem?: DocumentItem; tierTitle: string }[] = documentItems
    ? documentItems.map((item) => ({ definition: item, documentItem: item, tierTitle: item.tier ? tierById(item.tier).title : item.tierHeading }))
    : ITEMS.map((item) => ({ definition: item, tierTitle: tierById(item.tier).title }));

  const items = entries.map(({ definition, documentItem, tierTitle }) => {
    const builtIn = documentItem ? documentItem.builtIn : true;
    const evaluation = builtIn ? evaluationOf(definition.id, options.activeRuleIds) : "manual";
    const rules = evaluation === "rules" || evaluation === "both" ? (rulesByItem.get(definition.id) ?? []).filter((rule) => !options.activeRuleIds || options.activeRuleIds.has(rule)) : [];
    const result: ItemResult = {
      id: definition.id,
      title: definition.title,
      tier: definition.tier,
      tierTitle,
      section: definition.section,
      builtIn,
      evaluation,
      rules,
      ...decide(definition.id, evaluation, rules, documentItem, context),
      ...(documentItem ? { tick: documentItem.state, line: documentItem.line } : {}),
    };
    return result;
  });

  const progressOf = (list: ItemResult[]): Progress => {
    const applicable = list.filter((item) => item.status !== "n/a").length;
    const done = list.filter((item) => item.status === "pass" || item.status === "done").length;
    return { done, applicable, percent: applicable === 0 ? 100 : Math.round((done / applicable) * 100) };
  };
  const tierTitles = [...new Set(items.map((item) => item.tierTitle))];
  const tiers = tierTitles.map((title) => {
    const list = items.filter((item) => item.tierTitle === title);
    return { id: list[0].tier, title, progress: progressOf(list) };
  });
  tiers.sort((a, b) => rank(a.id) - rank(b.id));
  const sectionKeys = [...new Set(items.map((item) => `${item.tierTitle}\u0000${item.section}`))];
  const sections = sectionKeys.map((key) => {
    const list = items.filter((item) => `${item.tierTitle}\u0000${item.section}` === key);
    return { tier: list[0].tier, tierTitle: list[0].tierTitle, section: list[0].section, progress: progressOf(list) };
  });
  return {
    ...(options.document ? { file: options.document.file } : {}),
    items,
    progress: progressOf(items),
    tiers,
    sections,
    blockers: items.filter((item) => item.tier === "critical" && (item.status === "fail" || item.status === "open")).map((item) => item.id),
  };
}

function rank(tier: TierId | undefined): number {
  const index = TIERS.findIndex((candidate) => candidate.id === tier);
  return index < 0 ? TIERS.length : index;
}

function decide(
  id: string,
  evaluation: Evaluation,
  rules: string[],
  documentItem: DocumentItem | undefined,
  context: EvidenceContext,
): Pick<ItemResult, "status" | "note" | "evidence" | "suggestNotApplicable"> {
  const tick = documentItem?.state;
  if (documentItem?.kind === "contact") {
    return documentItem.state === "done"
      ? { status: "done", note: `contact: ${documentItem.contact}`, evidence: [] }
      : { status: "open", note: "contact not filled in yet", evidence: [] };
  }
  if (evaluation === "manual") {
    if (tick === "done") return { status: "done", note: "ticked in the checklist file", evidence: [] };
    if (tick === "n/a") return { status: "n/a", note: "marked not applicable in the checklist file", evidence: [] };
    return { status: "open", note: "only a person can decide this: tick it in the checklist when done", evidence: [] };
  }

  let computed: Pick<ItemResult, "status" | "note" | "evidence" | "suggestNotApplicable">;
  const blocking = rules.length > 0 ? findingSites(context, rules) : [];
  if (blocking.length > 0) {
    const byRule = rules.map((rule) => [rule, blocking.filter((evidence) => evidence.ruleId === rule).length] as const).filter(([, count]) => count > 0);
    computed = {
      status: "fail",
      note: `${blocking.length} finding${blocking.length === 1 ? "" : "s"} of ${byRule.length === 1 ? byRule[0][0] : byRule.map(([rule, count]) => `${rule} (${count})`).join(", ")}`,
      evidence: blocking,
    };
  } else if (evaluation === "rules") {
    computed = { status: "pass", note: `no findings of ${rules.join(", ")}`, evidence: [] };
  } else {
    const detected = DETECTORS[id](context);
    computed = { status: detected.status, note: detected.note, evidence: detected.evidence, ...(detected.suggestNotApplicable ? { suggestNotApplicable: true } : {}) };
  }

  // A person's tick counts where the code can't tell; it never overrules code that says "not done".
  if (tick === "done" && computed.status === "fail") return { ...computed, note: `ticked, but ${computed.note}` };
  if (tick === "n/a" && computed.status === "fail") return { ...computed, note: `marked n/a, but ${computed.note}` };
  if (tick === "n/a") return { ...computed, status: "n/a", note: `marked not applicable in the checklist file (${computed.note})` };
  if (tick === "done" && computed.status === "open") return { ...computed, status: "done", note: `ticked in the checklist file (${computed.note})` };
  return computed;
}
