/**
 * ESLint-style rule tests: lists of valid and invalid code, run through the real engine (parse, single
 * walk, workspace resolution, suppressions), with the text each fix produces.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeFile, resolveFindings, workspaceFacts } from "../rules/engine";
import { applyEdits, applyFixes } from "../rules/fixes";
import type { Finding, Rule, Severity } from "../rules/types";

export interface ValidCase {
  code: string;
  /** Default `src/server.ts`. */
  file?: string;
  options?: Record<string, unknown>;
  /** Default: decided like the CLI would (tests and scripts are not production). */
  production?: boolean;
  /** Dependencies the workspace's package.json declares. */
  packages?: string[];
  /** Other files of the same workspace (cross-file rules). */
  otherFiles?: { file: string; code: string }[];
  name?: string;
}

export interface ExpectedFinding {
  /** Exact message, or a RegExp it must match. */
  message?: string | RegExp;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: Severity;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** The text after applying every finding's automatic (preferred) fix; `null` asserts there is none. */
  output?: string | null;
  /** The text after applying each fix of the first finding on its own, in order (suggestions a person picks). */
  suggestions?: string[];
}

/** Runs a rule over one file of a small workspace and returns its final findings. */
export function runRule(rule: Rule, testCase: ValidCase): Finding[] {
  const file = testCase.file ?? "src/server.ts";
  const active = [{ rule, options: testCase.options ?? {} }];
  const production = testCase.production ?? !/(^|\/)(test|tests|__tests__|e2e|scripts)\/|\.(test|spec)\./.test(file);
  const analysis = analyzeFile({ file, text: testCase.code, production }, active);
  for (const failure of analysis.ruleFailures) assert.fail(`${failure.ruleId} threw on ${failure.file}: ${failure.message}`);
  const others = (testCase.otherFiles ?? []).map((other) => analyzeFile({ file: other.file, text: other.code, production: true }, active));
  const facts = workspaceFacts([analysis, ...others], new Set(testCase.packages ?? []));
  return resolveFindings(analysis, facts, "off");
}

function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `  ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}`).join("\n") || "  (none)";
}

export function testRule(rule: Rule, cases: { valid: (ValidCase | string)[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    describe("valid", () => {
      for (const raw of cases.valid) {
        const testCase = typeof raw === "string" ? { code: raw } : raw;
        it(testCase.name ?? firstLine(testCase.code), () => {
          const findings = runRule(rule, testCase);
          assert.equal(findings.length, 0, `expected no findings, got:\n${describeFindings(findings)}\nin:\n${testCase.code}`);
        });
      }
    });
    describe("invalid", () => {
      for (const testCase of cases.invalid) {
        it(testCase.name ?? firstLine(testCase.code), () => {
          const findings = runRule(rule, testCase);
          assert.equal(findings.length, testCase.errors.length, `expected ${testCase.errors.length} finding(s), got:\n${describeFindings(findings)}\nin:\n${testCase.code}`);
          testCase.errors.forEach((expected, index) => {
            const actual = findings[index];
            if (expected.message instanceof RegExp) assert.match(actual.message, expected.message);
            else if (expected.message !== undefined) assert.equal(actual.message, expected.message);
            for (const key of ["line", "column", "endLine", "endColumn", "severity"] as const) {
              if (expected[key] !== undefined) assert.equal(actual[key], expected[key], `finding ${index + 1}: ${key}`);
            }
            assert.equal(actual.checklistItem, rule.meta.checklistItem);
          });
          if (testCase.suggestions !== undefined) {
            const fixes = findings[0]?.fixes ?? [];
            assert.deepEqual(
              fixes.map((fix) => applyEdits(testCase.code, fix.edits).text),
              testCase.suggestions,
            );
          }
          if (testCase.output !== undefined) {
            const { text, fixed } = applyFixes(testCase.code, findings);
            if (testCase.output === null) assert.equal(fixed.length, 0, "expected no automatic fix");
            else assert.equal(text, testCase.output);
          }
        });
      }
    });
  });
}

function firstLine(code: string): string {
  const line = code.trim().split("\n").find((l) => l.trim() && !l.trim().startsWith("//") && !l.trim().startsWith("import")) ?? code;
  return line.trim().slice(0, 90);
}
