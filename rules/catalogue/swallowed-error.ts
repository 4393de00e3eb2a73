import ts = require("typescript");
import { calleeName, expressionPath, findVariableInitializer, forEachDescendant, lineIndentAt, moduleOfLocal, newlineOf, staticString, unwrap } from "../ast";
import type { Fix, ImportBinding, Rule, RuleContext, WorkspaceFacts } from "../types";
import { globalConsoleMethod, hasCommentBetweenStatements, isDeclaredInScope } from "./support/console";
import { quickCalleeName } from "./support/resolve-from-visited";

const TRACKER = "reliability.error-tracking:tracker";
const CONSOLE_CAPTURE = "reliability.error-tracking:console-capture";

/** Calls that are expected to fail now and then, and whose failure is routinely ignored. */
const EXPECTED_FAILURE_PATHS = new Set(["JSON.parse", "JSON.stringify", "require", "require.resolve", "URL", "decodeURIComponent", "decodeURI", "atob", "structuredClone"]);
const EXPECTED_FAILURE_METHODS = new Set([
  // files that may not exist
  "unlink", "unlinkSync", "rm", "rmSync", "rmdir", "rmdirSync", "stat", "statSync", "lstat", "lstatSync", "access", "accessSync",
  "mkdir", "mkdirSync", "readFile", "readFileSync", "readdir", "readdirSync", "realpath", "realpathSync", "existsSync", "chmod", "chmodSync",
  "open", "openSync", "watch",
  // commands that may not be installed (`git describe`, `sw_vers`)
  "execSync", "execFileSync", "spawnSync",
  // best-effort cleanup
  "close", "end", "destroy", "disconnect", "$disconnect", "quit", "release", "kill", "abort", "terminate", "unsubscribe", "removeAllListeners", "unref", "flush",
]);
/** Calls that only build arguments for the calls above. */
const NEUTRAL_PATHS = /^(?:path\.\w+|String|Number|Boolean|Buffer\.from|Object\.(?:keys|values|entries|assign)|\w+\.(?:toString|trim|toLowerCase|toUpperCase|join|split|slice))$/;

/** True when every call a `try` makes is a call whose failure is expected and routinely ignored (a JSON.parse attempt, removing a temp file, closing a connection on shutdown). */
function isOptionalAttempt(tryBlock: ts.Block): boolean {
  let expected = 0;
  let other = 0;
  forEachDescendant(tryBlock, (node) => {
    if (ts.isFunctionLike(node)) return "skip";
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return true;
    if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      expected++;
      return true;
    }
    const path = expressionPath(node.expression);
    const name = calleeName(node);
    if ((path && EXPECTED_FAILURE_PATHS.has(path)) || (name && ts.isPropertyAccessExpression(unwrap(node.expression)) && EXPECTED_FAILURE_METHODS.has(name))) expected++;
    else if (path && NEUTRAL_PATHS.test(path)) return true;
    else other++;
    return other === 0;
  });
  return expected > 0 && other === 0;
}

/**
 * `let version = "unknown"; try { version = readVersion(); } catch {}`: the value set before the `try`
 * is the fallback, like `catch { return null }`.
 */
function isFallbackAssignment(tryStatement: ts.TryStatement): boolean {
  const statements = tryStatement.tryBlock.statements;
  if (statements.length !== 1 || !ts.isExpressionStatement(statements[0])) return false;
  const expression = unwrap(statements[0].expression);
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const target = unwrap(expression.left);
  return ts.isIdentifier(target) && findVariableInitializer(tryStatement, target.text) !== undefined;
}

/** Cleanup inside a `finally` (`finally { try { fs.rmSync(dir) } catch {} }`): best effort by design. */
function isInFinally(tryStatement: ts.TryStatement): boolean {
  let child: ts.Node = tryStatement;
  for (let current = tryStatement.parent; current && !ts.isFunctionLike(current); child = current, current = current.parent) {
    if (ts.isTryStatement(current) && current.finallyBlock === child) return true;
  }
  return false;
}

