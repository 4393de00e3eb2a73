/**
 * The injection grammars of package.json `contributes.grammars`, run on top of VS Code's own
 * TypeScript, JavaScript and Markdown grammars (from `tm-grammars`), wired the way VS Code wires
 * them: by the manifest's scopeName, path and injectTo, and each grammar's injectionSelector.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import ts = require("typescript");
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";
import { parseDirectives } from "../../rules/suppressions";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURES = path.join(REPO_ROOT, "test", "syntaxes", "fixtures");
const TM_GRAMMARS = path.join(REPO_ROOT, "node_modules", "tm-grammars", "grammars");

/** The host grammars the fixtures need, by scopeName; markdown reads HTML comments through the HTML grammars. */
const HOST_GRAMMAR_FILES: Record<string, string> = {
  "source.ts": "typescript.json",
  "source.tsx": "tsx.json",
  "source.js": "javascript.json",
  "source.js.jsx": "jsx.json",
  "text.html.markdown": "markdown.json",
  "text.html.derivative": "html-derivative.json",
  "text.html.basic": "html.json",
};

/** VS Code's language of each fixture extension, as its root scope. */
const HOST_SCOPE_OF_EXTENSION: Record<string, string> = {
  ".ts": "source.ts",
  ".tsx": "source.tsx",
  ".js": "source.js",
  ".jsx": "source.js.jsx",
  ".md": "text.html.markdown",
};

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
const contributions: GrammarContribution[] = manifest.contributes?.grammars ?? [];

async function loadOniguruma(): Promise<textmate.IOnigLib> {
  await oniguruma.loadWASM(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "vscode-oniguruma", "release", "onig.wasm")));
  return {
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  };
}

const registry = new textmate.Registry({
  onigLib: loadOniguruma(),
  async loadGrammar(scopeName) {
    const contribution = contributions.find((grammar) => grammar.scopeName === scopeName);
    const file = contribution
      ? path.join(REPO_ROOT, contribution.path)
      : HOST_GRAMMAR_FILES[scopeName] && path.join(TM_GRAMMARS, HOST_GRAMMAR_FILES[scopeName]);
    return file ? textmate.parseRawGrammar(fs.readFileSync(file, "utf8"), file) : null;
  },
  getInjections: (scopeName) =>
    contributions.filter((grammar) => grammar.injectTo?.includes(scopeName)).map((grammar) => grammar.scopeName),
});

interface Token {
  text: string;
  /** Outermost first; the last one is what a theme colours. */
  scopes: string[];
}

interface Line {
  /** 1-based. */
  number: number;
  text: string;
  tokens: Token[];
}

const tokenized = new Map<string, Promise<Line[]>>();

function tokenizeFixture(file: string): Promise<Line[]> {
  let lines = tokenized.get(file);
  if (!lines) {
    lines = tokenize(file);
    tokenized.set(file, lines);
  }
  return lines;
}

async function tokenize(file: string): Promise<Line[]> {
  const grammar = await registry.loadGrammar(HOST_SCOPE_OF_EXTENSION[path.extname(file)]);
  assert.ok(grammar, `no host grammar for ${file}`);
  let state = textmate.INITIAL;
  return fs
    .readFileSync(path.join(FIXTURES, file), "utf8")
    .split(/\r?\n/)
    .map((text, index) => {
      const result = grammar.tokenizeLine(text, state);
      state = result.ruleStack;
      const tokens = result.tokens.map((token) => ({ text: text.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
      return { number: index + 1, text, tokens };
    });
}

/** The one line that contains `needle`. */
function lineWith(lines: Line[], needle: string): Line {
  const found = lines.filter((line) => line.text.includes(needle));
  assert.equal(found.length, 1, `expected one line with ${JSON.stringify(needle)}, found ${found.length}`);
  return found[0];
}

/** The scopes of the one token on `line` that reads `text` (ignoring surrounding whitespace). */
function scopesOf(line: Line, text: string): string[] {
  const found = line.tokens.filter((token) => token.text.trim() === text);
  const seen = line.tokens.map((token) => JSON.stringify(token.text)).join(" ");
  assert.equal(found.length, 1, `expected one token ${JSON.stringify(text)} on line ${line.number}, tokens: ${seen}`);
  return found[0].scopes;
}

/** The scope a theme colours the token by. */
function innermostScope(line: Line, text: string): string {
  return scopesOf(line, text).at(-1)!;
}

function readinessScopes(line: Line): string[] {
  return line.tokens.flatMap((token) => token.scopes).filter((scope) => scope.endsWith(".readiness"));
}

describe("grammar contributions", () => {
  it("package.json contributes both injection grammars, each file declaring the manifest's scopeName", () => {
    assert.deepEqual(
      contributions.map((grammar) => [grammar.scopeName, grammar.injectTo]),
      [
        ["readiness.directives.injection", ["source.ts", "source.tsx", "source.js", "source.js.jsx"]],
        ["readiness.markdown.injection", ["text.html.markdown"]],
      ],
    );
    for (const contribution of contributions) {
      const grammar = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, contribution.path), "utf8"));
      assert.equal(grammar.scopeName, contribution.scopeName, contribution.path);
    }
  });
});

