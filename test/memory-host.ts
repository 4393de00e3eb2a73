/** An in-memory workspace behind the engine's FileSystemHost, for scanner and detector tests. */
import * as path from "node:path";
import type { FileSystemHost } from "../rules/workspace";

export const MEMORY_ROOT = "/workspace";

export function memoryHost(files: Record<string, string>): FileSystemHost {
  const contents = new Map(Object.entries(files).map(([relative, text]) => [path.posix.join(MEMORY_ROOT, relative), new TextEncoder().encode(text)]));
  return {
    readFile: (file) => contents.get(file),
    readDirectory(directory) {
      const prefix = directory.endsWith("/") ? directory : `${directory}/`;
      const entries = new Map<string, boolean>();
      for (const file of contents.keys()) {
        if (!file.startsWith(prefix)) continue;
        const [name, ...rest] = file.slice(prefix.length).split("/");
        entries.set(name, rest.length > 0 || entries.get(name) === true);
      }
      return [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
  };
}
