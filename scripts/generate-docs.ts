/** Writes docs/rules/*.md, docs/checklist.md and schemas/readiness.config.schema.json from the rule catalogue. */
import * as fs from "fs";
import * as path from "path";
import { ALL_RULES, configSchema } from "../rules";
import { renderChecklistReference, renderRuleDoc, renderRuleIndex } from "../rules/docs";

export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const rule of ALL_RULES) files.set(`docs/rules/${rule.meta.id}.md`, renderRuleDoc(rule));
  files.set("docs/rules/README.md", renderRuleIndex(ALL_RULES));
  files.set("docs/checklist.md", renderChecklistReference());
  files.set("schemas/readiness.config.schema.json", `${JSON.stringify(configSchema(), null, 2)}\n`);
  return files;
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..", "..");
  for (const [relative, content] of generatedFiles()) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  console.log(`wrote ${generatedFiles().size} files`);
}
