/** Catalogue-wide promises: every rule is documented, its doc examples tell the truth, docs are current. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ALL_RULES } from "../rules";
import { parseChecklistDocument } from "../rules/checklist/document";
import { generatedFiles } from "../scripts/generate-docs";
import { runRule } from "./rule-tester";
import { REPO_ROOT } from "./workspace-fixture";

describe("rule catalogue", () => {
  it("has unique kebab-case ids, each in its own file with its own test file", () => {
    const ids = ALL_RULES.map((rule) => rule.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) {
      assert.match(id, /^[a-z]+(-[a-z0-9]+)*$/);
      assert.ok(fs.existsSync(path.join(REPO_ROOT, "rules/catalogue", `${id}.ts`)), `rules/catalogue/${id}.ts`);
      if (id !== "unused-suppression" && !id.startsWith("checklist-")) assert.ok(fs.existsSync(path.join(REPO_ROOT, "test/rules", `${id}.test.ts`)), `test/rules/${id}.test.ts`);
    }
  });

  for (const rule of ALL_RULES) {
    const { meta } = rule;
    describe(meta.id, () => {
      it("has complete metadata", () => {
        assert.ok(meta.description.length > 10 && meta.description.length <= 120 && !meta.description.includes("\n"), "one-line description");
        assert.ok(meta.docs.why.length > 40, "docs.why");
        assert.ok(meta.docs.howToFix.length > 20, "docs.howToFix");
        assert.ok(meta.docs.valid.length >= 1 && meta.docs.invalid.length >= 1, "valid and invalid examples");
        if (meta.id !== "unused-suppression" && meta.appliesTo !== "checklist") assert.match(meta.checklistItem, /^[a-z]+\.[a-z0-9-]+$/);
      });
      if (meta.id === "unused-suppression") return;
      const findingsOf = (code: string) =>
        meta.appliesTo === "checklist" ? rule.checkChecklist!(parseChecklistDocument(code), new Date()) : runRule(rule, { code });
      meta.docs.invalid.forEach((example, index) => {
        it(`documented invalid example ${index + 1} is reported`, () => {
          assert.ok(findingsOf(example.code).length > 0, `no finding for:\n${example.code}`);
        });
      });
      meta.docs.valid.forEach((example, index) => {
        it(`documented valid example ${index + 1} is not reported`, () => {
          assert.deepEqual(findingsOf(example.code), [], example.code);
        });
      });
    });
  }

  it("has its generated docs and config schema up to date (run `npm run docs`)", () => {
    for (const [relative, content] of generatedFiles()) {
      const file = path.join(REPO_ROOT, relative);
      assert.ok(fs.existsSync(file), `${relative} is missing`);
      assert.equal(fs.readFileSync(file, "utf8"), content, `${relative} is stale`);
    }
  });
});