/**
 * True when every statement prints with `console.*` (a trailing bare `return;` allowed). `scope` is the
 * visited node holding the statements: its subtree gets parents first, so `console` can be checked
 * for shadowing.
 */
function onlyLogsToConsole(statements: readonly ts.Statement[], context: RuleContext, scope: ts.Node): boolean {
  if (statements.length === 0) return false;
  const shapeOk = statements.every(
    (statement, i) =>
      (ts.isExpressionStatement(statement) && ts.isCallExpression(unwrap(statement.expression))) ||
      (i === statements.length - 1 && i > 0 && ts.isReturnStatement(statement) && !statement.expression),
  );
  if (!shapeOk) return false;
  setParents(scope);
  let printed = 0;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i];
    if (i === statements.length - 1 && i > 0 && ts.isReturnStatement(statement) && !statement.expression) continue;
    if (!ts.isExpressionStatement(statement)) return false;
    const expression = unwrap(statement.expression);
    if (!ts.isCallExpression(expression) || globalConsoleMethod(expression, context) === undefined) return false;
    printed++;
  }
  return printed > 0;
}

const consoleCaptured = (facts: WorkspaceFacts) => facts.signals.has(CONSOLE_CAPTURE);

/** The module an expression comes from: a local bound by an import, or `require("m")…` itself. */
function moduleOfExpression(context: RuleContext, expression: ts.Expression): string | undefined {
  let current = unwrap(expression);
  while (ts.isPropertyAccessExpression(current)) current = unwrap(current.expression);
  if (ts.isIdentifier(current)) return moduleOfLocal(context, current.text);
  if (ts.isCallExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === "require") return staticString(current.arguments[0]);
  return undefined;
}

/** True for the modules `initialisedTracker` recognises. */
function isTrackerModule(module: string): boolean {
  return module.startsWith("@sentry/") || TRACKER_MODULES.has(module);
}
const TRACKER_MODULES: ReadonlySet<string> = new Set(["dd-trace", "rollbar", "@bugsnag/js", "@bugsnag/node", "@honeybadger-io/js", "elastic-apm-node", "@airbrake/node"]);

/** Read once: `ts` is a namespace of getters, and these checks run for every call of a file. */
const Kind = ts.SyntaxKind;

/**
 * Cheap pre-check for `initialisedTracker`, on kinds and names only: the start of the callee's
 * property-access chain (wrappers skipped, as `moduleOfExpression` does) must be a name a tracker
 * package is imported as (`trackerLocals`) or a `require(…)`.
 */
function mayInitialiseTracker(expression: ts.Expression, trackerLocals: ReadonlySet<string>): boolean {
  let current = expression;
  for (;;) {
    switch (current.kind) {
      case Kind.PropertyAccessExpression:
      case Kind.ParenthesizedExpression:
      case Kind.AsExpression:
      case Kind.SatisfiesExpression:
      case Kind.NonNullExpression:
      case Kind.TypeAssertionExpression:
        current = (current as ts.PropertyAccessExpression | ts.ParenthesizedExpression).expression;
        continue;
      case Kind.Identifier:
        return trackerLocals.has((current as ts.Identifier).text);
      case Kind.CallExpression: {
        const callee = (current as ts.CallExpression).expression;
        return callee.kind === Kind.Identifier && (callee as ts.Identifier).text === "require";
      }
      default:
        return false;
    }
  }
}

/** The error tracker a call or `new` initialises, if it does. */
function initialisedTracker(context: RuleContext, node: ts.CallExpression | ts.NewExpression): string | undefined {
  const module = moduleOfExpression(context, node.expression);
  if (!module) return undefined;
  const name = calleeName(node);
  if (module.startsWith("@sentry/")) return name === "init" || name === "forRoot" ? module : undefined;
  if (module === "dd-trace") return name === "init" ? module : undefined;
  if (module === "rollbar") return name === "init" || ts.isIdentifier(unwrap(node.expression)) ? module : undefined;
  if (module === "@bugsnag/js" || module === "@bugsnag/node") return name === "start" ? module : undefined;
  if (module === "@honeybadger-io/js") return name === "configure" ? module : undefined;
  if (module === "elastic-apm-node") return name === "start" ? module : undefined;
  if (module === "@airbrake/node") return ts.isNewExpression(node) && name === "Notifier" ? module : undefined;
  return undefined;
}

