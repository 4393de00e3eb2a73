import ts = require("typescript");
import { getProperty, isEnvironmentGuarded, staticString, unwrap } from "../ast";
import type { Fix, Rule, TextEdit } from "../types";
import { constantInitializer, objectOf, overriddenBySpread, recordReassignment } from "./support/cors";
import { type HelmetUse, helmetUseFilter, helmetUseOf } from "./support/helmet";
import { headerAssignments, type HeaderAssignment, maySetHeaders } from "./support/http-headers";

/** 180 days: the floor below which browsers forget HSTS between visits too easily (and helmet v4's default). */
const MIN_MAX_AGE = 15552000;
const ONE_YEAR = 31536000;
const ENABLED_SIGNAL = "security.hsts:enabled";

/** The value of a simple numeric constant expression: `31536000`, `60 * 60 * 24 * 365`, a same-file `const`. */
export function evaluateNumber(expression: ts.Expression, reassigned: ReadonlySet<string> = new Set(), depth = 0): number | undefined {
  const node = unwrap(expression);
  if (depth > 4) return undefined;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const value = evaluateNumber(node.operand, reassigned, depth + 1);
    return value === undefined ? undefined : -value;
  }
  if (ts.isBinaryExpression(node)) {
    const left = evaluateNumber(node.left, reassigned, depth + 1);
    const right = evaluateNumber(node.right, reassigned, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return left * right;
      case ts.SyntaxKind.PlusToken:
        return left + right;
      case ts.SyntaxKind.MinusToken:
        return left - right;
      case ts.SyntaxKind.SlashToken:
        return right === 0 ? undefined : left / right;
      default:
        return undefined;
    }
  }
  if (ts.isIdentifier(node)) {
    const initializer = constantInitializer(node, reassigned);
    return initializer ? evaluateNumber(initializer, reassigned, depth + 1) : undefined;
  }
  return undefined;
}

