/**
 * The analysis of one file: parse once, walk the tree once, dispatch every node to the visitors of
 * every active rule. Pure: text in, findings and facts out.
 */
import ts = require("typescript");
import { deletionEdit, forEachDescendant, staticString } from "./ast";
import { covers, type Directive, parseDirectives } from "./suppressions";
import type {
  Finding,
  ImportBinding,
  Location,
  ReportDescriptor,
  Rule,
  RuleContext,
  Severity,
  Signal,
  TextEdit,
  Visitor,
  WorkspaceFacts,
} from "./types";
import { unusedSuppression } from "./catalogue/unused-suppression";

export interface ActiveRule {
  rule: Rule;
  /** The severity the user configured; `undefined` keeps the rule's own. */
  severity?: Severity;
  options: Record<string, any>;
}

export interface SourceInput {
  /** Workspace-relative path, `/` separators. */
  file: string;
  text: string;
  /** False for tests, scripts and fixtures: rules scoped to production stay silent. */
  production: boolean;
}

export interface PendingFinding extends Finding {
  unless?: (facts: WorkspaceFacts) => boolean;
}

export interface DirectiveAt extends Directive, Location {
  /** The edit that deletes the comment (and its line when it stands alone). */
  removal: TextEdit;
}

export interface RuleFailure {
  ruleId: string;
  file: string;
  message: string;
}

export interface FileAnalysis {
  file: string;
  findings: PendingFinding[];
  directives: DirectiveAt[];
  signals: Signal[];
  /** Modules this file imports or requires at top level, with the line of each (first) import. */
  imports: { module: string; line: number }[];
  /** Why the file was not analysed, when it was not. */
  skipped?: string;
  ruleFailures: RuleFailure[];
}

export interface AnalyzeOptions {
  /** Files larger than this many UTF-16 units are skipped (default 1 MB). */
  maxFileSize?: number;
  /**
   * The previous parse of the same file (an editor buffer being typed in): the parser then reuses
   * what an edit did not touch. The engine updates it; the caller keeps it for the next analysis.
   */
  reparse?: ReparseState;
}

/** The last syntax tree of a file and its text, for an incremental parse of its next version. */
export interface ReparseState {
  sourceFile?: ts.SourceFile;
  text?: string;
}

