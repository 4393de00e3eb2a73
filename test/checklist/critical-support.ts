import assert from "node:assert/strict";
/** Helpers for the critical-tier detector tests (security, reliability, testing). */
import type { DetectorResult, EvidenceContext } from "../../rules/checklist/evidence";
import type { Signal } from "../../rules/types";

/** The context with extra signals, as rules would emit them. */
export function withSignals(context: EvidenceContext, signals: Signal[]): EvidenceContext {
  const merged = new Map<string, Signal[]>();
  for (const [name, list] of context.signals) merged.set(name, [...list]);
  for (const signal of signals) merged.set(signal.name, [...(merged.get(signal.name) ?? []), signal]);
  return {
    files: context.files,
    read: (file) => context.read(file),
    packageJsons: context.packageJsons,
    packages: context.packages,
    analyses: context.analyses,
    signals: merged,
    findings: context.findings,
    now: context.now,
  };
}

/** `file:line` of each piece of evidence (`file` alone when there is no line). */
export function places(result: DetectorResult): string[] {
  return result.evidence.map((evidence) => (evidence.line === undefined ? `${evidence.file}` : `${evidence.file}:${evidence.line}`));
}

/** A package.json with these dependencies (and optional scripts). */
export function packageJson(dependencies: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: "api", version: "1.0.0", dependencies: Object.fromEntries(dependencies.map((name) => [name, "^1.0.0"])), ...extra }, null, 2);
}

/** The evidence points at each of these `file:line` places (rules' signals may add more). */
export function assertPlaces(result: DetectorResult, expected: string[]): void {
  const actual = places(result);
  for (const place of expected) assert.ok(actual.includes(place), `expected evidence at ${place}, got ${JSON.stringify(actual)}`);
}

/** The context as if no rule had emitted signals (the detectors' own fallbacks decide). */
export function withoutSignals(context: EvidenceContext): EvidenceContext {
  return { ...withSignals(context, []), signals: new Map() };
}