/** Side-effect imports that start a tracker on their own. */
const SELF_STARTING = /^(?:newrelic|dd-trace\/init|@sentry\/[\w-]+\/preload|elastic-apm-node\/start)$/;

/** The range `catch (e)` / `catch`. */
function catchRange(context: RuleContext, clause: ts.CatchClause): { start: number; end: number } {
  const start = clause.getStart(context.sourceFile);
  if (!clause.variableDeclaration) return { start, end: start + "catch".length };
  const close = context.text.indexOf(")", clause.variableDeclaration.getEnd());
  const blockStart = clause.block.getStart(context.sourceFile);
  return { start, end: close >= 0 && close < blockStart ? close + 1 : clause.variableDeclaration.getEnd() };
}

/**
 * Two suggestions (neither applied automatically): rethrow, or document why the error is ignored.
 * None when the error has no simple name to rethrow.
 */
function catchFixes(context: RuleContext, clause: ts.CatchClause): Fix[] {
  const { sourceFile, text } = context;
  const block = clause.block;
  const eol = newlineOf(text);
  const blockStart = block.getStart(sourceFile);
  const blockText = text.slice(blockStart, block.getEnd());
  let name: string;
  const edits = [];
  if (clause.variableDeclaration) {
    if (!ts.isIdentifier(clause.variableDeclaration.name)) return [];
    name = clause.variableDeclaration.name.text;
  } else {
    if (/\berr\b/.test(blockText)) return [];
    name = "err";
    edits.push({ start: blockStart, end: blockStart, newText: `(${name}) ` });
  }
  const throwStatement = `throw ${name};`;
  const statements = block.statements;
  const indent = lineIndentAt(text, clause.getStart(sourceFile));
  const oneLine = !blockText.includes("\n");
  if (statements.length === 0) {
    edits.push({ start: blockStart, end: block.getEnd(), newText: oneLine ? `{ ${throwStatement} }` : `{${eol}${indent}  ${throwStatement}${eol}${indent}}` });
  } else {
    const last = statements[statements.length - 1];
    if (ts.isReturnStatement(last)) {
      edits.push({ start: last.getStart(sourceFile), end: last.getEnd(), newText: throwStatement });
    } else if (oneLine) {
      edits.push({ start: last.getEnd(), end: last.getEnd(), newText: `${text[last.getEnd() - 1] === ";" ? "" : ";"} ${throwStatement}` });
    } else {
      edits.push({ start: last.getEnd(), end: last.getEnd(), newText: `${eol}${lineIndentAt(text, last.getStart(sourceFile))}${throwStatement}` });
    }
  }
  const comment = "// Ignored on purpose: <say why>";
  const commentEdit = oneLine
    ? { start: blockStart + 1, end: blockStart + 1, newText: statements.length === 0 ? ` /* Ignored on purpose: <say why> */ ` : ` /* Ignored on purpose: <say why> */` }
    : { start: blockStart + 1, end: blockStart + 1, newText: `${eol}${indent}  ${comment}` };
  return [
    { title: `Rethrow the error (\`${throwStatement}\`)`, edits },
    { title: "Keep ignoring it, with a comment saying why", edits: [commentEdit] },
  ];
}