/** The tree for `text`: an incremental update of the previous one when there is one, else a fresh parse. */
function parse(input: SourceInput, reparse: ReparseState | undefined): ts.SourceFile {
  const previous = reparse?.sourceFile;
  const before = reparse?.text;
  let sourceFile: ts.SourceFile;
  if (previous && before !== undefined) {
    // The one changed span: text before it and after it is common to both versions.
    const text = input.text;
    const shorter = Math.min(before.length, text.length);
    let start = 0;
    while (start < shorter && before.charCodeAt(start) === text.charCodeAt(start)) start++;
    let end = 0;
    while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
    const change = ts.createTextChangeRange(ts.createTextSpan(start, before.length - end - start), text.length - end - start);
    // The old tree is given up to the update (it reuses and moves its nodes): never read it again.
    reparse.sourceFile = undefined;
    sourceFile = ts.updateSourceFile(previous, text, change);
  } else {
    sourceFile = ts.createSourceFile(input.file, input.text, ts.ScriptTarget.Latest, false, scriptKindOf(input.file));
  }
  if (reparse) {
    reparse.sourceFile = sourceFile;
    reparse.text = input.text;
  }
  return sourceFile;
}

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export function analyzeFile(input: SourceInput, rules: readonly ActiveRule[], options: AnalyzeOptions = {}): FileAnalysis {
  const analysis: FileAnalysis = { file: input.file, findings: [], directives: [], signals: [], imports: [], ruleFailures: [] };
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (input.text.length > maxSize) {
    analysis.skipped = `larger than ${Math.round(maxSize / 1024)} KB`;
    return analysis;
  }
  const generated = looksGeneratedOrMinified(input.file, input.text);
  if (generated) {
    analysis.skipped = generated;
    return analysis;
  }
  let sourceFile: ts.SourceFile;
  try {
    sourceFile = parse(input, options.reparse);
  } catch (error) {
    if (options.reparse) options.reparse.sourceFile = undefined;
    // The TypeScript parser is recursive: absurd nesting overflows its stack.
    analysis.skipped = error instanceof RangeError ? "nested too deeply to parse" : `could not be parsed (${String(error)})`;
    return analysis;
  }
  const { bindings, isCommonJs } = collectImports(sourceFile);
  const seen = new Set<string>();
  for (const binding of bindings) {
    if (seen.has(binding.module)) continue;
    seen.add(binding.module);
    analysis.imports.push({ module: binding.module, line: sourceFile.getLineAndCharacterOfPosition(binding.node.getStart(sourceFile)).line + 1 });
  }

  // Indexed by SyntaxKind: the walk looks a table up for every node. Parallel arrays (visitor, its rule's
  // slot); a rule that throws is taken out of the tables (new arrays: a walk in progress keeps its own).
  let dispatch: (Visitor[] | undefined)[] = [];
  let dispatchSlots: (number[] | undefined)[] = [];
  let hasVisitors = false;
  const onEnd: { visitor: () => void; slot: number }[] = [];
  const failed: boolean[] = [];
  const slots: ActiveRule[] = [];
  const positionOf = (start: number, end: number): Location => {
    const from = sourceFile.getLineAndCharacterOfPosition(start);
    const to = sourceFile.getLineAndCharacterOfPosition(end);
    return { line: from.line + 1, column: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1, start, end };
  };

  // Per-file analyses rules share (see `RuleContext.shared`); dropped when this function returns.
  const shared = new Map<unknown, unknown>();
  // Rules share triggers ("ebhook", "session", …): search the text once per trigger.
  const triggerAnswers = new Map<string, boolean>();
  const textIncludes = (trigger: string): boolean => {
    let answer = triggerAnswers.get(trigger);
    if (answer === undefined) triggerAnswers.set(trigger, (answer = input.text.includes(trigger)));
    return answer;
  };

  for (const active of rules) {
    const { meta } = active.rule;
    if (meta.appliesTo === "checklist") continue;
    if (meta.scope === "production" && !input.production) continue;
    if (meta.triggers && !meta.triggers.some(textIncludes)) continue;
    const slot = slots.length;
    slots.push(active);
    failed.push(false);
    const context: RuleContext = {
      file: input.file,
      sourceFile,
      text: input.text,
      options: active.options,
      imports: bindings,
      isCommonJs,
      shared,
      report: (descriptor) => analysis.findings.push(toFinding(active, input.file, sourceFile, descriptor, positionOf)),
      signal: (name, node, detail) =>
        analysis.signals.push({ name, file: input.file, line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1, detail }),
    };
    let visitors;
    try {
      visitors = active.rule.create(context);
    } catch (error) {
      recordFailure(analysis, active.rule.meta.id, error);
      failed[slot] = true;
      continue;
    }
    for (const key of Object.keys(visitors)) {
      if (key === "onEnd") {
        onEnd.push({ visitor: visitors.onEnd!, slot });
        continue;
      }
      const kind = Number(key);
      (dispatch[kind] ??= []).push(visitors[kind]);
      (dispatchSlots[kind] ??= []).push(slot);
      hasVisitors = true;
    }
  }

  // One broken rule must not cost the user the other rules' findings: it is switched off for this file.
  const fail = (slot: number, error: unknown) => {
    if (failed[slot]) return;
    failed[slot] = true;
    recordFailure(analysis, slots[slot].rule.meta.id, error);
    const visitorsLeft: (Visitor[] | undefined)[] = [];
    const slotsLeft: (number[] | undefined)[] = [];
    dispatch.forEach((list, kind) => {
      if (!list) return;
      const kindSlots = dispatchSlots[kind]!;
      for (let i = 0; i < list.length; i++) {
        if (failed[kindSlots[i]]) continue;
        (visitorsLeft[kind] ??= []).push(list[i]);
        (slotsLeft[kind] ??= []).push(kindSlots[i]);
      }
    });
    dispatch = visitorsLeft;
    dispatchSlots = slotsLeft;
  };

  if (hasVisitors) {
    const visit = (node: ts.Node): void => {
      const kind = node.kind;
      const list = dispatch[kind];
      if (list === undefined) return;
      const kindSlots = dispatchSlots[kind]!;
      for (let i = 0; i < list.length; i++) {
        try {
          list[i](node);
        } catch (error) {
          fail(kindSlots[i], error);
        }
      }
    };
    // Most nodes (identifiers, keywords, tokens, type nodes) have no visitor: the table is looked up here,
    // so only nodes some rule visits cost a call. `dispatch` is read per node (`fail` replaces it).
    let parent: ts.Node = sourceFile;
    let depth = 0;
    const recurse = (node: ts.Node): void => {
      // A reused node of an incremental parse usually has its parent already: skip the store.
      if (node.parent !== parent) (node as { parent: ts.Node }).parent = parent;
      if (dispatch[node.kind] !== undefined) visit(node);
      if (depth >= MAX_RECURSION) {
        forEachDescendant(node, (descendant) => {
          visit(descendant);
        });
        return;
      }
      const saved = parent;
      parent = node;
      depth++;
      ts.forEachChild(node, recurse);
      depth--;
      parent = saved;
    };
    ts.forEachChild(sourceFile, recurse);
  } else if (onEnd.length > 0) {
    forEachDescendant(sourceFile, () => true);
  }
  for (const { visitor, slot } of onEnd) {
    if (failed[slot]) continue;
    try {
      visitor();
    } catch (error) {
      fail(slot, error);
    }
  }

  analysis.directives = parseDirectives(sourceFile, input.text).map((directive) => ({
    ...directive,
    ...positionOf(directive.start, directive.end),
    removal: deletionEdit(input.text, directive.start, directive.end),
  }));
  return analysis;
}

