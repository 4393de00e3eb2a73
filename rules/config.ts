/**
 * `readiness.config.json`: JSON with comments, validated against the schema generated from the rule
 * catalogue, so the file the editor validates and the file the engine accepts are the same thing.
 */
import Ajv, { type ErrorObject } from "ajv";
import { findNodeAtLocation, type Node as JsonNode, parse, parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import { ALL_RULES, ruleById } from "./catalogue";
import type { ActiveRule } from "./engine";
import { SEVERITIES, type Severity } from "./types";

export const CONFIG_FILE_NAME = "readiness.config.json";

export type RuleLevel = Severity | "off";
export type RuleSetting = RuleLevel | [RuleLevel] | [RuleLevel, Record<string, unknown>];

export interface ReadinessConfig {
  /** Globs (relative to the root) of files to analyse; everything when empty. */
  include?: string[];
  /** Globs of files to leave out, on top of the defaults. */
  exclude?: string[];
  /** Globs of files that are not production code (tests, scripts), on top of the defaults. */
  nonProduction?: string[];
  rules?: Record<string, RuleSetting>;
  /** Path of the team's checklist file, relative to the root. */
  checklist?: string;
  /** Files larger than this many bytes are skipped. */
  maxFileSize?: number;
}

/** A problem in a config file, with where it is: printed as one line, never a stack trace. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly key: string,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${key ? `${key}: ` : ""}${problem}`);
    this.name = "ConfigError";
  }
}

/** The JSON Schema of the config file; `schemas/readiness.config.schema.json` is generated from it. */
export function configSchema(): Record<string, unknown> {
  const level = { enum: ["off", ...SEVERITIES] };
  const ruleProperties: Record<string, unknown> = {};
  for (const rule of ALL_RULES) {
    const options = rule.meta.optionsSchema ?? { type: "object", additionalProperties: false, properties: {} };
    ruleProperties[rule.meta.id] = {
      description: `${rule.meta.description} Checklist item: ${rule.meta.checklistItem || "none"}.`,
      markdownDescription: `${rule.meta.description}\n\n[Documentation](${ruleDocsUrl(rule.meta.id)})`,
      oneOf: [level, { type: "array", minItems: 1, maxItems: 2, items: [level, options], additionalItems: false }],
    };
  }
  const globs = { type: "array", items: { type: "string", minLength: 1 } };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://readiness.dev/schemas/readiness.config.schema.json",
    title: "Readiness configuration",
    type: "object",
    additionalProperties: false,
    properties: {
      $schema: { type: "string" },
      include: { ...globs, description: "Globs (relative to this file) of the files to analyse. Default: every TypeScript/JavaScript file." },
      exclude: { ...globs, description: "Globs of files to leave out, on top of node_modules, build output, minified and generated files." },
      nonProduction: { ...globs, description: "Globs of files that are not production code, on top of tests, scripts and e2e folders: production rules stay silent there." },
      rules: { type: "object", additionalProperties: false, properties: ruleProperties, description: "Turn rules off or change their severity and options." },
      checklist: { type: "string", description: "Path of the team's checklist file. Default: PRODUCTION_READINESS.md." },
      maxFileSize: { type: "integer", minimum: 1, description: "Files larger than this many bytes are skipped. Default: 1048576 (1 MB)." },
    },
  };
}

const DOCS_BASE = "https://github.com/readiness-dev/readiness/blob/main/docs";

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE}/rules/${ruleId}.md`;
}

/** A checklist item's entry in the generated checklist reference (`docs/checklist.md`). */
export function checklistItemDocsUrl(itemId: string): string {
  return `${DOCS_BASE}/checklist.md#${itemId}`;
}

let validator: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Parses and validates a config file's text; throws `ConfigError` naming file, line and key. */
export function parseConfig(text: string, file: string): ReadinessConfig {
  const errors: ParseError[] = [];
  const data = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const { line, column } = lineColumn(text, errors[0].offset);
    throw new ConfigError(file, line, column, "", `invalid JSON: ${describeParseError(printParseErrorCode(errors[0].error))}`);
  }
  if (data === undefined) throw new ConfigError(file, 1, 1, "", "the file is empty; it must hold a JSON object");
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(configSchema());
  if (!validator(data)) throw toConfigError(text, file, deepestError(validator.errors ?? []));
  return data as ReadinessConfig;
}

/** The rules to run under a config: every rule unless turned off, with its configured severity and options. */
export function activeRules(config: ReadinessConfig | undefined): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const rule of ALL_RULES) {
    const setting = config?.rules?.[rule.meta.id];
    const [level, options] = Array.isArray(setting) ? setting : [setting, undefined];
    if (level === "off") continue;
    active.push({ rule, severity: level, options: options ?? {} });
  }
  return active;
}

/** The severity the config gives a rule, `off`, or the rule's default. */
export function configuredLevel(config: ReadinessConfig | undefined, ruleId: string): RuleLevel {
  const setting = config?.rules?.[ruleId];
  const level = Array.isArray(setting) ? setting[0] : setting;
  return level ?? ruleById(ruleId)?.meta.defaultSeverity ?? "off";
}

function deepestError(errors: ErrorObject[]): ErrorObject {
  // A failed oneOf reports every branch; the deepest branch error (an enum over a type mismatch)
  // says what the user meant and got wrong.
  const depth = (error: ErrorObject) => error.instancePath.split("/").length * 2 + (error.keyword === "enum" || error.keyword === "additionalProperties" ? 1 : 0);
  const candidates = errors.filter((error) => error.keyword !== "oneOf");
  return (candidates.length > 0 ? candidates : errors).reduce((best, error) => (depth(error) > depth(best) ? error : best));
}

function toConfigError(text: string, file: string, error: ErrorObject): ConfigError {
  const path = error.instancePath.split("/").slice(1).map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  const tree = parseTree(text, [], { allowTrailingComma: true });
  let key = path.join(".");
  let problem: string;
  let node: JsonNode | undefined = tree && findNodeAtLocation(tree, path.map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment)));
  if (error.keyword === "additionalProperties") {
    const extra = String(error.params.additionalProperty);
    const objectNode = node;
    node = objectNode?.children?.find((property) => property.children?.[0]?.value === extra)?.children?.[0] ?? objectNode;
    key = path.length > 0 ? `${key}.${extra}` : extra;
    problem = path[0] === "rules" && path.length === 1 ? `unknown rule id "${extra}"${suggestRule(extra)}` : `unknown key "${extra}"`;
  } else if (error.keyword === "enum" && path[0] === "rules") {
    problem = `bad severity ${JSON.stringify(valueAt(node))}: expected one of "off", ${SEVERITIES.map((s) => `"${s}"`).join(", ")}`;
  } else if (error.keyword === "enum") {
    problem = `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  } else {
    problem = `${error.message ?? "is invalid"}${error.keyword === "type" ? `, found ${describeValue(valueAt(node))}` : ""}`;
  }
  const { line, column } = lineColumn(text, node?.offset ?? 0);
  return new ConfigError(file, line, column, key, problem);
}

function valueAt(node: JsonNode | undefined): unknown {
  return node?.value;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "a value of another type";
  return Array.isArray(value) ? "an array" : value === null ? "null" : `${typeof value} ${JSON.stringify(value)}`;
}

function suggestRule(unknown: string): string {
  const close = ALL_RULES.map((rule) => rule.meta.id).find((id) => editDistance(id, unknown) <= 2);
  return close ? ` (did you mean "${close}"?)` : "";
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
