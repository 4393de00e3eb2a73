/**
 * Logging to the client's output channel (`window/logMessage` through `connection.console`).
 * `readiness.trace.server: "verbose"` adds debug lines (timings); some messages are logged once only.
 */
import type { RemoteConsole } from "vscode-languageserver/node";

export type TraceLevel = "off" | "messages" | "verbose";

export class Logger {
  private trace: TraceLevel = "off";
  private readonly said = new Set<string>();

  constructor(private readonly console: RemoteConsole) {}

  setTrace(level: TraceLevel): void {
    this.trace = level;
  }

  get verbose(): boolean {
    return this.trace === "verbose";
  }

  error(message: string): void {
    this.safely(() => this.console.error(message));
  }

  warn(message: string): void {
    this.safely(() => this.console.warn(message));
  }

  info(message: string): void {
    this.safely(() => this.console.info(message));
  }

  debug(message: string): void {
    if (this.trace === "verbose") this.safely(() => this.console.log(message));
  }

  /** Logs a message the first time `key` is seen (a rule failure per rule and file, a skipped file). */
  once(key: string, level: "error" | "warn" | "info", message: string): void {
    if (this.said.has(key)) return;
    if (this.said.size > 10_000) this.said.clear();
    this.said.add(key);
    this[level](message);
  }

  private safely(send: () => void): void {
    try {
      send();
    } catch {
      // The connection is gone (the client quit): nowhere left to log to.
    }
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
