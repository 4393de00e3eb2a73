/** The rule catalogue: every rule the engine runs, in documentation order. */
import type { Rule } from "../types";
import { checklistPlaceholder } from "./checklist-placeholder";
import { checklistReviewOverdue } from "./checklist-review-overdue";
import { consoleLogging } from "./console-logging";
import { corsAllowsLocalhost } from "./cors-allows-localhost";
import { corsWildcardOrigin } from "./cors-wildcard-origin";
import { dbClientPerRequest } from "./db-client-per-request";
import { dbQueryInLoop } from "./db-query-in-loop";
import { etagDisabled } from "./etag-disabled";
import { swallowedError } from "./swallowed-error";
import { hardcodedMfaCode } from "./hardcoded-mfa-code";
import { hardcodedSecret } from "./hardcoded-secret";
import { hstsDisabled } from "./hsts-disabled";
import { inMemoryRateLimit } from "./in-memory-rate-limit";
import { inMemorySessionStore } from "./in-memory-session-store";
import { missingCsrfProtection } from "./missing-csrf-protection";
import { missingSecurityHeaders } from "./missing-security-headers";
import { paymentCallWithoutIdempotencyKey } from "./payment-call-without-idempotency-key";
import { unusedSuppression } from "./unused-suppression";
import { unvalidatedInput } from "./unvalidated-input";
import { webhookNotIdempotent } from "./webhook-not-idempotent";
import { webhookSignatureUnverified } from "./webhook-signature-unverified";

export const ALL_RULES: readonly Rule[] = [
  hardcodedMfaCode,
  corsAllowsLocalhost,
  corsWildcardOrigin,
  inMemoryRateLimit,
  inMemorySessionStore,
  hardcodedSecret,
  consoleLogging,
  swallowedError,
  dbClientPerRequest,
  dbQueryInLoop,
  missingSecurityHeaders,
  hstsDisabled,
  missingCsrfProtection,
  unvalidatedInput,
  webhookSignatureUnverified,
  webhookNotIdempotent,
  paymentCallWithoutIdempotencyKey,
  etagDisabled,
  checklistPlaceholder,
  checklistReviewOverdue,
  unusedSuppression,
];

const byId = new Map(ALL_RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
