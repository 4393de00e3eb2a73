import type { Rule } from "../types";

/** The checklist file's `**Next Review**:` date has passed. */
export const checklistReviewOverdue: Rule = {
  meta: {
    id: "checklist-review-overdue",
    checklistItem: "",
    defaultSeverity: "warning",
    description: "The checklist's Next Review date is in the past.",
    scope: "all",
    appliesTo: "checklist",
    messages: {
      overdue: "The checklist review was due on {{date}} ({{days}} days ago).",
    },
    docs: {
      why:
        "A readiness checklist is only true on the day it was reviewed: dependencies, routes and infrastructure change every week. A review date that has passed means the ticks in the file may no longer describe the service.",
      howToFix: "Review the checklist with the team, update the ticks, and set `**Next Review**:` to the next date (ISO format, `YYYY-MM-DD`).",
      valid: [{ code: `**Next Review**: 2999-01-01` }],
      invalid: [{ code: `**Next Review**: 2020-01-15` }],
    },
  },
  create: () => ({}),
  checkChecklist(document, now) {
    const review = document.nextReview;
    if (!review?.date || review.date.getTime() >= now.getTime()) return [];
    const days = Math.floor((now.getTime() - review.date.getTime()) / 86_400_000);
    if (days < 1) return [];
    return [{ line: review.line, column: review.column, endColumn: review.column + review.text.length, messageId: "overdue", data: { date: review.text, days } }];
  },
};
