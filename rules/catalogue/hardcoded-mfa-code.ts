import ts = require("typescript");
import { findDescendant, findVariableInitializer, importsOf, isEnvironmentGuarded, redact, unwrap } from "../ast";
import type { Fix, Rule } from "../types";
import { bindingOf, envVarRead, functionName, identifierWords, lastName } from "./support/secret-binding";

/**
 * A fixed MFA/OTP code: a 4–8 digit literal bound to an MFA-named constant, or compared with the code
 * a user submitted (a bypass that lets anyone who knows the digits past the second factor).
 */

/** Words that make a name about one-time / second-factor codes. */
const MFA_MARKERS = new Set(["mfa", "otp", "totp", "hotp", "2fa", "tfa", "twofa", "passcode", "verification", "sms", "bypass"]);
/** The last word of a name that holds a code (not its length, TTL or attempt count). */
const CODE_WORDS = new Set(["code", "otp", "totp", "hotp", "mfa", "2fa", "tfa", "twofa", "token", "pin", "passcode", "bypass"]);
/** A necessary condition for the last word of a name being one of `CODE_WORDS` (plural allowed). */
const ENDS_WITH_CODE_WORD = new RegExp(`(?:${[...CODE_WORDS].join("|")})s?[^a-z0-9]*$`, "iu");
/** A submitted value with a generic name: only a code when the surroundings are about MFA. */
const GENERIC_CODE_NAMES = new Set(["code", "token", "pin", "value", "input"]);
/** `err.code === "23505"`, `res.statusCode`: error and status codes, never a one-time code. */
const NOT_SUBMITTED_ROOTS = /^(?:err|error|e|ex|exception|res|response|reply|status|result|event|evt|ws|socket|close|exit)$/i;
const MFA_ROUTE = /(?:^|[^a-z])(?:mfa|otp|totp|2fa|two-?factor|verify|verification|passcode)(?:[^a-z]|$)/i;
const TOTP_CALL = /totp|otp|authenticator|speakeasy|mfa|twofactor|2fa/i;
const DIGITS = /^\d{4,8}$/;

const TOTP_MODULES = ["otplib", "@otplib/core", "@otplib/preset-default", "speakeasy", "otpauth", "notp", "node-2fa", "totp-generator", "@levminer/speakeasy"];

/** Whether an identifier names a one-time / MFA code: `DEV_MFA_CODE`, `bypassOtp`, `verificationCode` (not `MFA_CODE_LENGTH`). */
export function isMfaCodeName(name: string): boolean {
  // The last word must be a code word (`identifierWords` is costly, and this runs for most names compared).
  if (!ENDS_WITH_CODE_WORD.test(name)) return false;
  const words = identifierWords(name);
  if (words.length === 0) return false;
  // `BYPASS_CODES`, `backupOtps`: a list of codes is as fixed as one.
  const word = words[words.length - 1];
  const last = CODE_WORDS.has(word) ? word : word.replace(/s$/, "");
  if (!CODE_WORDS.has(last)) return false;
  const joined = words.join("");
  return words.some((each) => MFA_MARKERS.has(each)) || /twofactor|secondfactor|onetime|2fa|twofa/.test(joined) || (last === "code" && words.includes("verify"));
}

function digitCode(node: ts.Expression): string | undefined {
  const value = unwrap(node);
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) || ts.isNumericLiteral(value)) {
    return DIGITS.test(value.text) ? value.text : undefined;
  }
  return undefined;
}

/** `Number(otp)`, `String(code)`, `parseInt(code, 10)`, `code.trim()` → the value converted. */
function unwrapConversion(expression: ts.Expression): ts.Expression {
  if (!ts.isCallExpression(expression)) return expression;
  const callee = expression.expression;
  if (ts.isIdentifier(callee) && /^(?:Number|String|parseInt|parseFloat)$/.test(callee.text) && expression.arguments.length > 0) return unwrap(expression.arguments[0]);
  if (ts.isPropertyAccessExpression(callee) && /^(?:trim|toString)$/.test(callee.name.text) && expression.arguments.length === 0) return unwrap(callee.expression);
  return expression;
}

