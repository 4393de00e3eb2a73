// Builds the vsix the way `npm run package` does (production bundles, then `vsce package`) and checks the
// real artifact: exactly the run-time files, no sources or source maps, minified bundles, a small size.
//
// It packages a copy of the working tree (with node_modules linked in), not the tree itself: the
// production build rewrites dist/, which the CLI and server tests run concurrently. The copy keeps the
// tree's leftovers (dev source maps in dist/, compiled tests in out/, …) so .vscodeignore is tested
// against them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../workspace-fixture";
import { readZipEntries, readZipEntry, ZipEntry } from "./zip";

const VSCE = path.join(REPO_ROOT, "node_modules", ".bin", "vsce");
const MAX_VSIX_BYTES = 5 * 1024 * 1024;

/** Everything the packaged extension needs, under vsce's names (readme/changelog lower-cased, LICENSE.txt). */
const EXPECTED = [
  "[Content_Types].xml",
  "extension.vsixmanifest",
  "extension/package.json",
  "extension/readme.md",
  "extension/changelog.md",
  "extension/LICENSE.txt",
  "extension/dist/extension.js",
  "extension/dist/server.js",
  "extension/dist/cli.js",
  "extension/media/icon.png",
  "extension/media/readiness.svg",
  "extension/schemas/readiness.config.schema.json",
  "extension/syntaxes/readiness-directives.injection.tmLanguage.json",
  "extension/syntaxes/readiness-markdown.injection.tmLanguage.json",
];

/** Top-level entries of the repository not copied into the packaging workspace (large, and never packaged). */
const NOT_COPIED = new Set([".git", "node_modules", ".bench-corpus", ".vscode-test", ".vscode-test-web"]);

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(result.status, 0, `${path.basename(args[0] ?? command)} ${args.slice(1).join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

describe("the vsix", () => {
  let workDir: string;
  let vsixPath: string;
  let zip: Buffer;
  let entries: ZipEntry[];
  const entry = (name: string): Buffer => {
    const found = entries.find((e) => e.name === name);
    assert.ok(found, `${name} is in the vsix`);
    return readZipEntry(zip, found);
  };

  before(
    () => {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), "readiness-vsix-"));
      const tree = path.join(workDir, "readiness");
      fs.cpSync(REPO_ROOT, tree, {
        recursive: true,
        filter: (source) => {
          const relative = path.relative(REPO_ROOT, source);
          const top = relative.split(path.sep)[0];
          return !NOT_COPIED.has(top) && !(relative === top && top.endsWith(".vsix"));
        },
      });
      fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(tree, "node_modules"), "junction");
      // Leftovers a developer's tree may hold, none of which belongs in the package.
      fs.mkdirSync(path.join(tree, ".bench-corpus"), { recursive: true });
      fs.writeFileSync(path.join(tree, ".bench-corpus", "file-0001.ts"), "export {};\n");
      fs.writeFileSync(path.join(tree, "dist", "extension.js.map"), "{}\n");
      fs.writeFileSync(path.join(tree, "old.vsix"), "");

      vsixPath = path.join(workDir, "readiness.vsix");
      run(process.execPath, [path.join("scripts", "build.mjs"), "--production"], tree);
      run(process.execPath, [VSCE, "package", "--no-dependencies", "--out", vsixPath], tree);
      zip = fs.readFileSync(vsixPath);
      entries = readZipEntries(zip);
    },
    { timeout: 600_000 },
  );

  after(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("holds exactly the run-time files", () => {
    assert.deepEqual(entries.map((e) => e.name).sort(), [...EXPECTED].sort());
  });

  it("holds no source maps, TypeScript sources or tests", () => {
    for (const { name } of entries) {
      assert.doesNotMatch(name, /\.map$/, name);
      assert.doesNotMatch(name, /\.tsx?$/, name);
      assert.doesNotMatch(name, /(^|\/)(test|out|node_modules|examples|bench|scripts|client|server|rules|shared|cli)\//, name);
    }
  });

  it(`is smaller than ${MAX_VSIX_BYTES / 1024 / 1024} MB`, () => {
    const size = fs.statSync(vsixPath).size;
    assert.ok(size < MAX_VSIX_BYTES, `the vsix is ${size} bytes`);
  });

  it("holds every file its manifest points at", () => {
    const manifest = JSON.parse(entry("extension/package.json").toString("utf8"));
    const inPackage = (file: string) => path.posix.join("extension", file);
    const names = new Set(entries.map((e) => e.name));
    const referenced: string[] = [
      manifest.main,
      manifest.icon,
      ...Object.values<string>(manifest.bin ?? {}),
      ...(manifest.contributes.viewsContainers?.activitybar ?? []).map((c: { icon: string }) => c.icon),
      ...Object.values<{ icon?: string }[]>(manifest.contributes.views ?? {}).flatMap((views) => views.flatMap((v) => (v.icon ? [v.icon] : []))),
      ...(manifest.contributes.grammars ?? []).map((g: { path: string }) => g.path),
      ...(manifest.contributes.jsonValidation ?? []).map((j: { url: string }) => j.url),
    ];
    assert.ok(manifest.main, "the manifest has a main");
    for (const file of referenced) assert.ok(names.has(inPackage(file)), `${file} (named in package.json) is in the vsix`);
  });

  it("holds minified bundles without source map links", () => {
    for (const bundle of ["extension", "server", "cli"]) {
      const text = entry(`extension/dist/${bundle}.js`).toString("utf8");
      // Only the trailing comment counts: the bundled TypeScript compiler holds the string itself.
      assert.doesNotMatch(text, /\/\/# sourceMappingURL=\S+\s*$/, `dist/${bundle}.js links no source map`);
      const lines = text.split("\n").length;
      assert.ok(text.length / lines > 200, `dist/${bundle}.js is minified (${lines} lines for ${text.length} characters)`);
    }
  });

  it("links the README and changelog to the repository, so their images need not be packaged", () => {
    for (const file of ["extension/readme.md", "extension/changelog.md"]) {
      const text = entry(file).toString("utf8");
      for (const [, link] of text.matchAll(/\]\(([^)\s]+)[^)]*\)/g)) {
        assert.match(link, /^(https:\/\/|#|mailto:)/, `${file}: ${link} is absolute`);
      }
    }
  });
});
