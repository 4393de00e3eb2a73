/**
 * `npm run bench:server`: the language server as an editor sees it. Starts `dist/server.js` (build
 * first), lets it scan the 2,000-file bench corpus (`generateCorpus()`, in `.bench-corpus/`), prints the
 * scan time and the server's RSS after it, then opens a 3,000-line file of the corpus and types 200
 * single characters (100 typed, 100 deleted), each after the previous one's diagnostics arrived, and
 * prints the edit→diagnostics latency: from sending `didChange` to the `publishDiagnostics` of that
 * version, with the debounce set to 0 so only the work is measured.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { SERVER_NODE_FLAGS } from "../server/node-flags";
import { SERVER, TestClient } from "../test/server/lsp-client";
import { CORPUS, generateCorpus } from "./bench";

const EDITS = Number(process.env.BENCH_EDITS ?? 200);

function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    if (match) return Number(match[1]) / 1024;
  } catch {
    // Not Linux: ask ps.
  }
  return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function run(): Promise<void> {
  const files = generateCorpus();
  const largest = files.map((file) => ({ file, lines: fs.readFileSync(file, "utf8").split("\n").length })).sort((a, b) => b.lines - a.lines)[0];
  console.log(`corpus: ${files.length} files in ${path.relative(process.cwd(), CORPUS)}/; edited file: ${path.basename(largest.file)} (${largest.lines} lines)`);

  // Started as the VS Code extension starts it.
  const client = TestClient.start({ command: [...SERVER_NODE_FLAGS, SERVER, "--stdio"] });
  try {
    const scanStarted = performance.now();
    await client.initialize({ folders: [CORPUS], settings: { debounceMs: 0, trace: { server: "verbose" } } });
    await client.waitFor((message) => message.method === "$/progress" && message.params.value.kind === "end", "end of the workspace scan", { timeoutMs: 30 * 60_000 });
    const scanMs = performance.now() - scanStarted;
    const published = new Set(client.messages.filter((message) => message.method === "textDocument/publishDiagnostics").map((message) => message.params.uri)).size;
    // Let the last publications go out before measuring memory.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssAfterScan = rssMb(client.child.pid!);
    console.log(`workspace scan: ${(scanMs / 1000).toFixed(1)} s, ${published} files with diagnostics published`);
    console.log(`server RSS after the scan: ${rssAfterScan.toFixed(0)} MB (target ≤ 200 MB)`);

    const text = fs.readFileSync(largest.file, "utf8");
    const uri = client.open(largest.file, text);
    await client.diagnostics(uri, { version: 1, timeoutMs: 60_000 });
    const lines = text.split("\n");
    const line = Math.floor(lines.length / 2);
    const column = lines[line].length;
    const typed = " // typing in the middle of a large file, one character at a time, as people do".padEnd(EDITS / 2, ".");
    const latencies: number[] = [];
    const engine: number[] = [];
    const server: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const typing = i < EDITS / 2;
      const at = typing ? column + i : column + EDITS - i - 1;
      const change = typing
        ? { range: { start: { line, character: at }, end: { line, character: at } }, text: typed[i] }
        : { range: { start: { line, character: at }, end: { line, character: at + 1 } }, text: "" };
      const logsBefore = client.logs.length;
      const mark = client.mark;
      const sent = performance.now();
      const version = client.change(uri, [change]);
      await client.diagnostics(uri, { version, since: mark, timeoutMs: 60_000 });
      latencies.push(performance.now() - sent);
      await client.waitFor((message) => message.method === "window/logMessage" && / published [\d.]+ ms after/.test(message.params.message), "the server's timing line", { since: mark });
      const logged = client.logs.slice(logsBefore);
      const timing = logged.map((log) => / problems in ([\d.]+) ms/.exec(log.message)).find(Boolean);
      if (timing) engine.push(Number(timing[1]));
      const inside = logged.map((log) => / published ([\d.]+) ms after the change arrived/.exec(log.message)).find(Boolean);
      if (inside) server.push(Number(inside[1]));
    }
    if (client.text(uri) !== text) throw new Error("the edits did not restore the file");
    const sorted = [...latencies].sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`edit → diagnostics over ${EDITS} single-character edits (debounce 0): p50 ${fmt(percentile(sorted, 50))}, p95 ${fmt(percentile(sorted, 95))}, max ${fmt(sorted[sorted.length - 1])} (target p95 ≤ 30 ms)`);
    for (const [label, values] of [
      ["inside the server (change received → diagnostics sent)", server],
      ["of which analysis (session.refresh + findings)", engine],
    ] as const) {
      if (values.length === 0) continue;
      const ordered = [...values].sort((a, b) => a - b);
      console.log(`  ${label}: p50 ${fmt(percentile(ordered, 50))}, p95 ${fmt(percentile(ordered, 95))}, max ${fmt(ordered[ordered.length - 1])}`);
    }
    console.log(`server RSS after the edits: ${rssMb(client.child.pid!).toFixed(0)} MB`);
    await client.shutdown();
  } finally {
    client.kill();
  }
}

if (require.main === module) {
  run().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
