import ts = require("typescript");
import {
  calleeName,
  enclosingFunction,
  expressionPath,
  forEachDescendant,
  functionDeclaration,
  getProperty,
  getPropertyValue,
  isEnvironmentGuarded,
  lineIndentAt,
  lineStartAt,
  newlineOf,
  readsEnvironment,
  staticString,
  unwrap,
} from "../ast";
import type { Fix, Rule, TextEdit } from "../types";
import {
  allowsCredentials,
  constantInitializer,
  type CorsSetup,
  corsSetupOf,
  detachedOptionsVisitors,
  localNames,
  originChecks,
  overriddenBySpread,
  isReflectedOrigin,
  corsSetupFilter,
} from "./support/cors";
import { type HeaderAssignment, headerAssignments, maySetHeaders } from "./support/http-headers";

/** Read once: `ts` is a namespace of getters, and these checks run for every call of a file. */
const Kind = ts.SyntaxKind;

const LOCAL_HOST = String.raw`(?:localhost|(?:[\w-]+\.)+localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1\])`;
/** A whole origin (or bare host) on the local machine: `http://localhost:3000`, `127.0.0.1`, `http://[::1]:8080/`. */
const LOCAL_ORIGIN = new RegExp(String.raw`^(?:https?://)?${LOCAL_HOST}(?::(?:\d+|\*))?/?$`, "i");
/** The start of one, completed at run time: `http://localhost:${PORT}`, `"http://localhost:" + port`. */
const LOCAL_ORIGIN_PREFIX = new RegExp(String.raw`^(?:https?://)?${LOCAL_HOST}(?::|/|$)`, "i");
const REGEX_MENTIONS_LOCAL = /localhost|127\\?\.0\\?\.0\\?\.1|0\\?\.0\\?\.0\\?\.0|::1/i;
const REGEX_SAMPLES = [
  "http://localhost:3000",
  "http://localhost",
  "https://localhost:3000",
  "http://127.0.0.1:3000",
  "http://127.0.0.1",
  "http://0.0.0.0:3000",
  "http://[::1]:3000",
];

/** The local origin a literal allows, if it allows one. */
export function localOriginOf(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    const value = node.text.trim();
    if (LOCAL_ORIGIN.test(value)) return value;
    // "https://app.example.com,http://localhost:3000" (split later)
    if (value.includes(",")) {
      const parts = value.split(/[\s,]+/).filter(Boolean);
      if (parts.every((part) => /^https?:\/\//i.test(part))) return parts.find((part) => LOCAL_ORIGIN.test(part));
    }
    return undefined;
  }
  if (ts.isTemplateExpression(node)) return LOCAL_ORIGIN_PREFIX.test(node.head.text) ? node.getText() : undefined;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    let left: ts.Expression = node;
    while (ts.isBinaryExpression(left) && left.operatorToken.kind === ts.SyntaxKind.PlusToken) left = unwrap(left.left);
    const head = staticString(left);
    return head !== undefined && LOCAL_ORIGIN_PREFIX.test(head) ? node.getText() : undefined;
  }
  if (ts.isRegularExpressionLiteral(node)) {
    const text = node.text;
    const slash = text.lastIndexOf("/");
    const source = text.slice(1, slash);
    if (!REGEX_MENTIONS_LOCAL.test(source)) return undefined;
    try {
      const pattern = new RegExp(source, text.slice(slash + 1).replace(/[gy]/g, ""));
      return REGEX_SAMPLES.some((sample) => pattern.test(sample)) ? text : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * `config.get("CORS_ORIGIN") ?? "http://localhost:3000"` (a default for when configuration says nothing), or
 * `hostname === "localhost" && isDevelopment` (an environment check on either side of `&&`).
 */
function isConfigOrEnvironmentCondition(node: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    // configService.get("CORS_ORIGIN", "http://localhost:3000")
    if (ts.isCallExpression(current) && current.arguments.indexOf(child as ts.Expression) > 0 && CONFIG_GETTER.test(calleeName(current) ?? "")) return true;
    if (ts.isBinaryExpression(current)) {
      const operator = current.operatorToken.kind;
      if (
        child === current.right &&
        (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) &&
        isValueRead(current.left) &&
        readsConfiguration(current.left)
      ) {
        return true;
      }
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken && isEnvironmentCheck(child === current.left ? current.right : current.left)) return true;
    }
    if (ts.isFunctionLike(current) || ts.isStatement(current)) return false;
  }
  return false;
}

const CONFIG_GETTER = /^(get|getOrThrow|getString|getValue)$/;

function readsConfiguration(expression: ts.Expression): boolean {
  if (readsEnvironment(expression)) return true;
  let found = false;
  forEachDescendant(expression, (node) => {
    if (ts.isCallExpression(node) && CONFIG_GETTER.test(calleeName(node) ?? "")) found = true;
    return !found;
  });
  const value = unwrap(expression);
  return found || (ts.isCallExpression(value) && CONFIG_GETTER.test(calleeName(value) ?? ""));
}

const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** A value (`process.env.X`, `config.get("x")?.split(",")`), not a test (`origin === x`, `!origin`), on the left of a `||`/`??` fallback. */
function isValueRead(expression: ts.Expression): boolean {
  const value = unwrap(expression);
  if (ts.isPrefixUnaryExpression(value)) return false;
  if (!ts.isBinaryExpression(value)) return true;
  const operator = value.operatorToken.kind;
  if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) return isValueRead(value.left) && isValueRead(value.right);
  return false;
}

