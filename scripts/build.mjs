// Bundles the CLI, the language server and the VS Code extension into single files with esbuild.
import { build } from "esbuild";
import { chmodSync } from "node:fs";

const production = process.argv.includes("--production");

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // jsonc-parser's UMD build hides its requires from bundlers; its ESM build bundles cleanly.
  mainFields: ["module", "main"],
  outdir: "dist",
  minify: production,
  sourcemap: production ? false : "linked",
  logLevel: "warning",
};

await Promise.all([
  build({ ...common, entryPoints: { cli: "cli/main.ts" }, banner: { js: "#!/usr/bin/env node" } }),
  // `node dist/server.js --stdio | --node-ipc`: what the VS Code extension and other editors run.
  // Always minified: the bundle's source text stays in memory for the server's lifetime (~30 MB less
  // RSS); `node --enable-source-maps dist/server.js` maps stack traces back. No keepNames: it costs
  // the same 30 MB again.
  build({ ...common, entryPoints: { server: "server/bin.ts" }, minify: true }),
  // The extension host provides `vscode`; everything else (the language client) is bundled.
  build({ ...common, entryPoints: { extension: "client/extension.ts" }, external: ["vscode"] }),
]);
chmodSync("dist/cli.js", 0o755);
