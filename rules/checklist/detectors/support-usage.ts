/**
 * Small helpers shared by the operations, product and infrastructure detectors: where a library is
 * imported or only declared, package.json scripts and keys, and text searches over a chosen file list.
 */
import * as path from "path";
import { declarationSites, type Evidence, type EvidenceContext, importSites, lineOf } from "../evidence";

export interface Usage {
  /** First import site of each matching module (strongest evidence). */
  imported: Evidence[];
  /** package.json declarations of matching packages. */
  declared: Evidence[];
  /** Matching module names that are imported. */
  importedNames: string[];
  /** Matching package names that are declared but never imported. */
  declaredOnlyNames: string[];
}

/** Whether `name` is one of `modules` or below one of them (`@sentry` matches `@sentry/node`, `k6` matches `k6/http`). */
export function matchesModule(name: string, modules: readonly string[]): boolean {
  return modules.some((module) => name === module || name.startsWith(`${module}/`));
}

/** The package a module specifier belongs to (`@scope/name/sub` → `@scope/name`, `k6/http` → `k6`). */
export function packageOf(module: string): string {
  const parts = module.split("/");
  return module.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Where any of these modules is imported by analysed sources, and which are only declared. */
export function usageOf(context: EvidenceContext, modules: readonly string[]): Usage {
  const imported = importSites(context, modules);
  const importedModules = [...new Set(imported.map((site) => site.note.replace(/^imports /, "")))];
  // `@auth/express/providers/github` adds nothing to `@auth/express`.
  const importedNames = importedModules.filter((name) => !importedModules.some((other) => other !== name && name.startsWith(`${other}/`)));
  const importedPackages = new Set(importedNames.map(packageOf));
  const declaredNames = [...context.packages].filter((name) => matchesModule(name, modules)).sort();
  const declared = declaredNames.length > 0 ? declarationSites(context, declaredNames) : [];
  return { imported, declared, importedNames, declaredOnlyNames: declaredNames.filter((name) => !importedPackages.has(name)) };
}

/** Every module imported by analysed sources or declared by a package.json, for predicate-based matching. */
export function knownModules(context: EvidenceContext): string[] {
  const names = new Set<string>(context.packages);
  for (const analysis of context.analyses) for (const { module } of analysis.imports) names.add(module);
  return [...names].sort();
}

/** Modules imported or declared whose name passes `test`. */
export function modulesWhere(context: EvidenceContext, test: (name: string) => boolean): string[] {
  return knownModules(context).filter(test);
}

/** `a`, `a and b`, `a, b and c` (at most `max` names, then "and N more"). */
export function listNames(names: readonly string[], max = 4): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique.join("");
  if (unique.length > max) return `${unique.slice(0, max).join(", ")} and ${unique.length - max} more`;
  return `${unique.slice(0, -1).join(", ")} and ${unique[unique.length - 1]}`;
}

/** package.json scripts whose command matches. */
export function scriptSites(context: EvidenceContext, pattern: RegExp): (Evidence & { name: string; command: string })[] {
  const evidence: (Evidence & { name: string; command: string })[] = [];
  for (const { file, json } of context.packageJsons) {
    const scripts = json?.scripts;
    if (!scripts || typeof scripts !== "object") continue;
    for (const [name, command] of Object.entries(scripts)) {
      if (typeof command !== "string" || !pattern.test(command)) continue;
      evidence.push({ file, line: lineOf(context.read(file), `"${name}"`), note: `script "${name}": ${command}`, name, command });
    }
  }
  return evidence;
}

/** package.json files that have this top-level key (`eslintConfig`, `renovate`), with its line. */
export function packageKeySites(context: EvidenceContext, key: string, note: string): Evidence[] {
  return context.packageJsons
    .filter(({ json }) => json && typeof json === "object" && key in json)
    .map(({ file }) => ({ file, line: lineOf(context.read(file), new RegExp(`^[ \\t]*"${key}"\\s*:`, "m")), note }));
}

/** Of these files, those whose text matches, with the line of the first match. */
export function textSites(context: EvidenceContext, files: Iterable<string>, pattern: RegExp, note: string | ((match: string) => string)): Evidence[] {
  const evidence: Evidence[] = [];
  for (const file of files) {
    const text = context.read(file);
    if (text === undefined) continue;
    const match = pattern.exec(text);
    pattern.lastIndex = 0;
    if (!match) continue;
    evidence.push({ file, line: lineOf(text, pattern), note: typeof note === "string" ? note : note(match[0]) });
  }
  return evidence;
}

/** The last path segment. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

/** The folder of a workspace-relative file ("" at the root). */
export function dirName(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash < 0 ? "" : file.slice(0, slash);
}

/** The 1-based line of a UTF-16 offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Analysed files that import one of these workspace files through a relative specifier (`../lib/analytics`). */
export function importersOf(context: EvidenceContext, files: readonly string[]): string[] {
  const targets = new Set(files.map((file) => file.replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "")));
  if (targets.size === 0) return [];
  return context.analyses
    .filter(({ file, imports }) =>
      imports.some(({ module }) => {
        if (!module.startsWith(".")) return false;
        const resolved = path.posix.normalize(path.posix.join(dirName(file), module)).replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "");
        return targets.has(resolved);
      }),
    )
    .map(({ file }) => file);
}
