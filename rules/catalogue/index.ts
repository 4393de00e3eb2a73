/** The rule catalogue: every rule the engine runs, in documentation order. */
import type { Rule } from "../types";
import { checklistPlaceholder } from "./checklist-placeholder";
import { checklistReviewOverdue } from "./checklist-review-overdue";
import { consoleLogging } from "./console-logging";
import { dbClientPerRequest } from "./db-client-per-request";
import { dbQueryInLoop } from "./db-query-in-loop";
import { etagDisabled } from "./etag-disabled";
import { swallowedError } from "./swallowed-error";
import { hardcodedMfaCode } from "./hardcoded-mfa-code";
import { hardcodedSecret } from "./hardcoded-secret";
import { inMemoryRateLimit } from "./in-memory-rate-limit";
import { inMemorySessionStore } from "./in-memory-session-store";
import { missingCsrfProtection } from "./missing-csrf-protection";
import { unusedSuppression } from "./unused-suppression";

export const ALL_RULES: readonly Rule[] = [hardcodedMfaCode, hardcodedSecret, inMemoryRateLimit, inMemorySessionStore, consoleLogging, swallowedError, dbClientPerRequest, dbQueryInLoop, missingCsrfProtection, etagDisabled, checklistPlaceholder, checklistReviewOverdue, unusedSuppression];

const byId = new Map(ALL_RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
