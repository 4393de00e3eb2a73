import type { Rule } from "../types";

/** Reported by the engine itself when a suppression comment suppresses nothing; no visitors. */
export const unusedSuppression: Rule = {
  meta: {
    id: "unused-suppression",
    checklistItem: "",
    defaultSeverity: "hint",
    description: "A readiness-disable comment that suppresses no finding.",
    scope: "all",
    fixable: true,
    messages: {},
    docs: {
      why:
        "A suppression comment that no longer suppresses anything hides nothing today but will silently hide the next real problem on that line. Stale suppressions also teach readers that a problem exists where none does.",
      howToFix: "Delete the comment (the quick fix does), or correct the rule id it names.",
      valid: [
        {
          note: "The comment suppresses a real finding on the next line.",
          code: `// readiness-disable-next-line console-logging -- CLI banner, not server output
console.log("listening on", port);`,
        },
      ],
      invalid: [
        {
          note: "Nothing on the next line is reported by console-logging.",
          code: `// readiness-disable-next-line console-logging
logger.info({ port }, "listening");`,
        },
        {
          note: "The rule id is misspelled.",
          code: `// readiness-disable-next-line console-loging
console.log("listening on", port);`,
        },
      ],
    },
  },
  create: () => ({}),
};
