/**
 * Incremental parsing (an editor buffer analysed after each edit) must find exactly what a fresh parse
 * finds: random edits of the example service's files, each version analysed both ways.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { analyzeFile, type ReparseState } from "../rules/engine";
import { activeRules } from "../rules/config";
import { REPO_ROOT } from "./workspace-fixture";

const RULES = activeRules({});
const SOURCES = path.join(REPO_ROOT, "examples", "saas-api", "src");

/** Every .ts file under a folder, workspace-relative. */
function sources(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** A deterministic pseudo-random sequence (the failures must be reproducible). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

// What an editor types: characters, tokens that change the tree's shape, directives, deletions.
const SNIPPETS = ["x", " ", "\n", ";", "{", "}", "(", ")", "`", '"', "/*", "*/", "// readiness-disable-next-line console-logging\n", "console.log(req.body);\n", "await ", "if (a) {\n", "app.set(\"etag\", false);\n"];

/** The analysis as data (conditions are functions: they are compared through the rest). */
const comparable = (value: unknown) => JSON.stringify(value);

describe("incremental parsing of edited buffers", () => {
  for (const file of sources(SOURCES)) {
    const relative = path.relative(path.join(REPO_ROOT, "examples", "saas-api"), file).split(path.sep).join("/");
    it(`finds what a fresh parse finds after each of 60 random edits of ${relative}`, () => {
      const next = random(relative.length * 7919);
      let text = fs.readFileSync(file, "utf8");
      const reparse: ReparseState = {};
      analyzeFile({ file: relative, text, production: true }, RULES, { reparse });
      for (let step = 0; step < 60; step++) {
        const at = Math.floor(next() * (text.length + 1));
        const removed = next() < 0.4 ? Math.floor(next() * 12) : 0;
        const inserted = next() < 0.8 ? SNIPPETS[Math.floor(next() * SNIPPETS.length)] : "";
        text = text.slice(0, at) + inserted + text.slice(at + removed);
        const incremental = analyzeFile({ file: relative, text, production: true }, RULES, { reparse });
        const fresh = analyzeFile({ file: relative, text, production: true }, RULES);
        assert.equal(comparable(incremental), comparable(fresh), `step ${step}: edit at ${at} (-${removed} +${JSON.stringify(inserted)})`);
      }
    });
  }
});