describe("suppression directive grammar", () => {
  it("scopes the keyword, each rule id, the commas and the `-- reason` of a // directive", async () => {
    const line = lineWith(await tokenizeFixture("orders.controller.ts"), "// readiness-disable-next-line unvalidated-input");
    const keyword = scopesOf(line, "readiness-disable-next-line");
    assert.equal(keyword.at(-1), "keyword.control.directive.readiness");
    assert.deepEqual(keyword.slice(-3, -1), ["comment.line.double-slash.ts", "meta.directive.readiness"]);
    assert.equal(innermostScope(line, "unvalidated-input"), "entity.name.tag.rule.readiness");
    assert.equal(innermostScope(line, ","), "punctuation.separator.comma.readiness");
    assert.equal(innermostScope(line, "swallowed-error"), "entity.name.tag.rule.readiness");
    assert.equal(innermostScope(line, "--"), "punctuation.separator.reason.readiness");
    assert.equal(innermostScope(line, "the global ValidationPipe checks the body"), "comment.line.reason.readiness");
  });

  it("reads a /* */ directive across lines up to its */, and leaves the */ to the host", async () => {
    const lines = await tokenizeFixture("orders.controller.ts");
    const first = lines[0];
    const second = lines[1];
    assert.equal(innermostScope(first, "readiness-disable"), "keyword.control.directive.readiness");
    assert.equal(innermostScope(first, "in-memory-rate-limit"), "entity.name.tag.rule.readiness");
    assert.equal(innermostScope(second, "db-query-in-loop"), "entity.name.tag.rule.readiness");
    assert.equal(innermostScope(second, "one instance behind the queue worker"), "comment.block.reason.readiness");
    assert.equal(innermostScope(second, "*/"), "punctuation.definition.comment.ts");
    assert.deepEqual(readinessScopes(lines[2]), [], "the code after the comment is back to plain TypeScript");
  });

  it("scopes a directive that follows code, one without rule ids, and one in a one-line block comment", async () => {
    const lines = await tokenizeFixture("server.js");
    const afterCode = lineWith(lines, "app.listen(");
    assert.equal(innermostScope(afterCode, "readiness-disable-line"), "keyword.control.directive.readiness");
    const inCatch = lineWith(lines, "catch {");
    assert.equal(innermostScope(inCatch, "readiness-disable-line"), "keyword.control.directive.readiness");
    assert.equal(innermostScope(inCatch, "swallowed-error"), "entity.name.tag.rule.readiness");
    assert.equal(innermostScope(inCatch, "*/"), "punctuation.definition.comment.js");
    assert.equal(inCatch.tokens.at(-1)!.scopes.at(-1), "punctuation.definition.block.js", "the catch block closes after the comment");
  });

  it("scopes directives in JSX comments {/* */}", async () => {
    const tsx = lineWith(await tokenizeFixture("orders-table.tsx"), "{/* readiness-disable-next-line");
    assert.equal(innermostScope(tsx, "readiness-disable-next-line"), "keyword.control.directive.readiness");
    assert.equal(innermostScope(tsx, "hardcoded-secret"), "entity.name.tag.rule.readiness");
    assert.equal(innermostScope(tsx, "console-logging"), "entity.name.tag.rule.readiness");
    const jsxLines = await tokenizeFixture("health-badge.jsx");
    assert.equal(innermostScope(jsxLines[0], "console-logging"), "entity.name.tag.rule.readiness", "an id right before */");
    assert.equal(innermostScope(jsxLines[0], "*/"), "punctuation.definition.comment.js.jsx");
    const jsx = lineWith(jsxLines, "{/* readiness-disable-line");
    assert.equal(innermostScope(jsx, "readiness-disable-line"), "keyword.control.directive.readiness");
    assert.equal(innermostScope(jsx, "unvalidated-input"), "entity.name.tag.rule.readiness");
    assert.equal(innermostScope(jsx, "status comes from our own /health"), "comment.block.reason.readiness");
  });

  it("leaves directive-like text alone in strings, templates, JSX text, JSDoc, mid-comment and after a colon", async () => {
    const controller = await tokenizeFixture("orders.controller.ts");
    const notDirectives = [
      lineWith(controller, "const SUPPRESSION_HINT"),
      lineWith(controller, "console.info(`order"),
      lineWith(controller, "/** readiness-disable"),
      lineWith(controller, "// Stripe retries: readiness-disable-line"),
      lineWith(await tokenizeFixture("server.js"), "const README_EXAMPLE"),
      lineWith(await tokenizeFixture("server.js"), "readiness-disable-next-line:"),
      lineWith(await tokenizeFixture("orders-table.tsx"), "<td>// readiness-disable-line"),
      lineWith(await tokenizeFixture("health-badge.jsx"), `{"/* readiness-disable-line`),
    ];
    for (const line of notDirectives) {
      assert.deepEqual(readinessScopes(line), [], `line ${line.number}: ${line.text.trim()}`);
    }
  });

  it("keeps the host's comment boundaries when a comment only mentions a directive", async () => {
    const lines = await tokenizeFixture("directive-mentions.ts");
    for (const line of lines) assert.deepEqual(readinessScopes(line), [], `line ${line.number}: ${line.text}`);
    // A `/*` inside a // comment must not open a block directive, nor a `//` inside /* */ run past its `*/`.
    assert.equal(innermostScope(lines[2], "RATE_LIMIT"), "variable.other.constant.ts");
    assert.equal(innermostScope(lines[2], "WINDOW_MS"), "variable.other.constant.ts");
  });

  // directive-mentions.ts only mentions directives inside comments: neither the engine nor the grammar reads one there.
  for (const file of ["orders.controller.ts", "server.js", "orders-table.tsx", "health-badge.jsx", "directive-mentions.ts"]) {
    it(`highlights exactly the directives and rule ids the engine reads in ${file}`, async () => {
      const text = fs.readFileSync(path.join(FIXTURES, file), "utf8");
      const scriptKind = /x$/.test(file) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
      const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind);
      const engine = parseDirectives(sourceFile, text).map((directive) => ({ line: directive.line, ruleIds: directive.ruleIds }));
      const highlighted: { line: number; ruleIds: string[] }[] = [];
      for (const line of await tokenizeFixture(file)) {
        for (const token of line.tokens) {
          const scope = token.scopes.at(-1);
          if (scope === "keyword.control.directive.readiness") highlighted.push({ line: line.number, ruleIds: [] });
          if (scope === "entity.name.tag.rule.readiness") highlighted.at(-1)!.ruleIds.push(token.text);
        }
      }
      assert.equal(engine.length > 0, file !== "directive-mentions.ts");
      assert.deepEqual(highlighted, engine);
    });
  }
});

