/** The engine's file-system interface over the real disk, plus atomic writes for `--fix`. */
import * as fs from "fs";
import * as path from "path";
import type { FileSystemHost } from "../rules";

export const nodeHost: FileSystemHost = {
  readDirectory(directory) {
    try {
      return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
        // Symlinked directories are not followed: they loop, and usually point at build output.
        if (entry.isSymbolicLink()) return [];
        return entry.isDirectory() || entry.isFile() ? [{ name: entry.name, isDirectory: entry.isDirectory() }] : [];
      });
    } catch {
      return [];
    }
  },
  readFile(file) {
    try {
      return fs.readFileSync(file);
    } catch {
      return undefined;
    }
  },
};

/**
 * Replaces a file's content atomically: a sibling temp file is written, given the original's mode,
 * and renamed over it, so a crash never leaves a half-written file.
 */
export function writeFileAtomic(file: string, content: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.readiness-${process.pid}-${Date.now()}.tmp`);
  try {
    const mode = fs.existsSync(file) ? fs.statSync(file).mode : undefined;
    fs.writeFileSync(temporary, content, mode === undefined ? undefined : { mode });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
