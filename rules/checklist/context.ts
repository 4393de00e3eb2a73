/** Builds the evidence context detectors read from a finished workspace scan. */
import * as path from "path";
import { decodeText, type FileSystemHost, type ScanResult } from "../workspace";
import type { EvidenceContext } from "./evidence";

export function evidenceContext(scan: ScanResult, host: FileSystemHost, now: Date): EvidenceContext {
  const cache = new Map<string, string | undefined>();
  return {
    files: scan.listing.files,
    read(file) {
      if (!cache.has(file)) {
        const bytes = host.readFile(path.join(scan.root, file));
        cache.set(file, bytes ? decodeText(bytes).text : undefined);
      }
      return cache.get(file);
    },
    packageJsons: scan.listing.packageJsons,
    packages: scan.facts.packages,
    analyses: scan.analyses,
    signals: scan.facts.signals,
    findings: scan.findings,
    now,
  };
}
