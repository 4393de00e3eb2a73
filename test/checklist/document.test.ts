import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ChecklistEditError, parseChecklistDocument, renderChecklistDocument, setItemState } from "../../rules/checklist/document";
import { ITEMS, TIERS } from "../../rules/checklist/items";
import { REPO_ROOT } from "../workspace-fixture";

const SEED = fs.readFileSync(path.join(REPO_ROOT, "..", "shared", "seed", "production-readiness-checklist.md"), "utf8");

describe("the built-in checklist", () => {
  it("holds every item of the seed document, item by item, in its tier and section", () => {
    const seedItems = parseChecklistDocument(SEED).items;
    assert.equal(seedItems.length, ITEMS.length);
    seedItems.forEach((seedItem, index) => {
      const item = ITEMS[index];
      assert.equal(seedItem.builtIn, true, `seed item "${seedItem.title}" matched a built-in item`);
      assert.deepEqual([seedItem.id, seedItem.title, seedItem.tier, seedItem.section], [item.id, item.title, item.tier, item.section]);
    });
    // And the seed's tiers, by their headings, in order.
    const headings = [...SEED.matchAll(/^## (.*)$/gm)].map((match) => match[1]);
    assert.deepEqual(headings, TIERS.map((tier) => tier.heading));
  });

  it("has unique, stable ids", () => {
    assert.equal(new Set(ITEMS.map((item) => item.id)).size, ITEMS.length);
    for (const item of ITEMS) assert.match(item.id, /^[a-z]+\.[a-z0-9-]+$/);
  });

  it("renders a new checklist file that is the seed plus one marker per item", () => {
    const rendered = renderChecklistDocument();
    assert.equal(rendered.replace(/ <!-- readiness: [\w.-]+ -->/g, ""), SEED);
    assert.equal((rendered.match(/<!-- readiness: /g) ?? []).length, ITEMS.length);
    const parsed = parseChecklistDocument(rendered);
    assert.deepEqual(parsed.items.map((item) => item.id), ITEMS.map((item) => item.id));
    assert.ok(renderChecklistDocument("\r\n").split("\n").slice(0, -1).every((line) => line.endsWith("\r")));
  });
});

describe("the checklist file", () => {
  it("reads ticks: [x] done, [-] and strikethrough n/a, [ ] open", () => {
    const doc = parseChecklistDocument(`## 🔴 CRITICAL
### Security
- [x] Add security.txt file
- [-] Implement CSRF protection
- [ ] ~~Enable HSTS header~~
- [ ] Fix CORS to exclude localhost in production
`);
    assert.deepEqual(doc.items.map((item) => [item.id, item.state, item.line]), [
      ["security.security-txt", "done", 3],
      ["security.csrf", "n/a", 4],
      ["security.hsts", "n/a", 5],
      ["security.cors", "open", 6],
    ]);
  });

  it("matches by marker first, then by title; keeps unmatched items as custom manual items", () => {
    const doc = parseChecklistDocument(`## Launch
- [ ] Renamed by the team <!-- readiness: security.csrf -->
- [X] add SECURITY.TXT file
- [ ] Load test the import pipeline
- [ ] Load test the import pipeline
`);
    assert.deepEqual(doc.items.map((item) => [item.id, item.builtIn, item.state]), [
      ["security.csrf", true, "open"],
      ["security.security-txt", true, "done"],
      ["custom.load-test-the-import-pipeline", false, "open"],
      ["custom.load-test-the-import-pipeline-2", false, "open"],
    ]);
  });

  it("finds placeholders and the next review date", () => {
    const doc = parseChecklistDocument(`- **Security Issues**: [Security Team Contact]
- **Payment Issues**: billing-oncall@acme.io
**Last Updated**: [Date]
**Next Review**: 2026-01-15
`);
    assert.deepEqual(doc.placeholders.map((p) => [p.text, p.line, p.column]), [["[Security Team Contact]", 1, 24], ["[Date]", 3, 19]]);
    assert.equal(doc.nextReview?.date?.toISOString(), "2026-01-15T00:00:00.000Z");
    assert.equal(doc.nextReview?.line, 4);
  });

  it("does not read items inside fenced code blocks", () => {
    assert.deepEqual(parseChecklistDocument("```md\n- [ ] Implement CSRF protection\n```\n").items, []);
  });
});

describe("writing ticks", () => {
  const original = renderChecklistDocument();

  for (const eol of ["\n", "\r\n"]) {
    it(`changes only the item's marker, everything else byte-identical (${JSON.stringify(eol)})`, () => {
      const text = renderChecklistDocument(eol).replace("# Production Readiness Checklist", "# Acme launch\t  \n\nNotes kept as they are.  ");
      const ticked = setItemState(text, "reliability.backups", "done");
      assert.equal(ticked.length, text.length);
      const diff: number[] = [];
      for (let i = 0; i < text.length; i++) if (text[i] !== ticked[i]) diff.push(i);
      assert.equal(diff.length, 1);
      assert.equal(ticked[diff[0]], "x");
      assert.equal(parseChecklistDocument(ticked).items.find((i) => i.id === "reliability.backups")?.state, "done");
      const na = setItemState(ticked, "reliability.backups", "n/a");
      assert.equal(parseChecklistDocument(na).items.find((i) => i.id === "reliability.backups")?.state, "n/a");
      assert.equal(setItemState(na, "reliability.backups", "open"), text, "round trip back to the original bytes");
    });
  }

  it("reopening a strikethrough item removes the strikethrough on that line only", () => {
    const text = "## CRITICAL\n### Security\n- [ ] ~~Enable HSTS header~~\n- [ ] ~~Something custom~~\n";
    assert.equal(setItemState(text, "security.hsts", "open"), "## CRITICAL\n### Security\n- [ ] Enable HSTS header\n- [ ] ~~Something custom~~\n");
  });

  it("refuses unknown items and contacts with a clear message", () => {
    assert.throws(() => setItemState(original, "security.nope", "done"), (error: Error) => error instanceof ChecklistEditError && /"security\.nope" is not in the checklist file/.test(error.message));
    assert.throws(() => setItemState(original, "contacts.security", "done"), /is a contact/);
  });
});
