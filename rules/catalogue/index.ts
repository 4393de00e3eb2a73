/** The rule catalogue: every rule the engine runs, in documentation order. */
import type { Rule } from "../types";
import { checklistPlaceholder } from "./checklist-placeholder";
import { checklistReviewOverdue } from "./checklist-review-overdue";
import { etagDisabled } from "./etag-disabled";
import { unusedSuppression } from "./unused-suppression";

export const ALL_RULES: readonly Rule[] = [etagDisabled, checklistPlaceholder, checklistReviewOverdue, unusedSuppression];

const byId = new Map(ALL_RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
