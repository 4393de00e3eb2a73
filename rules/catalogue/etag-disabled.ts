import ts = require("typescript");
import { calleeName, deletionEdit, staticString, unwrap } from "../ast";
import type { Rule } from "../types";

/** Express apps: `app.set("etag", false)`, `app.disable("etag")`. */
export const etagDisabled: Rule = {
  meta: {
    id: "etag-disabled",
    checklistItem: "performance.etags",
    defaultSeverity: "warning",
    description: "Express ETags are turned off, so clients re-download unchanged responses.",
    scope: "production",
    fixable: true,
    triggers: ["etag"],
    messages: {
      disabled: "ETags are disabled here; clients can no longer revalidate cached responses (304 Not Modified).",
    },
    docs: {
      why:
        "Express sends a weak ETag with every response by default, so browsers and API clients can revalidate with `If-None-Match` and get a body-less `304 Not Modified`. Turning ETags off makes every poll download the full body again: more bandwidth, slower clients, more load on the service.",
      howToFix:
        "Remove the call (Express's default weak ETags come back), or set `app.set(\"etag\", \"strong\")` if you need byte-exact validators. If a route must never be cached, send `Cache-Control: no-store` on that route instead of disabling validation for the whole app.",
      valid: [
        { note: "The default: weak ETags.", code: `const app = express();\napp.use(express.json());` },
        { note: "Strong ETags.", code: `app.set("etag", "strong");` },
        { note: "Other settings are unrelated.", code: `app.disable("x-powered-by");` },
      ],
      invalid: [
        { code: `app.set("etag", false);` },
        { code: `app.disable("etag");` },
        { code: `server.set('etag', false) // in a Nest app: app.getHttpAdapter().getInstance()` },
      ],
    },
  },
  create(context) {
    return {
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        const method = calleeName(node);
        if (method !== "set" && method !== "disable") return;
        if (!ts.isPropertyAccessExpression(unwrap(node.expression))) return;
        if (staticString(node.arguments[0])?.toLowerCase() !== "etag") return;
        if (method === "set") {
          const value = node.arguments[1] && unwrap(node.arguments[1]);
          if (!value || value.kind !== ts.SyntaxKind.FalseKeyword) return;
        } else if (node.arguments.length !== 1) {
          return;
        }
        const statement = node.parent && ts.isExpressionStatement(node.parent) ? node.parent : undefined;
        context.report({
          node,
          messageId: "disabled",
          fixes: statement
            ? [{ title: "Remove the call (restore Express's default ETags)", edits: [deletionEdit(context.text, statement.getStart(context.sourceFile), statement.getEnd())], preferred: true }]
            : [],
        });
      },
    };
  },
};
