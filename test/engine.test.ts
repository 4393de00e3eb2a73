import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import ts = require("typescript");
import { etagDisabled } from "../rules/catalogue/etag-disabled";
import { type ActiveRule, analyzeFile, resolveFindings, workspaceFacts } from "../rules/engine";
import { activeRules } from "../rules/config";
import { decodeText } from "../rules/workspace";
import { disableFileEdit, disableLineEdit } from "../rules/suppressions";
import type { Rule } from "../rules/types";
import { REPO_ROOT } from "./workspace-fixture";

const ETAG: ActiveRule = { rule: etagDisabled, options: {} };
const KNOWN = new Set(["etag-disabled", "console-logging", "unused-suppression"]);

function findings(text: string, rules: ActiveRule[] = [ETAG], file = "src/app.ts") {
  const analysis = analyzeFile({ file, text, production: true }, rules);
  return resolveFindings(analysis, workspaceFacts([analysis], new Set()), "hint", KNOWN);
}

describe("suppression comments", () => {
  it("readiness-disable-next-line suppresses the next line only, with or without a reason", () => {
    const result = findings(`// readiness-disable-next-line etag-disabled -- legacy proxy caches by Last-Modified
app.set("etag", false);
app.set("etag", false);
`);
    assert.deepEqual(result.map((f) => [f.ruleId, f.line]), [["etag-disabled", 3]]);
  });

  it("readiness-disable-line suppresses its own line, and lists of rule ids work", () => {
    const result = findings(`app.set("etag", false); // readiness-disable-line console-logging, etag-disabled\n`);
    assert.deepEqual(result, [], "the directive is used, so not reported either");
  });

  it("/* readiness-disable */ covers the rest of the file, not what comes before", () => {
    const result = findings(`app.set("etag", false);
/* readiness-disable etag-disabled */
app.set("etag", false);
app.disable("etag");
`);
    assert.deepEqual(result.map((f) => [f.ruleId, f.line]), [["etag-disabled", 1]]);
  });

  it("reads a directive that follows directive-like text in a string on the same line", () => {
    const result = findings('app.set("etag", false); const note = `/* readiness-disable etag-disabled */`; // readiness-disable-line etag-disabled\n');
    assert.deepEqual(result, []);
  });

  it("ignores a directive merely mentioned inside another comment, and keeps the code after it", () => {
    const result = findings(`/* see // readiness-disable-line etag-disabled in server.ts */ app.set("etag", false);
// TODO: why not /* readiness-disable etag-disabled */ here?
app.set("etag", false);
//* readiness-disable etag-disabled */
app.set("etag", false);
`);
    assert.deepEqual(result.map((f) => [f.ruleId, f.line]), [["etag-disabled", 1], ["etag-disabled", 3], ["etag-disabled", 5]]);
  });

  it("reports a suppression that suppresses nothing, and one naming an unknown rule, with a fix that deletes the line", () => {
    const text = `const a = 1;
  // readiness-disable-next-line etag-disabled
const b = 2;
// readiness-disable-next-line etag-disabeld
app.set("etag", false);
`;
    const result = findings(text);
    assert.deepEqual(
      result.map((f) => [f.ruleId, f.line, f.severity]),
      [["unused-suppression", 2, "hint"], ["unused-suppression", 4, "hint"], ["etag-disabled", 5, "warning"]],
    );
    assert.match(result[0].message, /no problem from etag-disabled/);
    assert.match(result[1].message, /"etag-disabeld", which is not a readiness rule/);
    const edit = result[0].fixes[0].edits[0];
    assert.equal(text.slice(0, edit.start) + text.slice(edit.end), "const a = 1;\nconst b = 2;\n// readiness-disable-next-line etag-disabeld\napp.set(\"etag\", false);\n");
  });

  it("ignores directive look-alikes inside strings and templates", () => {
    const result = findings("const s = \"// readiness-disable-next-line etag-disabled\";\nconst t = `/* readiness-disable etag-disabled */`;\napp.set(\"etag\", false);\n");
    assert.deepEqual(result.map((f) => f.ruleId), ["etag-disabled"]);
  });
});

