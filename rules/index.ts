/** The engine's public surface: what the CLI and the language server import. */
export { ALL_RULES, ruleById } from "./catalogue";
export { CONFIG_FILE_NAME, ConfigError, configSchema, configuredLevel, parseConfig, checklistItemDocsUrl, ruleDocsUrl, type ReadinessConfig } from "./config";
export { analyzeFile, resolveFindings, workspaceFacts, type FileAnalysis, type RuleFailure } from "./engine";
export { applyEdits, applyFixes, automaticFix } from "./fixes";
export {
  decodeText,
  FileClassifier,
  loadConfig,
  scanWorkspace,
  type FileSystemHost,
  type LoadedConfig,
  type ScanResult,
} from "./workspace";
export type { Finding, Fix, Rule, RuleMeta, Severity, TextEdit } from "./types";
export { SEVERITIES } from "./types";
export * from "./checklist";
export { disableFileEdit, disableLineEdit } from "./suppressions";
export { type Affected, fixAllEdits, overlayHost, type RefreshResult, type SessionOptions, WorkspaceSession } from "./session";
export type { RuleSetting } from "./config";
