/** `--format sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub, Azure DevOps, …). */
import type * as Sarif from "sarif";
import { pathToFileURL } from "url";
import { ALL_RULES, type Finding, ruleDocsUrl, type RuleFailure, type Severity } from "../rules";

const LEVEL: Record<Severity, Sarif.Result.level> = { error: "error", warning: "warning", info: "note", hint: "note" };

export function sarifLog(
  findings: readonly Finding[],
  root: string,
  version: string,
  notes: { skipped: { file: string; reason: string }[]; ruleFailures: RuleFailure[] },
): Sarif.Log {
  const ruleIndex = new Map(ALL_RULES.map((rule, index) => [rule.meta.id, index]));
  const artifact = (file: string): Sarif.ArtifactLocation => ({ uri: encodeURI(file), uriBaseId: "ROOT" });
  const rules: Sarif.ReportingDescriptor[] = ALL_RULES.map(({ meta }) => ({
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase()),
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.docs.why },
    help: { text: `${meta.docs.why}\n\nHow to fix: ${meta.docs.howToFix}`, markdown: `${meta.docs.why}\n\n**How to fix**\n\n${meta.docs.howToFix}` },
    helpUri: ruleDocsUrl(meta.id),
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { checklistItem: meta.checklistItem, tags: ["production-readiness", ...(meta.checklistItem ? [meta.checklistItem.split(".")[0]] : [])] },
  }));
  const results: Sarif.Result[] = findings.map((finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(finding.file),
          region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn, charOffset: finding.start, charLength: finding.end - finding.start },
        },
      },
    ],
    ...(finding.fixes.length > 0
      ? {
          fixes: finding.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: [
              {
                artifactLocation: artifact(finding.file),
                replacements: fix.edits.map((edit) => ({
                  deletedRegion: { charOffset: edit.start, charLength: edit.end - edit.start },
                  ...(edit.newText ? { insertedContent: { text: edit.newText } } : {}),
                })),
              },
            ],
          })),
        }
      : {}),
    properties: { checklistItem: finding.checklistItem },
  }));
  const notifications: Sarif.Notification[] = [
    ...notes.skipped.map((skip) => ({
      level: "note" as const,
      message: { text: `Skipped ${skip.file}: ${skip.reason}.` },
      locations: [{ physicalLocation: { artifactLocation: artifact(skip.file) } }],
    })),
    ...notes.ruleFailures.map((failure) => ({
      level: "error" as const,
      message: { text: `Rule ${failure.ruleId} failed on ${failure.file}: ${failure.message}` },
      associatedRule: { id: failure.ruleId, index: ruleIndex.get(failure.ruleId) },
      locations: [{ physicalLocation: { artifactLocation: artifact(failure.file) } }],
    })),
  ];
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "readiness", version, semanticVersion: version, informationUri: "https://github.com/readiness-dev/readiness", rules } },
        originalUriBaseIds: { ROOT: { uri: pathToFileURL(root.endsWith("/") ? root : `${root}/`).href } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}