function isAboutMfa(name: string | undefined): boolean {
  if (!name) return false;
  const words = identifierWords(name);
  return words.some((word) => MFA_MARKERS.has(word) || word === "verify") || /twofactor|2fa|twofa/.test(words.join(""));
}

interface Declaration {
  node: ts.Node;
  name: string;
  value: string;
  /** A module-level/local `const`/`let` whose uses can be counted in this file. */
  countable: boolean;
}

export const hardcodedMfaCode: Rule = {
  meta: {
    id: "hardcoded-mfa-code",
    checklistItem: "security.hardcoded-mfa",
    defaultSeverity: "error",
    description: "A fixed MFA/OTP verification code that bypasses the second factor.",
    scope: "production",
    fixable: true,
    triggers: [
      "mfa", "Mfa", "MFA", "otp", "Otp", "OTP", "2fa", "2FA", "tfa", "Tfa", "TFA", "woFactor", "wo_factor", "WO_FACTOR", "woFA", "woFa",
      "erif", "ERIF", "asscode", "ASSCODE", "ypass", "YPASS", "sms", "Sms", "SMS", "speakeasy",
    ],
    messages: {
      constant: 'Fixed MFA code "{{value}}" in {{name}}: anyone who knows it passes two-factor authentication. Verify a real TOTP/OTP instead.',
      comparison: 'The submitted code is compared with the fixed code "{{value}}": a bypass that lets anyone who knows it past two-factor authentication.',
      comparisonConstant: 'The submitted code is compared with {{name}} ("{{value}}"), a fixed code: a bypass that lets anyone who knows it past two-factor authentication.',
    },
    docs: {
      why:
        "A development shortcut such as `DEV_MFA_CODE = \"000000\"` that the verify endpoint accepts turns two-factor authentication into one factor plus a code anyone can read in the repository, the bundle or a leaked screenshot. It ships to production the day someone forgets the flag, and attackers with a stolen password try `000000` and `123456` first.",
      howToFix:
        "Verify time-based codes against a per-user secret, e.g. with `otplib`:\n\n```ts\nimport { authenticator } from \"otplib\";\n\n// enrolment: store the secret with the user, show authenticator.keyuri(email, \"Acme\", secret) as a QR code\nconst secret = authenticator.generateSecret();\n\n// verification\nif (!authenticator.check(req.body.code, user.mfaSecret)) {\n  return res.status(401).json({ error: \"Invalid code\" });\n}\n```\n\nFor automated tests, generate a real code from a test user's secret (`authenticator.generate(secret)`). If a fixed code must remain for local tests, the quick fix restricts the comparison to `process.env.NODE_ENV === \"test\"`.",
      valid: [
        {
          note: "TOTP verified with otplib; length, TTL and attempt limits are not codes.",
          code: `import { authenticator } from "otplib";\n\nconst MFA_CODE_LENGTH = 6;\nconst OTP_TTL_SECONDS = 300;\nconst MAX_OTP_ATTEMPTS = 5;\n\nexport function verifyMfa(code: string, secret: string) {\n  if (!/^\\d{6}$/.test(code) || code.length !== MFA_CODE_LENGTH) return false;\n  return authenticator.check(code, secret);\n}`,
        },
        {
          note: "Error and status codes are not one-time codes.",
          code: `try {\n  await users.insert(user);\n} catch (err: any) {\n  if (err.code === "23505" || err.code === 11000) return res.status(409).send("exists");\n  throw err;\n}`,
        },
      ],
      invalid: [
        {
          note: "A development code left in the verify handler.",
          code: `const DEV_MFA_CODE = "000000";\n\napp.post("/auth/mfa/verify", (req, res) => {\n  if (req.body.code === DEV_MFA_CODE) {\n    return res.json({ ok: true });\n  }\n  return res.status(401).json({ error: "Invalid code" });\n});`,
        },
        {
          note: "A bypass or-ed with the real check.",
          code: `import { authenticator } from "otplib";\n\nexport function verifyOtp(code: string, secret: string) {\n  if (code === "246810" || authenticator.check(code, secret)) {\n    return true;\n  }\n  return false;\n}`,
        },
        {
          note: "A fixed code in configuration.",
          code: `export const authConfig = {\n  issuer: "Acme",\n  mfaCode: "000000",\n};`,
        },
      ],
    },
  },
  create(context) {
    for (const binding of importsOf(context, ...TOTP_MODULES)) {
      context.signal("security.hardcoded-mfa:totp-library", binding.node, binding.module);
    }
    const declarations: Declaration[] = [];
    /** Constant name → comparisons that use it: guarded by an environment check or not. */
    const uses = new Map<string, { guarded: number }>();

    const checkLiteral = (node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.NumericLiteral) => {
      const text = node.text;
      if (text.length < 4 || text.length > 8 || !DIGITS.test(text)) return;
      const binding = bindingOf(node);
      if (binding.site === "other" || binding.site === "argument" || binding.site === "return") return;
      const names = [binding.name, binding.fallbackEnv, ...binding.fallbackNames].filter((name): name is string => name !== undefined);
      const name = names.find(isMfaCodeName);
      // `process.env.X || "000000"` is not a guard: check from the whole fallback expression.
      if (!name || isEnvironmentGuarded(binding.value)) return;
      const declaration = binding.value.parent;
      const countable =
        binding.site === "variable" &&
        !binding.fallback &&
        ts.isVariableDeclaration(declaration) &&
        !(ts.isVariableStatement(declaration.parent.parent) && declaration.parent.parent.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword));
      declarations.push({ node, name: binding.name ?? name, value: text, countable });
    };

    return {
      [ts.SyntaxKind.StringLiteral]: checkLiteral,
      [ts.SyntaxKind.NoSubstitutionTemplateLiteral]: checkLiteral,
      [ts.SyntaxKind.NumericLiteral]: checkLiteral,
      [ts.SyntaxKind.BinaryExpression](node: ts.BinaryExpression) {
        const operator = node.operatorToken.kind;
        const equality = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
        if (!equality && operator !== ts.SyntaxKind.ExclamationEqualsEqualsToken && operator !== ts.SyntaxKind.ExclamationEqualsToken) return;
        const fixed = fixedSide(node);
        if (!fixed) return;
        const submitted = unwrapConversion(unwrap(fixed.other));
        if (digitCode(submitted) !== undefined) return;
        const submittedName = lastName(submitted);
        if (!submittedName || envVarRead(submitted) !== undefined) return;
        if (!fixed.constant && !isSubmittedCode(submitted, submittedName, node)) return;
        if (fixed.constant && !isMfaCodeName(submittedName) && isNotSubmitted(submitted)) return;
        if (isEnvironmentGuarded(node)) {
          if (fixed.constant) {
            const entry = uses.get(fixed.constant) ?? { guarded: 0 };
            entry.guarded++;
            uses.set(fixed.constant, entry);
          }
          return;
        }
        const fixes = equality ? guardFix(node, fixed.quote) : [];
        if (fixed.constant) {
          context.report({ node, messageId: "comparisonConstant", data: { name: fixed.constant, value: redact(fixed.value) }, fixes });
        } else {
          context.report({ node, messageId: "comparison", data: { value: redact(fixed.value) }, fixes });
        }
      },
      onEnd() {
        for (const declaration of declarations) {
          if (declaration.countable && allUsesGuarded(declaration.name)) continue;
          context.report({ node: declaration.node, messageId: "constant", data: { name: declaration.name, value: redact(declaration.value) } });
        }
      },
    };

    /** A constant whose every use in this file is an environment-guarded comparison (the fixed form). */
    function allUsesGuarded(name: string): boolean {
      const guarded = uses.get(name)?.guarded ?? 0;
      if (guarded === 0) return false;
      const occurrences = context.text.match(new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`, "g"))?.length ?? 0;
      return occurrences - 1 === guarded;
    }

    /** Which side of a comparison is the fixed code: a 4–8 digit literal, or an MFA-named constant holding one. */
    function fixedSide(node: ts.BinaryExpression): { value: string; other: ts.Expression; constant?: string; quote: string } | undefined {
      for (const [side, other] of [
        [node.right, node.left],
        [node.left, node.right],
      ] as const) {
        const value = digitCode(side);
        if (value !== undefined) return { value, other, quote: quoteOf(side) };
        const expression = unwrap(side);
        if (ts.isIdentifier(expression) && isMfaCodeName(expression.text)) {
          // Children of the visited node have no parent yet: resolve from the comparison itself.
          const initializer = findVariableInitializer(node, expression.text);
          const constant = initializer && digitCode(initializer);
          if (constant !== undefined) return { value: constant, other, constant: expression.text, quote: quoteOf(initializer!) };
        }
      }
      return undefined;
    }

    function quoteOf(literal: ts.Node): string {
      const value = unwrap(literal as ts.Expression);
      if (ts.isStringLiteral(value)) return context.text[value.getStart(context.sourceFile)] === "'" ? "'" : '"';
      return context.text.includes("from '") || context.text.includes("require('") ? "'" : '"';
    }

    function isNotSubmitted(expression: ts.Expression): boolean {
      let root: ts.Expression = expression;
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
      return (ts.isIdentifier(root) && root !== expression && NOT_SUBMITTED_ROOTS.test(root.text)) || /status/i.test(lastName(expression) ?? "");
    }

    /** The other side of a literal comparison is the code a user submitted. */
    function isSubmittedCode(expression: ts.Expression, name: string, comparison: ts.BinaryExpression): boolean {
      if (isNotSubmitted(expression)) return false;
      if (isMfaCodeName(name)) return true;
      return GENERIC_CODE_NAMES.has(name.toLowerCase()) && inMfaContext(comparison);
    }

    /** Or-ed/and-ed with a TOTP check, or inside a function or route about MFA/verification. */
    function inMfaContext(comparison: ts.BinaryExpression): boolean {
      let top: ts.Node = comparison;
      while (
        top.parent &&
        (ts.isParenthesizedExpression(top.parent) ||
          (ts.isPrefixUnaryExpression(top.parent) && top.parent.operator === ts.SyntaxKind.ExclamationToken) ||
          (ts.isBinaryExpression(top.parent) &&
            (top.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken || top.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)))
      ) {
        top = top.parent;
      }
      if (top !== comparison) {
        const totpCall = findDescendant(top, (node) => ts.isCallExpression(node) && TOTP_CALL.test(node.expression.getText(context.sourceFile)));
        if (totpCall) return true;
      }
      for (let current: ts.Node | undefined = comparison.parent; current; current = current.parent) {
        if (!ts.isFunctionLike(current)) continue;
        if (isAboutMfa(functionName(current))) return true;
        const parent = current.parent;
        if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && parent && ts.isCallExpression(parent)) {
          if (parent.arguments.some((argument) => ts.isStringLiteralLike(argument) && MFA_ROUTE.test(argument.text))) return true;
        }
        if (ts.isMethodDeclaration(current)) {
          const decorators = ts.canHaveDecorators(current) ? (ts.getDecorators(current) ?? []) : [];
          for (const decorator of decorators) {
            const expression = decorator.expression;
            if (ts.isCallExpression(expression) && expression.arguments.some((argument) => ts.isStringLiteralLike(argument) && MFA_ROUTE.test(argument.text))) return true;
          }
        }
      }
      return false;
    }

    /** `if (code === FIXED || check(code))` → `if ((process.env.NODE_ENV === "test" && code === FIXED) || check(code))`. */
    function guardFix(comparison: ts.BinaryExpression, quote: string): Fix[] {
      let child: ts.Node = comparison;
      let parent = comparison.parent;
      while (parent && (ts.isParenthesizedExpression(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.BarBarToken))) {
        child = parent;
        parent = parent.parent;
      }
      if (!parent || !ts.isIfStatement(parent) || parent.expression !== child) return [];
      const text = comparison.getText(context.sourceFile);
      const guarded = `process.env.NODE_ENV === ${quote}test${quote} && ${text}`;
      const bare = child === comparison || ts.isParenthesizedExpression(comparison.parent);
      return [
        {
          title: "Accept the fixed code only when NODE_ENV is test",
          edits: [
            {
              start: comparison.getStart(context.sourceFile),
              end: comparison.getEnd(),
              newText: bare ? guarded : `(${guarded})`,
            },
          ],
          preferred: true,
        },
      ];
    }
  },
};