describe("robustness", () => {
  const throwing: Rule = {
    meta: { ...etagDisabled.meta, id: "throws-on-calls", triggers: undefined },
    create: () => ({
      [ts.SyntaxKind.CallExpression]() {
        throw new Error("boom");
      },
    }),
  };

  it("isolates a rule that throws: the others still report, the failure is recorded once", () => {
    const analysis = analyzeFile({ file: "src/app.ts", text: `f();\ng();\napp.set("etag", false);\n`, production: true }, [{ rule: throwing, options: {} }, ETAG]);
    assert.deepEqual(analysis.ruleFailures, [{ ruleId: "throws-on-calls", file: "src/app.ts", message: "boom" }]);
    assert.deepEqual(analysis.findings.map((f) => f.ruleId), ["etag-disabled"]);
  });

  const all = activeRules({});
  const pathological: [string, string][] = [
    ["10,000 nested parentheses", `x = ${"(".repeat(10000)}1${")".repeat(10000)};`],
    ["10,000 nested ifs", `${"if (a) {".repeat(10000)}${"}".repeat(10000)}`],
    ["a 100,000-term binary chain", `x = ${Array(100000).fill("a").join(" + ")};`],
    ["an empty file", ""],
    ["a BOM and CRLF", `\uFEFFimport express from "express";\r\nconst app = express();\r\napp.set("etag", false);\r\n`],
    ["unterminated everything", "function f( { const x = `abc ${ [1, 2 /* "],
  ];
  for (const [name, text] of pathological) {
    it(`returns on ${name}`, () => {
      const analysis = analyzeFile({ file: "src/app.ts", text, production: true }, all);
      assert.deepEqual(analysis.ruleFailures, []);
    });
  }

  it("skips a 5 MB single-line file with a note", () => {
    const analysis = analyzeFile({ file: "src/big.js", text: `var a=${"1+".repeat(2.5 * 1024 * 1024)}1;`, production: true }, all);
    assert.match(analysis.skipped ?? "", /larger than/);
  });

  it("skips minified and generated files", () => {
    const minified = `var a=1;${"function x(){return 1};".repeat(200)}`;
    assert.equal(analyzeFile({ file: "src/vendor.js", text: minified, production: true }, all).skipped, "minified");
    assert.equal(analyzeFile({ file: "src/api.ts", text: "// @generated by openapi-typescript\nexport type A = 1;\n", production: true }, all).skipped, "generated");
    assert.equal(analyzeFile({ file: "src/x.min.js", text: "a()", production: true }, all).skipped, "minified");
  });

  it("decodes invalid UTF-8 lossily and says so; strips and remembers a BOM", () => {
    assert.deepEqual(decodeText(new Uint8Array([0x61, 0xff, 0x62])), { text: "a\uFFFDb", lossless: false, bom: false });
    assert.deepEqual(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), { text: "a", lossless: true, bom: true });
  });

  it("reports positions on CRLF files in lines and UTF-16 columns", () => {
    const [finding] = findings(`const s = "é😀";\r\n  app.set("etag", false);\r\n`);
    assert.deepEqual([finding.line, finding.column, finding.endLine, finding.endColumn], [2, 3, 2, 25]);
  });
});

describe("fuzzing", () => {
  // A small deterministic PRNG so a failure reproduces.
  function prng(seed: number) {
    return () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
  }
  const random = prng(20261127);
  const all = activeRules({});
  const corpus = listSources(path.join(REPO_ROOT, "examples")).map((file) => fs.readFileSync(file, "utf8"));
  const TOKENS = ["{", "}", "(", ")", "`", "${", "'", '"', "/*", "//", "=>", "async", "await", "new ", ".", ",", ";", "\n", "\r\n", "\u2028", "\0", "req.body", "cors(", "session(", "catch", "for (", "<div>"];

  function mutate(text: string): string {
    let result = text;
    const steps = 1 + Math.floor(random() * 8);
    for (let i = 0; i < steps; i++) {
      const at = Math.floor(random() * (result.length + 1));
      const choice = random();
      if (choice < 0.35) result = result.slice(0, at) + result.slice(at + Math.floor(random() * 40));
      else if (choice < 0.7) result = result.slice(0, at) + TOKENS[Math.floor(random() * TOKENS.length)] + result.slice(at);
      else if (choice < 0.85) result = result.slice(0, at);
      else result = result.slice(0, at) + String.fromCharCode(Math.floor(random() * 0xffff)) + result.slice(at + 1);
    }
    return result;
  }

  function check(text: string) {
    const analysis = analyzeFile({ file: "src/fuzz.ts", text, production: true }, all);
    assert.deepEqual(analysis.ruleFailures, [], text.slice(0, 500));
    for (const finding of resolveFindings(analysis, workspaceFacts([analysis], new Set()), "hint")) {
      assert.ok(finding.line >= 1 && finding.column >= 1 && finding.start <= finding.end && finding.end <= text.length, JSON.stringify(finding));
    }
  }

  it("analyses 400 mutated example files without a throw or a bad position", () => {
    assert.ok(corpus.length > 0 || fs.existsSync(path.join(REPO_ROOT, "examples")) === false);
    for (let i = 0; i < 400 && corpus.length > 0; i++) check(mutate(corpus[i % corpus.length]));
  });

  it("analyses 100 buffers of random bytes", () => {
    for (let i = 0; i < 100; i++) {
      const bytes = new Uint8Array(Math.floor(random() * 4000));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      check(decodeText(bytes).text);
    }
  });
});

function listSources(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|js)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath ?? (entry as any).path, entry.name));
}

describe("suppression edits", () => {
  const apply = (text: string, edit: { start: number; end: number; newText: string }) => text.slice(0, edit.start) + edit.newText + text.slice(edit.end);

  it("inserts a next-line directive with the line's indentation and line ending, which then suppresses", () => {
    const text = `function f() {\r\n    app.set("etag", false);\r\n}\r\n`;
    const fixed = apply(text, disableLineEdit(text, 2, "etag-disabled"));
    assert.equal(fixed, `function f() {\r\n    // readiness-disable-next-line etag-disabled\r\n    app.set("etag", false);\r\n}\r\n`);
    assert.deepEqual(findings(fixed), []);
  });

  it("adds the rule to a directive already on the line above", () => {
    const text = `// readiness-disable-next-line console-logging -- banner\napp.set("etag", false);\n`;
    assert.equal(apply(text, disableLineEdit(text, 2, "etag-disabled")), `// readiness-disable-next-line console-logging, etag-disabled -- banner\napp.set("etag", false);\n`);
  });

  it("inserts a file directive at the top, after a shebang", () => {
    const text = `#!/usr/bin/env node\napp.set("etag", false);\n`;
    const fixed = apply(text, disableFileEdit(text, "etag-disabled"));
    assert.equal(fixed, `#!/usr/bin/env node\n/* readiness-disable etag-disabled */\napp.set("etag", false);\n`);
    assert.deepEqual(findings(fixed), []);
  });
});