/**
 * A condition that tells environments apart (`isProduction`, `process.env.NODE_ENV !== "production"`), as
 * opposed to one that compares the request against configuration (`origin === process.env.FRONTEND_URL`).
 */
function isEnvironmentCheck(condition: ts.Expression): boolean {
  if (!readsEnvironment(condition)) return false;
  const value = unwrap(condition);
  if (ts.isBinaryExpression(value) && COMPARISONS.has(value.operatorToken.kind)) {
    const left = readsEnvironment(value.left);
    const right = readsEnvironment(value.right);
    if (left !== right) {
      const other = unwrap(left ? value.right : value.left);
      return staticString(other) !== undefined || other.kind === ts.SyntaxKind.TrueKeyword || other.kind === ts.SyntaxKind.FalseKeyword;
    }
  }
  return true;
}

/**
 * `isEnvironmentGuarded` (rules/ast.ts), except that comparing the request with a configured value
 * (`if (origin === process.env.FRONTEND_URL || origin === "http://localhost:3000")`) is not a guard.
 */
function isEnvironmentOnly(node: ts.Node): boolean {
  if (!isEnvironmentGuarded(node)) return false;
  let child: ts.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (ts.isIfStatement(current) && child !== current.expression && isEnvironmentCheck(current.expression)) return true;
    if (ts.isConditionalExpression(current) && child !== current.condition && isEnvironmentCheck(current.condition)) return true;
    if (ts.isBinaryExpression(current) && child === current.right) {
      const operator = current.operatorToken.kind;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken && isEnvironmentCheck(current.left)) return true;
      if ((operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) && isValueRead(current.left) && readsEnvironment(current.left)) {
        return true;
      }
    }
    if (ts.isCaseClause(current) && ts.isCaseBlock(current.parent) && readsEnvironment(current.parent.parent.expression)) return true;
    if (ts.isFunctionLike(current) && !ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) return false;
  }
  return false;
}

function isGuarded(node: ts.Node): boolean {
  return isEnvironmentOnly(node) || isConfigOrEnvironmentCondition(node);
}

interface Found {
  origin: string;
  /** True once any path to it is not behind an environment check. */
  unguarded: boolean;
  credentials: boolean;
  /** The origin property whose whole value is this literal (for the ternary fix). */
  wholeValue?: { property: ts.PropertyAssignment; setup: CorsSetup };
}

/** Methods through which an allow-list flows unchanged (or is checked). */
const PASS_THROUGH = /^(split|trim|filter|concat|map|flat|slice|includes|indexOf|has|some|find|test|startsWith|endsWith|match|exec|every)$/;

