/**
 * Keeps the server's memory flat during a workspace scan. Each analysed file's syntax tree becomes
 * garbage right after its analysis, and V8 lets the heap grow to several times the live data before it
 * collects, which an editor sees as a server holding hundreds of megabytes. Collecting explicitly
 * whenever the heap has grown by `STEP` since the last collection costs a few percent of scan time.
 * `global.gc` exists only under `--expose-gc`; the flag can be turned on at run time, and a fresh
 * context then has `gc` as a global. Without it (another runtime), nothing is collected explicitly.
 */
import * as v8 from "v8";
import * as vm from "vm";

const STEP = 16 * 1024 * 1024;
const IDLE_MS = 500;
const BURST_STEP = 128 * 1024 * 1024;

let collect: (() => void) | undefined;
let floor = 0;

export function enableExplicitCollection(): void {
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as unknown;
    if (typeof gc === "function") collect = gc as () => void;
  } catch {
    collect = undefined;
  }
  floor = v8.getHeapStatistics().used_heap_size;
}

let idleTimer: NodeJS.Timeout | undefined;

/**
 * After a validation (its diagnostics already sent): collects once things have been quiet for a
 * moment, or at once when a long burst of edits has grown the heap by `BURST_STEP`.
 */
export function collectWhenIdle(): void {
  if (!collect) return;
  if (v8.getHeapStatistics().used_heap_size > floor + BURST_STEP) {
    setImmediate(collectNow);
    return;
  }
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    collectIfGrown();
  }, IDLE_MS);
  idleTimer.unref();
}

/** Collects when the heap grew by more than `STEP` since the last collection. */
export function collectIfGrown(): void {
  if (!collect) return;
  if (v8.getHeapStatistics().used_heap_size < floor + STEP) return;
  collectNow();
}

export function collectNow(): void {
  if (!collect) return;
  collect();
  floor = v8.getHeapStatistics().used_heap_size;
}
