import type { Rule } from "../types";

/** `[Date]`, `[Security Team Contact]`-style placeholders left in the team's checklist file. */
export const checklistPlaceholder: Rule = {
  meta: {
    id: "checklist-placeholder",
    checklistItem: "",
    defaultSeverity: "warning",
    description: "A placeholder such as [Date] or [Security Team Contact] is still unfilled in the checklist file.",
    scope: "all",
    appliesTo: "checklist",
    messages: {
      placeholder: "Placeholder {{text}} is not filled in yet.",
    },
    docs: {
      why:
        "The escalation contacts and review dates are what people reach for during an incident. A checklist that still says `[On-Call Contact]` on launch day means nobody knows who to page, and `[Date]` means nobody owns the next review.",
      howToFix: "Replace each placeholder with the real value: a named person or rotation with a way to reach them (`Security Issues: security@acme.io, #sec-oncall`), and real dates (`2026-12-01`).",
      valid: [{ code: `- **Security Issues**: security@acme.io (#sec-oncall)\n**Last Updated**: 2026-11-20` }],
      invalid: [
        { code: `- **Security Issues**: [Security Team Contact]` },
        { code: `**Last Updated**: [Date]` },
      ],
    },
  },
  create: () => ({}),
  checkChecklist(document) {
    return document.placeholders.map((placeholder) => ({
      line: placeholder.line,
      column: placeholder.column,
      endColumn: placeholder.column + placeholder.text.length,
      messageId: "placeholder",
      data: { text: placeholder.text },
    }));
  },
};