export const corsAllowsLocalhost: Rule = {
  meta: {
    id: "cors-allows-localhost",
    checklistItem: "security.cors",
    defaultSeverity: "warning",
    description: "CORS allows localhost origins in production.",
    scope: "production",
    fixable: true,
    triggers: ["localhost", "127.0.0.1", "127\\.0\\.0\\.1", "0.0.0.0", "0\\.0\\.0\\.0", "::1"],
    messages: {
      localhost:
        "CORS allows {{origin}} in production; any page on a developer's machine (or malware listening on that port) can call this API from a user's browser and read the responses.",
      localhostCredentials:
        "CORS allows {{origin}} in production, with credentials; any page on a developer's machine (or malware listening on that port) can call this API with the user's cookies and read the responses.",
    },
    docs: {
      why:
        "A CORS allow-list tells browsers which other websites may call your API and read the answers. `http://localhost:3000` is handy while developing, but in production it means any page served from `localhost` on a user's computer — a developer's side project, a local tool, or malware that opens a port — may call the API from that user's browser; with `credentials: true` those requests carry the user's session cookies. Localhost origins belong to development builds only.",
      howToFix:
        "Add localhost origins only outside production, or read the allow-list from the environment:\n\n```ts\nconst allowedOrigins = [\n  \"https://app.example.com\",\n  ...(process.env.NODE_ENV !== \"production\" ? [\"http://localhost:3000\"] : []),\n];\napp.use(cors({ origin: allowedOrigins, credentials: true }));\n\n// or\napp.use(cors({ origin: process.env.CORS_ORIGINS?.split(\",\") ?? [] }));\n```",
      valid: [
        {
          note: "Localhost only outside production.",
          code: `import cors from "cors";
import express from "express";

const app = express();
const isProduction = process.env.NODE_ENV === "production";
app.use(cors({ origin: isProduction ? ["https://app.example.com"] : ["http://localhost:5173"] }));`,
        },
        {
          note: "Origins from the environment.",
          code: `import cors from "cors";

app.use(cors({ origin: process.env.CORS_ORIGINS?.split(",") ?? [], credentials: true }));`,
        },
        {
          note: "A development-only spread.",
          code: `const allowedOrigins = [
  "https://app.example.com",
  ...(process.env.NODE_ENV !== "production" ? ["http://localhost:3000"] : []),
];
app.enableCors({ origin: allowedOrigins });`,
        },
      ],
      invalid: [
        {
          note: "A localhost entry in the allow-list.",
          code: `import cors from "cors";
import express from "express";

const app = express();
const allowedOrigins = ["https://app.example.com", "http://localhost:3000"];
app.use(cors({ origin: allowedOrigins, credentials: true }));`,
        },
        {
          note: "NestJS.",
          code: `async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors({ origin: "http://localhost:4200" });
  await app.listen(3000);
}`,
        },
        {
          note: "An origin callback whose list includes localhost.",
          code: `import cors from "cors";

const whitelist = ["https://example.com", "http://127.0.0.1:8080"];
app.use(cors({
  origin(origin, callback) {
    if (!origin || whitelist.includes(origin)) return callback(null, true);
    callback(new Error("Not allowed by CORS"));
  },
}));`,
        },
      ],
    },
  },
  create(context) {
    const setups: CorsSetup[] = [];
    const allowOriginHeaders: HeaderAssignment[] = [];
    const credentialHeaders: HeaderAssignment[] = [];
    const pushes = new Map<string, ts.CallExpression[]>();
    const reassigned = new Set<string>();
    const mayBeSetup = corsSetupFilter(context);

    const quote = (literal: ts.Node | undefined): string => {
      if (literal && (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal))) {
        const first = context.text[literal.getStart(context.sourceFile)];
        if (first === "'" || first === '"') return first;
      }
      return context.text.includes("from '") || context.text.includes("require('") ? "'" : '"';
    };
    const devOnly = (q: string) => `process.env.NODE_ENV !== ${q}production${q}`;
    const textOf = (node: ts.Node) => context.text.slice(node.getStart(context.sourceFile), node.getEnd());

    /** Moves every localhost entry of an allow-list array into one development-only spread. */
    const arrayFixes = new Map<ts.ArrayLiteralExpression, Fix | null>();
    const arrayFix = (array: ts.ArrayLiteralExpression): Fix | undefined => {
      if (arrayFixes.has(array)) return arrayFixes.get(array) ?? undefined;
      const fix = buildArrayFix(array);
      arrayFixes.set(array, fix ?? null);
      return fix;
    };
    const buildArrayFix = (array: ts.ArrayLiteralExpression): Fix | undefined => {
      const { text, sourceFile } = context;
      const elements = [...array.elements];
      const local = elements.filter((element) => localOriginOf(element) !== undefined && !isGuarded(element));
      if (local.length === 0) return undefined;
      const kept = elements.filter((element) => !local.includes(element));
      const spread = `...(${devOnly(quote(local.find((e) => ts.isStringLiteral(e))))} ? [${local.map(textOf).join(", ")}] : [])`;
      const title = "Allow the localhost origins only outside production";
      const open = array.getStart(sourceFile);
      const close = array.getEnd() - 1;
      const lineOf = (offset: number) => sourceFile.getLineAndCharacterOfPosition(offset).line;
      if (!text.slice(open, close + 1).includes("\n")) {
        // One line: rebuild it, unless comments sit between the entries.
        let previousEnd = open + 1;
        for (const element of elements) {
          if (!/^[\s,]*$/.test(text.slice(previousEnd, element.getStart(sourceFile)))) return undefined;
          previousEnd = element.getEnd();
        }
        if (!/^[\s,]*$/.test(text.slice(previousEnd, close))) return undefined;
        const newText = `[${[...kept.map(textOf), spread].join(", ")}]`;
        return { title, edits: [{ start: open, end: close + 1, newText }], preferred: true };
      }
      // One entry per line: delete the localhost lines, add the spread as the last entry.
      let previousLine = lineOf(open);
      for (const element of elements) {
        if (lineOf(element.getStart(sourceFile)) <= previousLine) return undefined;
        previousLine = lineOf(element.getEnd());
      }
      if (lineOf(close) <= previousLine) return undefined;
      const eol = newlineOf(text);
      const edits: TextEdit[] = [];
      for (const element of local) {
        const start = lineStartAt(text, element.getStart(sourceFile));
        let end = text.indexOf("\n", element.getEnd());
        end = end < 0 ? text.length : end + 1;
        edits.push({ start, end, newText: "" });
      }
      const trailingComma = array.elements.hasTrailingComma;
      const last = elements[elements.length - 1];
      if (!trailingComma && kept.includes(last)) edits.push({ start: last.getEnd(), end: last.getEnd(), newText: "," });
      const indent = lineIndentAt(text, elements[0].getStart(sourceFile));
      const closeLine = lineStartAt(text, close);
      edits.push({ start: closeLine, end: closeLine, newText: `${indent}${spread}${trailingComma ? "," : ""}${eol}` });
      return { title, edits, preferred: true };
    };

    const valueFix = (property: ts.PropertyAssignment, literal: ts.Node): Fix => {
      const q = quote(literal);
      const value = property.initializer;
      return {
        title: "Allow the localhost origin only outside production",
        edits: [
          {
            start: value.getStart(context.sourceFile),
            end: value.getEnd(),
            newText: `${devOnly(q)} ? ${textOf(value)} : process.env.CORS_ORIGIN`,
          },
        ],
        preferred: true,
      };
    };

    return {
      ...detachedOptionsVisitors(context.file, setups, reassigned),
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        // Most calls are none of these: skip them on the callee's kind and name alone.
        if (!mayBeSetup(node) && !maySetHeaders(node) && !isPushCall(node)) return;
        const setup = corsSetupOf(context, node);
        if (setup) {
          setups.push(setup);
          return;
        }
        for (const assignment of headerAssignments(node)) {
          if (assignment.name === "access-control-allow-origin") allowOriginHeaders.push(assignment);
          else if (assignment.name === "access-control-allow-credentials") credentialHeaders.push(assignment);
        }
        const method = calleeName(node);
        const callee = unwrap(node.expression);
        if ((method === "push" || method === "unshift") && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
          const list = pushes.get(callee.expression.text) ?? [];
          list.push(node);
          pushes.set(callee.expression.text, list);
        }
      },
      onEnd() {
        const found = new Map<ts.Node, Found>();

        const collect = (root: ts.Expression | ts.MethodDeclaration, top: ts.Node, credentials: boolean, wholeValue?: Found["wholeValue"]) => {
          const seen = new Set<ts.Node>();
          const topGuarded = isGuarded(top);
          const record = (literal: ts.Node, origin: string, via: readonly ts.Node[]) => {
            const unguarded = !topGuarded && !isGuarded(literal) && !via.some(isGuarded);
            const fresh: Found = { origin, unguarded: false, credentials: false };
            const entry = found.get(literal) ?? fresh;
            if (unguarded) {
              entry.unguarded = true;
              entry.credentials ||= credentials;
              if (wholeValue && unwrapChain(wholeValue.property.initializer, reassigned) === literal) entry.wholeValue = wholeValue;
            }
            found.set(literal, entry);
          };
          const scanFunction = (fn: ts.SignatureDeclaration, via: readonly ts.Node[], depth: number) => {
            const body = (fn as ts.FunctionLikeDeclaration).body;
            if (!body || seen.has(fn)) return;
            seen.add(fn);
            forEachDescendant(body, (node) => {
              const origin = localOriginOf(node);
              if (origin !== undefined) {
                record(node, origin, via);
                return "skip";
              }
              if (ts.isIdentifier(node) && isReference(node)) visit(node, via, depth + 1);
              else if (ts.isPropertyAccessExpression(node)) visit(node, via, depth + 1);
              return true;
            });
          };
          const visit = (expression: ts.Expression, via: readonly ts.Node[], depth: number): void => {
            if (depth > 8) return;
            const node = unwrap(expression);
            const origin = localOriginOf(node);
            if (origin !== undefined) {
              record(node, origin, via);
              return;
            }
            if (ts.isArrayLiteralExpression(node)) {
              for (const element of node.elements) visit(ts.isSpreadElement(element) ? element.expression : element, via, depth + 1);
            } else if (ts.isConditionalExpression(node)) {
              visit(node.whenTrue, via, depth + 1);
              visit(node.whenFalse, via, depth + 1);
            } else if (ts.isBinaryExpression(node)) {
              visit(node.left, via, depth + 1);
              visit(node.right, via, depth + 1);
            } else if (ts.isPrefixUnaryExpression(node)) {
              visit(node.operand, via, depth + 1);
            } else if (ts.isAwaitExpression(node)) {
              visit(node.expression, via, depth + 1);
            } else if (ts.isIdentifier(node)) {
              const initializer = constantInitializer(node, reassigned);
              if (initializer && !seen.has(initializer)) {
                seen.add(initializer);
                visit(initializer, [...via, node], depth + 1);
                for (const push of pushes.get(node.text) ?? []) for (const argument of push.arguments) visit(argument, [...via, node], depth + 1);
              } else if (!initializer && !reassigned.has(node.text)) {
                const declaration = functionDeclaration(node, node.text);
                if (declaration) scanFunction(declaration, [...via, node], depth);
              }
            } else if (ts.isPropertyAccessExpression(node)) {
              const object = objectAt(node.expression, reassigned, 0);
              const property = object && getProperty(object, node.name.text);
              if (property && ts.isPropertyAssignment(property) && !seen.has(property)) {
                seen.add(property);
                visit(property.initializer, [...via, node], depth + 1);
              } else if (property && ts.isMethodDeclaration(property)) {
                scanFunction(property, [...via, node], depth);
              }
            } else if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
              scanFunction(node, via, depth);
            } else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
              // new Set([...]), allowed.includes(origin), [...].filter(Boolean), isAllowed(origin), Array.from(...)
              const callee = unwrap(node.expression);
              let passes = ts.isNewExpression(node);
              if (ts.isIdentifier(callee) && ts.isCallExpression(node)) visit(callee, via, depth + 1);
              else if (ts.isPropertyAccessExpression(callee) && PASS_THROUGH.test(callee.name.text)) {
                visit(callee.expression, via, depth + 1);
                passes = true;
              } else if (/^(Array\.(from|of)|Object\.values)$/.test(expressionPath(callee) ?? "")) passes = true;
              if (passes) for (const argument of node.arguments ?? []) visit(argument, via, depth + 1);
            }
          };
          if (ts.isMethodDeclaration(root)) scanFunction(root, [], 0);
          else visit(root, [], 0);
        };

        for (const setup of setups) {
          if (!setup.options) continue;
          const property = getProperty(setup.options, "origin");
          if (!property || overriddenBySpread(setup.options, property)) continue;
          const credentials = allowsCredentials(setup.options);
          if (ts.isMethodDeclaration(property)) {
            collect(property, setup.call, credentials);
            continue;
          }
          const value = getPropertyValue(setup.options, "origin");
          if (!value) continue;
          const fixable = setup.library === "express" || setup.library === "fastify" || setup.library === "nest";
          collect(value, setup.call, credentials, fixable && ts.isPropertyAssignment(property) ? { property, setup } : undefined);
        }
        for (const header of allowOriginHeaders) {
          if (!header.value) continue;
          const fn = enclosingFunction(header.call);
          const credentials = credentialHeaders.some(
            (other) => enclosingFunction(other.call) === fn && other.value !== undefined && isTrue(other.value),
          );
          collect(header.value, header.call, credentials);
          if (isReflectedOrigin(header.value) || !staticString(header.value)) {
            for (const condition of originChecks(header.call, localNames(header.value))) collect(condition, header.call, credentials);
          }
        }

        for (const [literal, entry] of found) {
          if (!entry.unguarded) {
            context.signal("security.cors:localhost-dev-only", literal, entry.origin);
            continue;
          }
          const fixes: Fix[] = [];
          const array = literal.parent && ts.isArrayLiteralExpression(literal.parent) ? literal.parent : undefined;
          if (array) {
            const fix = arrayFix(array);
            if (fix) fixes.push(fix);
          } else if (entry.wholeValue) {
            fixes.push(valueFix(entry.wholeValue.property, literal));
          }
          context.report({
            node: literal,
            messageId: entry.credentials ? "localhostCredentials" : "localhost",
            data: { origin: entry.origin },
            fixes,
          });
        }
      },
    };
  },
};