/** A `catch` that discards the error or only prints it, and the same for promise `.catch(…)` handlers. */
export const swallowedError: Rule = {
  meta: {
    id: "swallowed-error",
    checklistItem: "reliability.error-tracking",
    defaultSeverity: "warning",
    description: "A `catch` that discards the error or only prints it to the console, so no error tracker and no caller ever sees it.",
    scope: "production",
    fixable: true,
    triggers: ["catch", "entry", "dd-trace", "ollbar", "ugsnag", "oneybadger", "newrelic", "elastic-apm", "airbrake"],
    messages: {
      empty: "Empty catch block: the error is discarded; it reaches no error tracker and no caller.",
      console: "This catch block only prints the error to the console; it reaches no error tracker and no caller.",
      emptyPromise: "`.catch()` with an empty handler discards the rejection; it reaches no error tracker and no caller.",
      consolePromise: "`.catch()` only prints the rejection to the console; it reaches no error tracker and no caller.",
    },
    docs: {
      why:
        "An error caught and dropped (or only printed with `console.*`) never reaches Sentry/Datadog and never reaches the caller: the operation silently did nothing, the request may hang or answer 200, and nobody is alerted. In production these are the bugs you learn about from customers, with no stack trace to start from.",
      howToFix: [
        "Handle the error, hand it on, or report it:",
        "",
        "```ts",
        "try {",
        "  await sendInvoice(order);",
        "} catch (err) {",
        "  Sentry.captureException(err);          // or logger.error({ err }, \"invoice failed\")",
        "  throw err;                              // or next(err) / res.status(502).json(...)",
        "}",
        "```",
        "",
        "Set up an error tracker once at startup (`Sentry.init({ dsn: process.env.SENTRY_DSN })`, `dd-trace`, Rollbar, Bugsnag, Honeybadger).",
        "If ignoring the error is really right, say why in a comment inside the block (`catch { /* the file may not exist yet */ }`): the rule accepts a commented catch. Not reported: catches that rethrow, respond, call `next(err)`, return a fallback, set state or use a logger; a `try` that only assigns a variable that already holds a default (`let v = \"unknown\"; try { v = gitVersion(); } catch {}`); attempts whose only calls are expected to fail (`JSON.parse`, `new URL`, `fs.unlink`, closing a connection, running an optional command); cleanup inside `finally`; an empty catch whose variable starts with `_`. The quick fixes (rethrow, or add the comment) are suggestions, never applied automatically.",
      ].join("\n"),
      valid: [
        {
          note: "The error is reported and passed on.",
          code: `import * as Sentry from "@sentry/node";
export async function syncCustomer(id: string) {
  try {
    await crm.customers.update(id);
  } catch (err) {
    Sentry.captureException(err);
    throw err;
  }
}`,
        },
        {
          note: "A deliberate, commented empty catch.",
          code: `export function readCache(file: string) {
  try {
    return loadSnapshot(file);
  } catch {
    /* no snapshot yet: start empty */
  }
  return new Map();
}`,
        },
        {
          note: "A JSON.parse attempt with a fallback.",
          code: `export function parsePrefs(raw: string) {
  let prefs = { theme: "light" };
  try {
    prefs = JSON.parse(raw);
  } catch {}
  return prefs;
}`,
        },
      ],
      invalid: [
        {
          note: "The request is answered as if the email went out.",
          code: `app.post("/invite", async (req, res) => {
  try {
    await mailer.send(req.body.email, "You are invited");
  } catch (err) {
    console.error(err);
  }
  res.json({ ok: true });
});`,
        },
        {
          code: `export async function publish(event: object) {
  try {
    await queue.send(event);
  } catch (e) {}
}`,
        },
        {
          code: `export function warmUp() {
  loadPricingTable().catch(() => {});
}`,
        },
      ],
    },
  },
  create(context) {
    const { sourceFile } = context;
    for (const binding of context.imports) emitSelfStarting(context, binding);
    // The names this file imports an error tracker as (usually none): calls on anything else initialise none.
    const trackerLocals = new Set<string>();
    for (const binding of context.imports) {
      if (!isTrackerModule(binding.module)) continue;
      if (binding.defaultName) trackerLocals.add(binding.defaultName);
      if (binding.namespaceName) trackerLocals.add(binding.namespaceName);
      for (const local of binding.named.values()) trackerLocals.add(local);
    }
    const signalTracker = (node: ts.CallExpression | ts.NewExpression) => {
      if (mayInitialiseTracker(node.expression, trackerLocals)) {
        const tracker = initialisedTracker(context, node);
        if (tracker) context.signal(TRACKER, node, tracker);
      }
      const name = quickCalleeName(node);
      if (name === "captureConsoleIntegration" || name === "CaptureConsole") context.signal(CONSOLE_CAPTURE, node, name);
    };
    return {
      [ts.SyntaxKind.NewExpression]: signalTracker,
      [ts.SyntaxKind.CatchClause](clause: ts.CatchClause) {
        const block = clause.block;
        const empty = block.statements.length === 0;
        if (!empty && !onlyLogsToConsole(block.statements, context, clause)) return;
        // `catch (_) {}`, `catch (_err) {}`: ignored on purpose, by the usual naming convention.
        const binding = clause.variableDeclaration?.name;
        if (empty && binding && ts.isIdentifier(binding) && binding.text.startsWith("_")) return;
        if (hasCommentBetweenStatements(context.text, block)) return;
        if (isOptionalAttempt(clause.parent.tryBlock) || isFallbackAssignment(clause.parent) || isInFinally(clause.parent)) return;
        context.report({
          ...catchRange(context, clause),
          messageId: empty ? "empty" : "console",
          fixes: catchFixes(context, clause),
          ...(empty ? {} : { unless: consoleCaptured }),
        });
      },
      [ts.SyntaxKind.CallExpression](node: ts.CallExpression) {
        signalTracker(node);
        // Only `x.catch(…)` is checked further: most calls are rejected before any unwrapping.
        const direct = node.expression;
        if (direct.kind === Kind.PropertyAccessExpression ? (direct as ts.PropertyAccessExpression).name.text !== "catch" : direct.kind === Kind.Identifier || direct.kind === Kind.CallExpression) return;
        const callee = unwrap(node.expression);
        if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "catch" || node.arguments.length !== 1) return;
        const handler = unwrap(node.arguments[0]);
        // Parents for the handler (not the receiver chain, which can be long): shadowing checks look up.
        forEachDescendant(node, (child) => (child === node.expression ? "skip" : true));
        let kind: "emptyPromise" | "consolePromise" | undefined;
        if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) {
          const body = handler.body;
          if (ts.isBlock(body)) {
            if (body.statements.length === 0) kind = "emptyPromise";
            else if (onlyLogsToConsole(body.statements, context, body)) kind = "consolePromise";
            if (kind && hasCommentBetweenStatements(context.text, body)) return;
          } else {
            const value = unwrap(body);
            if (ts.isCallExpression(value) && globalConsoleMethod(value, context) !== undefined) kind = "consolePromise";
          }
        } else if (ts.isPropertyAccessExpression(handler)) {
          const path = expressionPath(handler);
          const parts = path?.split(".");
          if (parts && parts.length === 2 && parts[0] === "console" && moduleOfLocal(context, "console") === undefined && !isDeclaredInScope(handler, "console")) kind = "consolePromise";
        }
        if (!kind) return;
        // `fs.promises.unlink(tmp).catch(() => {})`, `redis.quit().catch(...)`: best-effort by design.
        const receiver = unwrap(callee.expression);
        if (ts.isCallExpression(receiver)) {
          if (receiver.expression.kind === ts.SyntaxKind.ImportKeyword) return;
          const name = calleeName(receiver);
          if (name && EXPECTED_FAILURE_METHODS.has(name)) return;
        }
        context.report({
          start: callee.name.getStart(sourceFile),
          end: node.getEnd(),
          messageId: kind,
          ...(kind === "consolePromise" ? { unless: consoleCaptured } : {}),
        });
      },
    };
  },
};

function emitSelfStarting(context: RuleContext, binding: ImportBinding): void {
  if (SELF_STARTING.test(binding.module)) context.signal(TRACKER, binding.node, binding.module);
}

/** Gives a small subtree its parents (the walk sets them only when it gets there). */
function setParents(root: ts.Node): void {
  forEachDescendant(root, () => true);
}