/**
 * Nesting depth up to which the walk (in `analyzeFile`) recurses (fast); deeper subtrees continue on an
 * explicit stack instead of overflowing the call stack (long `a + b + …` chains, pathological nesting).
 * The walk visits every node in source order (pre-order), setting `parent` as it goes, so a visitor
 * can always look up.
 */
const MAX_RECURSION = 500;

function toFinding(
  active: ActiveRule,
  file: string,
  sourceFile: ts.SourceFile,
  descriptor: ReportDescriptor,
  positionOf: (start: number, end: number) => Location,
): PendingFinding {
  const { meta } = active.rule;
  const start = descriptor.start ?? descriptor.node!.getStart(sourceFile);
  const end = descriptor.end ?? descriptor.node!.getEnd();
  const template = meta.messages[descriptor.messageId];
  if (template === undefined) throw new Error(`${meta.id} has no message "${descriptor.messageId}"`);
  const message = fillMessage(template, descriptor.data);
  return {
    ruleId: meta.id,
    severity: active.severity ?? descriptor.severity ?? meta.defaultSeverity,
    file,
    message,
    checklistItem: meta.checklistItem,
    fixes: descriptor.fixes ?? [],
    ...positionOf(start, end),
    ...(descriptor.unless ? { unless: descriptor.unless } : {}),
  };
}

/** Fills `{{name}}` placeholders of a rule's message template. */
export function fillMessage(template: string, data: Record<string, string | number> | undefined): string {
  let parts = templateParts.get(template);
  if (parts === undefined) {
    // Even indexes: literal text; odd: placeholder names. Templates are the rules' own (a bounded set).
    parts = template.split(/\{\{\s*(\w+)\s*\}\}/);
    templateParts.set(template, parts);
  }
  if (parts.length === 1) return template;
  let message = parts[0];
  for (let i = 1; i < parts.length; i += 2) message += String(data?.[parts[i]] ?? "") + parts[i + 1];
  return message;
}

const templateParts = new Map<string, string[]>();

function recordFailure(analysis: FileAnalysis, ruleId: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  analysis.ruleFailures.push({ ruleId, file: analysis.file, message });
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.(jsx)$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const GENERATED_MARKER = /@generated\b|\bauto-?generated\b|\bDO NOT EDIT\b|\bgenerated by\b/i;

/** Why a file should not be analysed as hand-written code, or `undefined` when it should. */
export function looksGeneratedOrMinified(file: string, text: string): string | undefined {
  if (/\.min\.[cm]?js$|[.-]bundle\.[cm]?js$/.test(file)) return "minified";
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  if (GENERATED_MARKER.test(head.length > 600 ? head.slice(0, 600) : head)) return "generated";
  if (head.indexOf("\0") >= 0) return "binary";
  // Minified code has very long lines; judging the first 8 KB is enough and keeps this O(1).
  if (head.length > 2000) {
    let lines = 1;
    for (let i = head.indexOf("\n"); i >= 0; i = head.indexOf("\n", i + 1)) lines++;
    if (head.length / lines > 300) return "minified";
  }
  return undefined;
}

function collectImports(sourceFile: ts.SourceFile): { bindings: ImportBinding[]; isCommonJs: boolean } {
  const bindings: ImportBinding[] = [];
  let esm = 0;
  let cjs = 0;
  for (const statement of sourceFile.statements) {
    (statement as { parent: ts.Node }).parent = sourceFile;
    if (ts.isImportDeclaration(statement)) {
      esm++;
      const module = staticString(statement.moduleSpecifier);
      if (module === undefined) continue;
      const binding: ImportBinding = { module, named: new Map(), node: statement };
      const clause = statement.importClause;
      if (clause?.name) binding.defaultName = clause.name.text;
      const namedBindings = clause?.namedBindings;
      if (namedBindings && ts.isNamespaceImport(namedBindings)) binding.namespaceName = namedBindings.name.text;
      if (namedBindings && ts.isNamedImports(namedBindings)) {
        for (const element of namedBindings.elements) binding.named.set((element.propertyName ?? element.name).text, element.name.text);
      }
      bindings.push(binding);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const module = staticString(statement.moduleReference.expression);
      if (module !== undefined) bindings.push({ module, defaultName: statement.name.text, named: new Map(), node: statement });
      cjs++;
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const module = declaration.initializer && requiredModule(declaration.initializer);
        if (module === undefined) continue;
        cjs++;
        const binding: ImportBinding = { module, named: new Map(), node: statement };
        if (ts.isIdentifier(declaration.name)) binding.defaultName = declaration.name.text;
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name)) continue;
            const imported = element.propertyName ? (staticString(element.propertyName) ?? (ts.isIdentifier(element.propertyName) ? element.propertyName.text : undefined)) : element.name.text;
            if (imported) binding.named.set(imported, element.name.text);
          }
        }
        bindings.push(binding);
      }
    } else if (ts.isExpressionStatement(statement)) {
      const module = requiredModule(statement.expression);
      if (module !== undefined) bindings.push({ module, named: new Map(), node: statement });
    }
  }
  return { bindings, isCommonJs: cjs > 0 && esm === 0 };
}