describe("checklist marker grammar", () => {
  it("scopes the marker, its readiness keyword and the item id, instead of markdown's HTML comment", async () => {
    const line = lineWith(await tokenizeFixture("PRODUCTION_READINESS.md"), "<!-- readiness: security.cors -->");
    for (const token of line.tokens.filter((token) => token.scopes.includes("comment.block.marker.readiness"))) {
      assert.ok(!token.scopes.some((scope) => scope.startsWith("comment.block.html")), JSON.stringify(token));
    }
    assert.equal(innermostScope(line, "<!--"), "punctuation.definition.comment.begin.readiness");
    assert.equal(innermostScope(line, "readiness"), "keyword.control.marker.readiness");
    assert.equal(innermostScope(line, ":"), "punctuation.separator.key-value.readiness");
    assert.equal(innermostScope(line, "security.cors"), "entity.name.tag.item.readiness");
    assert.equal(innermostScope(line, "-->"), "punctuation.definition.comment.end.readiness");
    assert.ok(scopesOf(line, "security.cors").includes("comment.block.marker.readiness"));
  });

  it("reads a marker without spaces, and one on a contact line", async () => {
    const lines = await tokenizeFixture("PRODUCTION_READINESS.md");
    assert.equal(innermostScope(lineWith(lines, "security.hsts"), "security.hsts"), "entity.name.tag.item.readiness");
    assert.equal(innermostScope(lineWith(lines, "contacts.security"), "contacts.security"), "entity.name.tag.item.readiness");
  });

  it("leaves plain HTML comments, mid-line markers and markers in fenced code or in a comment alone", async () => {
    const lines = await tokenizeFixture("PRODUCTION_READINESS.md");
    for (const needle of ["<!-- owner:", "<!-- TODO:", "security.csrf --> before", "security.cors-review"]) {
      assert.deepEqual(readinessScopes(lineWith(lines, needle)), [], needle);
    }
    assert.ok(scopesOf(lineWith(lines, "<!-- owner:"), "owner: platform team").some((scope) => scope.startsWith("comment.block.html")));
    const commentWithMarkerText = lineWith(lines, "by ending its line with");
    assert.deepEqual(readinessScopes(commentWithMarkerText), [], "no marker inside an HTML comment");
    const afterComment = lines[commentWithMarkerText.number];
    assert.ok(afterComment.tokens.every((token) => !token.scopes.some((scope) => scope.startsWith("comment"))), "its --> closed the comment");
    const fenced = lineWith(lines, "security.cors-review");
    assert.ok(fenced.tokens.every((token) => token.scopes.some((scope) => scope.startsWith("markup.fenced_code"))));
  });
});