function describeSeconds(seconds: number): string {
  if (seconds >= 86400) {
    const days = Math.round((seconds / 86400) * 10) / 10;
    return `${seconds} seconds, ${days} day${days === 1 ? "" : "s"}`;
  }
  if (seconds >= 3600) {
    const hours = Math.round((seconds / 3600) * 10) / 10;
    return `${seconds} seconds, ${hours} hour${hours === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/** Deletes a property from an object literal, with its comma (and its line when it stands alone). */
function removePropertyEdit(text: string, sourceFile: ts.SourceFile, object: ts.ObjectLiteralExpression, property: ts.ObjectLiteralElementLike): TextEdit {
  const properties = object.properties;
  const index = properties.indexOf(property);
  const start = property.getStart(sourceFile);
  let end = property.getEnd();
  // The comma after it, if any.
  let afterComma = end;
  while (afterComma < text.length && (text[afterComma] === " " || text[afterComma] === "\t")) afterComma++;
  if (text[afterComma] === ",") end = afterComma + 1;
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === " " || text[lineStart - 1] === "\t")) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === " " || text[lineEnd] === "\t")) lineEnd++;
  const alone = (lineStart === 0 || text[lineStart - 1] === "\n") && (text[lineEnd] === "\n" || text[lineEnd] === "\r");
  if (alone) {
    const next = text[lineEnd] === "\r" && text[lineEnd + 1] === "\n" ? lineEnd + 2 : lineEnd + 1;
    return { start: lineStart, end: next, newText: "" };
  }
  const following = properties[index + 1];
  if (following) return { start, end: following.getStart(sourceFile), newText: "" };
  const previous = properties[index - 1];
  if (previous) return { start: previous.getEnd(), end: property.getEnd(), newText: "" };
  return { start, end, newText: "" };
}

export const hstsDisabled: Rule = {
  meta: {
    id: "hsts-disabled",
    checklistItem: "security.hsts",
    defaultSeverity: "warning",
    description: "HSTS is turned off in helmet, or sent with a max-age under 180 days.",
    scope: "production",
    fixable: true,
    triggers: ["helmet", "Helmet", "hsts", "strictTransportSecurity", "Strict-Transport-Security", "strict-transport-security"],
    messages: {
      disabled:
        "HSTS is turned off (`{{property}}: false`): browsers keep accepting plain-HTTP connections to this site, so a first request on a hostile network can be downgraded and its cookies and credentials read.",
      shortMaxAge:
        "HSTS max-age is {{duration}}; browsers forget the HTTPS-only rule after that, and anything under 180 days (15552000 s) leaves users open to downgrade attacks between visits. Use at least 31536000 (one year).",
      zeroMaxAge: "HSTS max-age=0 tells browsers to forget this site's HTTPS-only rule, reopening plain-HTTP downgrade attacks.",
    },
    docs: {
      why:
        "`Strict-Transport-Security` tells browsers to use HTTPS only for this site for `max-age` seconds. Without it (or with a short max-age that lapses between visits) a user who types the domain, follows an old `http://` link, or sits on hostile Wi-Fi can be served over plain HTTP, where an attacker strips TLS and reads or changes the traffic, including session cookies. helmet sends HSTS by default (one year in helmet 5+); turning it off, or shortening it below 180 days, removes that protection.",
      howToFix:
        "Leave helmet's default on, or configure it explicitly with at least 180 days — one year is the usual value (and required for browser preload lists):\n\n```ts\napp.use(helmet({ hsts: { maxAge: 31536000, includeSubDomains: true } }));\n// by hand\nres.setHeader(\"Strict-Transport-Security\", \"max-age=31536000; includeSubDomains\");\n```\n\nIf a proxy or CDN in front of the service already sends HSTS, say so in a suppression comment.",
      valid: [
        { note: "helmet's defaults include HSTS.", code: `import helmet from "helmet";\n\napp.use(helmet());` },
        {
          note: "One year, as an expression.",
          code: `import helmet from "helmet";\n\napp.use(helmet({ hsts: { maxAge: 60 * 60 * 24 * 365, includeSubDomains: true, preload: true } }));`,
        },
        {
          note: "Enabled in production only.",
          code: `import helmet from "helmet";\n\napp.use(helmet({ hsts: process.env.NODE_ENV === "production" }));`,
        },
      ],
      invalid: [
        { note: "HSTS turned off.", code: `import helmet from "helmet";\n\napp.use(helmet({ hsts: false, contentSecurityPolicy: false }));` },
        { note: "One day.", code: `import helmet from "helmet";\n\napp.use(helmet.hsts({ maxAge: 86400 }));` },
        {
          note: "Set by hand with a short max-age.",
          code: `app.use((req, res, next) => {\n  res.setHeader("Strict-Transport-Security", "max-age=3600; includeSubDomains");\n  next();\n});`,
        },
      ],
    },
  },
  create(context) {
    const uses: HelmetUse[] = [];
    const headers: HeaderAssignment[] = [];
    const reassigned = new Set<string>();
    const mayUseHelmet = helmetUseFilter(context);
    const { text, sourceFile } = context;

    /** Checks `{ maxAge }` (helmet.hsts options or helmet's `hsts` option): `ok`, `short` (reported) or `unknown`. */
    const checkMaxAge = (options: ts.ObjectLiteralExpression): "ok" | "short" | "unknown" => {
      const property = getProperty(options, "maxAge");
      if (!property) return "ok";
      if (!ts.isPropertyAssignment(property) || overriddenBySpread(options, property)) return "unknown";
      const seconds = evaluateNumber(property.initializer, reassigned);
      if (seconds === undefined) return "ok"; // from the environment or a helper: trust it
      if (seconds >= MIN_MAX_AGE) return "ok";
      if (isEnvironmentGuarded(property.initializer)) return "unknown";
      const fix: Fix = {
        title: "Set HSTS max-age to one year",
        edits: [{ start: property.initializer.getStart(sourceFile), end: property.initializer.getEnd(), newText: String(ONE_YEAR) }],
        preferred: true,
      };
      if (seconds <= 0) context.report({ node: property.initializer, messageId: "zeroMaxAge", fixes: [fix] });
      else context.report({ node: property.initializer, messageId: "shortMaxAge", data: { duration: describeSeconds(seconds) }, fixes: [fix] });
      return "short";
    };

    const checkUse = (use: HelmetUse) => {
      if (use.kind === "part") {
        if (use.part !== "hsts" && use.part !== "strictTransportSecurity") return;
        if (!use.argument) return context.signal(ENABLED_SIGNAL, use.call, `helmet.${use.part}`);
        if (use.options && checkMaxAge(use.options) === "ok") context.signal(ENABLED_SIGNAL, use.call, `helmet.${use.part}`);
        return;
      }
      if (!use.argument) return context.signal(ENABLED_SIGNAL, use.call, "helmet defaults");
      const options = use.options;
      if (!options) return; // options from elsewhere
      const hsts = getProperty(options, "strictTransportSecurity") ?? getProperty(options, "hsts");
      if (!hsts) {
        if (!options.properties.some((property) => ts.isSpreadAssignment(property))) context.signal(ENABLED_SIGNAL, use.call, "helmet defaults");
        return;
      }
      if (!ts.isPropertyAssignment(hsts) || overriddenBySpread(options, hsts)) return;
      const value = unwrap(hsts.initializer);
      const name = ts.isIdentifier(hsts.name) || ts.isStringLiteral(hsts.name) ? hsts.name.text : "hsts";
      if (value.kind === ts.SyntaxKind.FalseKeyword) {
        if (isEnvironmentGuarded(value)) return; // e.g. helmet set up differently outside production
        context.report({
          node: hsts,
          messageId: "disabled",
          data: { property: name },
          fixes: [
            { title: `Remove \`${name}: false\` (helmet's default HSTS)`, edits: [removeEdit(use, options, hsts)], preferred: true },
            {
              title: "Enable HSTS for one year",
              edits: [{ start: hsts.initializer.getStart(sourceFile), end: hsts.initializer.getEnd(), newText: "{ maxAge: 31536000, includeSubDomains: true }" }],
            },
          ],
        });
        return;
      }
      const hstsOptions = objectOf(hsts.initializer, use.call);
      if (hstsOptions && checkMaxAge(hstsOptions) !== "ok") return;
      context.signal(ENABLED_SIGNAL, use.call, "helmet");
    };

    /** Removing the only property removes the whole options argument when it is written inline. */
    const removeEdit = (use: HelmetUse, options: ts.ObjectLiteralExpression, property: ts.ObjectLiteralElementLike): TextEdit => {
      const args = use.call.arguments;
      const last = args[args.length - 1];
      if (options.properties.length === 1 && last && unwrap(last) === options) {
        const from = args.length > 1 ? args[args.length - 2].getEnd() : use.call.expression.getEnd() + text.slice(use.call.expression.getEnd()).indexOf("(") + 1;
        const to = args.hasTrailingComma ? text.indexOf(",", last.getEnd()) + 1 : last.getEnd();
        return { start: from, end: to, newText: "" };
      }
      return removePropertyEdit(text, sourceFile, options, property);
    };

    const checkHeader = (header: HeaderAssignment) => {
      if (!header.value || isEnvironmentGuarded(header.call)) return;
      let value = unwrap(header.value);
      if (ts.isIdentifier(value)) {
        const initializer = constantInitializer(value, reassigned);
        if (initializer) value = unwrap(initializer);
      }
      let seconds: number | undefined;
      let fixRange: { start: number; end: number } | undefined;
      const literal = staticString(value);
      if (literal !== undefined) {
        const raw = text.slice(value.getStart(sourceFile), value.getEnd());
        const match = /max-age\s*=\s*"?(\d+)/i.exec(raw);
        if (!match) return;
        seconds = Number(match[1]);
        const digitsAt = value.getStart(sourceFile) + match.index + match[0].length - match[1].length;
        fixRange = { start: digitsAt, end: digitsAt + match[1].length };
      } else if (ts.isTemplateExpression(value) && /max-age\s*=\s*$/i.test(value.head.text)) {
        seconds = evaluateNumber(value.templateSpans[0].expression, reassigned);
      }
      if (seconds === undefined) return;
      if (seconds >= MIN_MAX_AGE) return context.signal(ENABLED_SIGNAL, header.call, "header");
      const fixes: Fix[] = fixRange ? [{ title: "Set HSTS max-age to one year", edits: [{ ...fixRange, newText: String(ONE_YEAR) }], preferred: true }] : [];
      if (seconds <= 0) context.report({ node: header.value, messageId: "zeroMaxAge", fixes });
      else context.report({ node: header.value, messageId: "shortMaxAge", data: { duration: describeSeconds(seconds) }, fixes });
    };

    return {
      [ts.SyntaxKind.BinaryExpression](node: ts.BinaryExpression) {
        recordReassignment(node, reassigned);
      },
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        // Most calls are neither: skip them on the callee's kind and names alone.
        if (!mayUseHelmet(node) && !maySetHeaders(node)) return;
        const use = helmetUseOf(context, node);
        if (use) {
          uses.push(use);
          return;
        }
        for (const assignment of headerAssignments(node)) if (assignment.name === "strict-transport-security") headers.push(assignment);
      },
      onEnd() {
        for (const use of uses) checkUse(use);
        for (const header of headers) checkHeader(header);
      },
    };
  },
};