/** `require("m")`, `require("m").default`, `require("m")(arg)`, `await import("m")`. */
function requiredModule(expression: ts.Expression): string | undefined {
  let current = expression;
  for (;;) {
    if (ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
    else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else if (ts.isCallExpression(current) && !isRequireOrImport(current) && ts.isCallExpression(current.expression)) current = current.expression;
    else break;
  }
  if (ts.isCallExpression(current) && isRequireOrImport(current)) return staticString(current.arguments[0]);
  return undefined;
}

function isRequireOrImport(call: ts.CallExpression): boolean {
  return (ts.isIdentifier(call.expression) && call.expression.text === "require") || call.expression.kind === ts.SyntaxKind.ImportKeyword;
}

/** Workspace facts from every analysed file plus the declared packages. */
export function workspaceFacts(analyses: Iterable<FileAnalysis>, packages: ReadonlySet<string>): WorkspaceFacts {
  const imports = new Set<string>();
  const signals = new Map<string, Signal[]>();
  for (const analysis of analyses) {
    for (const { module } of analysis.imports) imports.add(module);
    for (const signal of analysis.signals) {
      let list = signals.get(signal.name);
      if (!list) signals.set(signal.name, (list = []));
      list.push(signal);
    }
  }
  return { packages, imports, signals };
}

/**
 * Final findings of one file: drops findings the workspace disproves and those a directive
 * suppresses, and reports directives that suppressed nothing.
 */
export function resolveFindings(analysis: FileAnalysis, facts: WorkspaceFacts, unusedSeverity: Severity | "off" = unusedSuppression.meta.defaultSeverity, knownRuleIds?: ReadonlySet<string>): Finding[] {
  const used = new Set<DirectiveAt>();
  const findings: Finding[] = [];
  for (const pending of analysis.findings) {
    if (pending.unless?.(facts)) continue;
    const directive = analysis.directives.find((d) => covers(d, pending.ruleId, pending.line));
    if (directive) {
      used.add(directive);
      continue;
    }
    const { unless: _unless, ...finding } = pending;
    findings.push(finding);
  }
  if (unusedSeverity !== "off") {
    for (const directive of analysis.directives) {
      if (used.has(directive)) continue;
      const unknown = knownRuleIds ? directive.ruleIds.filter((id) => !knownRuleIds.has(id)) : [];
      const names = directive.ruleIds.length > 0 ? directive.ruleIds.join(", ") : "any rule";
      findings.push({
        ruleId: unusedSuppression.meta.id,
        severity: unusedSeverity,
        file: analysis.file,
        message:
          unknown.length > 0
            ? `Suppression names ${unknown.map((id) => `"${id}"`).join(", ")}, which ${unknown.length > 1 ? "are not readiness rules" : "is not a readiness rule"}.`
            : `Unused suppression: no problem from ${names} was reported here.`,
        checklistItem: "",
        fixes: [{ title: "Remove unused suppression", edits: [directive.removal], preferred: true }],
        line: directive.line,
        column: directive.column,
        endLine: directive.endLine,
        endColumn: directive.endColumn,
        start: directive.start,
        end: directive.end,
      });
    }
  }
  return findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
}