/** `list.push(…)` / `list.unshift(…)` on a plain name (checked on the callee's kind before any unwrapping). */
function isPushCall(node: ts.CallExpression): boolean {
  const callee = node.expression;
  if (callee.kind !== Kind.PropertyAccessExpression) return callee.kind !== Kind.Identifier; // parentheses…: the full check decides
  const method = (callee as ts.PropertyAccessExpression).name.text;
  return method === "push" || method === "unshift";
}


/** An identifier is read here (not a declared name, a property name or a parameter). */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === node;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.initializer === node;
  if (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) return parent.initializer === node;
  if (ts.isArrowFunction(parent)) return parent.body === node;
  if (ts.isFunctionLike(parent) || ts.isClassLike(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent)) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  return !ts.isTypeNode(parent) && !ts.isTypeReferenceNode(parent);
}

function isTrue(expression: ts.Expression): boolean {
  const value = unwrap(expression);
  return value.kind === ts.SyntaxKind.TrueKeyword || staticString(value)?.toLowerCase() === "true";
}

/** The object literal an expression names: `config` (same-file const) or `config.cors`. */
function objectAt(expression: ts.Expression, reassigned: ReadonlySet<string>, depth: number): ts.ObjectLiteralExpression | undefined {
  const node = unwrap(expression);
  if (depth > 4) return undefined;
  if (ts.isObjectLiteralExpression(node)) return node;
  if (ts.isIdentifier(node)) {
    const initializer = constantInitializer(node, reassigned);
    return initializer ? objectAt(initializer, reassigned, depth + 1) : undefined;
  }
  if (ts.isPropertyAccessExpression(node)) {
    const object = objectAt(node.expression, reassigned, depth + 1);
    const value = object && getPropertyValue(object, node.name.text);
    return value ? objectAt(value, reassigned, depth + 1) : undefined;
  }
  return undefined;
}

/** Follows same-file `const` names to the expression they hold. */
function unwrapChain(expression: ts.Expression, reassigned: ReadonlySet<string>): ts.Node {
  let node = unwrap(expression);
  for (let i = 0; i < 4 && ts.isIdentifier(node); i++) {
    const initializer = constantInitializer(node, reassigned);
    if (!initializer) break;
    node = unwrap(initializer);
  }
  return node;
}
