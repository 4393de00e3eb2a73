/** Runs the real scan over an in-memory workspace and returns what evidence detectors see. */
import { evidenceContext } from "../rules/checklist/context";
import type { EvidenceContext } from "../rules/checklist/evidence";
import { scanWorkspace } from "../rules/workspace";
import { MEMORY_ROOT, memoryHost } from "./memory-host";

export function evidenceFor(files: Record<string, string>, now = new Date("2026-11-27T12:00:00Z")): EvidenceContext {
  const host = memoryHost(files);
  const scan = scanWorkspace({ host, root: MEMORY_ROOT, config: {}, now });
  return evidenceContext(scan, host, now);
}
