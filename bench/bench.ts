/**
 * `npm run bench`: generates a corpus of realistic TypeScript files from the example service (renamed
 * identifiers, sizes up to 3,000 lines) and prints, in one run, the parse-only floor, the full
 * `readiness check --format json` time in-process, their ratio, files/second and peak RSS.
 */
import * as fs from "fs";
import * as path from "path";
import { Writable } from "stream";
import ts = require("typescript");
import { main } from "../cli/main";

const REPO = path.resolve(__dirname, "..", "..");
const SOURCE = path.join(REPO, "examples", "saas-api", "src");
export const CORPUS = path.join(REPO, ".bench-corpus");
const FILE_COUNT = Number(process.env.BENCH_FILES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function listTs(directory: string): string[] {
  return fs
    .readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Renames every identifier a chunk declares, so copies read as different code. */
function renameDeclared(text: string, suffix: string): string {
  const declared = new Set<string>();
  for (const match of text.matchAll(/\b(?:const|let|var|function|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)) declared.add(match[1]);
  if (declared.size === 0) return text;
  const pattern = new RegExp(`(?<![.\\w$])(${[...declared].map((name) => name.replace(/\$/g, "\\$")).join("|")})(?![\\w$])`, "g");
  return text.replace(pattern, `$1${suffix}`);
}

/**
 * Deterministic sizes shaped like a real service's files: three in four small (20–160 lines), one in
 * five medium (160–600), one in twenty large (600–3,000).
 */
function targetLines(index: number): number {
  const r = ((index * 2654435761) >>> 0) / 0xffffffff;
  if (r < 0.75) return 20 + Math.floor((r / 0.75) * 140);
  if (r < 0.95) return 160 + Math.floor(((r - 0.75) / 0.2) * 440);
  return 600 + Math.floor(((r - 0.95) / 0.05) * 2400);
}

export function generateCorpus(): string[] {
  const chunks = listTs(SOURCE).map((file) => fs.readFileSync(file, "utf8"));
  if (chunks.length === 0) throw new Error(`no example sources under ${SOURCE}`);
  fs.rmSync(CORPUS, { recursive: true, force: true });
  fs.mkdirSync(path.join(CORPUS, "src"), { recursive: true });
  fs.writeFileSync(path.join(CORPUS, "package.json"), fs.readFileSync(path.join(SOURCE, "..", "package.json")));
  const files: string[] = [];
  let chunkIndex = 0;
  for (let i = 0; i < FILE_COUNT; i++) {
    const want = Math.min(3000, targetLines(i));
    const parts: string[] = [];
    let lines = 0;
    while (lines < want) {
      const chunk = renameDeclared(chunks[chunkIndex % chunks.length], `_${i}_${chunkIndex}`);
      chunkIndex++;
      const chunkLines = chunk.split("\n");
      const take = chunkLines.slice(0, Math.min(chunkLines.length, want - lines + 5));
      parts.push(take.join("\n"));
      lines += take.length;
    }
    const file = path.join(CORPUS, "src", `module${String(i).padStart(4, "0")}.ts`);
    fs.writeFileSync(file, parts.join("\n"));
    files.push(file);
  }
  return files;
}

function timeMs(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function run(): Promise<void> {
  const files = generateCorpus();
  const texts = files.map((file) => fs.readFileSync(file, "utf8"));
  const totalLines = texts.reduce((sum, text) => sum + text.split("\n").length, 0);
  const largest = Math.max(...texts.map((text) => text.split("\n").length));
  console.log(`corpus: ${files.length} files, ${totalLines.toLocaleString("en")} lines (largest ${largest}), in ${path.relative(REPO, CORPUS)}/`);

  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const check = () => main(["check", CORPUS, "--format", "json", "--fail-on", "never"], { stdout: sink, stderr: sink, cwd: REPO, env: {} });

  const parseTimes: number[] = [];
  const checkTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    global.gc?.();
    parseTimes.push(timeMs(() => {
      for (let i = 0; i < texts.length; i++) ts.createSourceFile(files[i], texts[i], ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    }));
    global.gc?.();
    const start = process.hrtime.bigint();
    await check();
    checkTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const parse = Math.min(...parseTimes);
  const analysis = Math.min(...checkTimes);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log(`parse only (ts.createSourceFile), best of ${ROUNDS}: ${fmt(parse)}`);
  console.log(`readiness check --format json (in-process, incl. listing, reading, formatting), best of ${ROUNDS}: ${fmt(analysis)}`);
  console.log(`ratio analysis / parse floor: ${(analysis / parse).toFixed(2)}x (target ≤ 1.5x)`);
  console.log(`throughput: ${Math.round(files.length / (analysis / 1000)).toLocaleString("en")} files/s (target ≥ 1,000)`);
  console.log(`peak RSS: ${peakRssMb.toFixed(0)} MB`);
}

if (require.main === module) {
  run().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
