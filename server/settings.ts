/**
 * The `readiness` settings section (`workspace/configuration`, per workspace folder), with defaults,
 * and how its `rules` are merged under the workspace's `readiness.config.json`.
 */
import { ConfigError, parseConfig, type ReadinessConfig, type RuleSetting } from "../rules";
import type { TraceLevel } from "./log";

export interface ReadinessSettings {
  /** Turns the server off for the folder (no diagnostics, no scan). */
  enable: boolean;
  /** Validate open documents as you type or when they are saved. */
  run: "onType" | "onSave";
  /** Publish findings of files that are not open (`workspace`) or of open files only. */
  scope: "openFiles" | "workspace";
  /** Delay between the last change and validation (`run: onType`). */
  debounceMs: number;
  /** Rule settings under the config file's: the file wins for a rule both name. */
  rules: Record<string, RuleSetting>;
  /** A config file to use instead of looking for `readiness.config.json` (relative to the folder). */
  configFile: string | null;
  /** A file whose analysis takes longer than this is logged. */
  timeBudgetMs: number;
  trace: { server: TraceLevel };
}

export const DEFAULT_SETTINGS: ReadinessSettings = {
  enable: true,
  run: "onType",
  scope: "workspace",
  debounceMs: 150,
  rules: {},
  configFile: null,
  timeBudgetMs: 1000,
  trace: { server: "off" },
};

/** Settings from whatever the client sent: unknown keys ignored, bad values replaced by defaults (and named). */
export function normalizeSettings(raw: unknown): { settings: ReadinessSettings; problems: string[] } {
  const problems: string[] = [];
  const input = raw && typeof raw === "object" ? (raw as Record<string, any>) : {};
  const pick = <T>(key: string, valid: (value: any) => boolean, fallback: T, value: any = input[key]): T => {
    if (value === undefined || value === null) return fallback;
    if (valid(value)) return value as T;
    problems.push(`readiness.${key}: ignoring ${JSON.stringify(value)}`);
    return fallback;
  };
  const oneOf = (...values: string[]) => (value: any) => values.includes(value);
  const count = (value: any) => typeof value === "number" && Number.isFinite(value) && value >= 0;
  const traceValue = typeof input.trace === "object" && input.trace ? input.trace.server : input["trace.server"];
  let rules = pick<Record<string, RuleSetting>>("rules", (value) => typeof value === "object" && !Array.isArray(value), {});
  if (Object.keys(rules).length > 0) {
    try {
      parseConfig(JSON.stringify({ rules }), "settings");
    } catch (error) {
      problems.push(`readiness.${error instanceof ConfigError ? `${error.key}: ${error.problem}` : String(error)}; the rules setting is ignored`);
      rules = {};
    }
  }
  return {
    settings: {
      enable: pick("enable", (value) => typeof value === "boolean", DEFAULT_SETTINGS.enable),
      run: pick("run", oneOf("onType", "onSave"), DEFAULT_SETTINGS.run),
      scope: pick("scope", oneOf("openFiles", "workspace"), DEFAULT_SETTINGS.scope),
      debounceMs: pick("debounceMs", count, DEFAULT_SETTINGS.debounceMs),
      rules,
      configFile: pick("configFile", (value) => typeof value === "string", DEFAULT_SETTINGS.configFile),
      timeBudgetMs: pick("timeBudgetMs", count, DEFAULT_SETTINGS.timeBudgetMs),
      trace: { server: pick("trace.server", oneOf("off", "messages", "verbose"), DEFAULT_SETTINGS.trace.server, traceValue) },
    },
    problems,
  };
}

/** The config the engine runs with: the file's, with the settings' rules under it. */
export function effectiveConfig(fileConfig: ReadinessConfig, settings: ReadinessSettings): ReadinessConfig {
  if (Object.keys(settings.rules).length === 0) return fileConfig;
  return { ...fileConfig, rules: { ...settings.rules, ...(fileConfig.rules ?? {}) } };
}
