// Bundles the CLI (and later the server and client) into single files with esbuild.
import { build } from "esbuild";
import { chmodSync } from "node:fs";

const production = process.argv.includes("--production");

await build({
  entryPoints: { cli: "cli/main.ts" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // jsonc-parser's UMD build hides its requires from bundlers; its ESM build bundles cleanly.
  mainFields: ["module", "main"],
  outdir: "dist",
  minify: production,
  sourcemap: production ? false : "linked",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
chmodSync("dist/cli.js", 0o755);
