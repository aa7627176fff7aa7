// Bundles a service's entry points into single ESM files under <service>/dist/ for deployment:
//   cd services/<name> && node --import tsx ../../scripts/bundle.ts src/cmd/a.ts [...] [--external pkg ...]
//      [--minify-whitespace] [--splitting]
// Why: under tsx every process carries an off-thread module loader and per-module transpile
// state (~35-60 MB RSS on Node 20, which has no in-thread loader hooks). A bundle runs on plain
// `node`. --minify-whitespace drops comments and layout: V8 keeps a script's source in the
// heap, at two bytes per character once any comment holds a non-ASCII character (MCNS: 3.8 MB).
// Native addons stay external (loaded from node_modules); `require` is provided for the CommonJS
// dependencies inside the ESM bundle. Sources keep running under tsx in development and tests;
// the bundle is built, never committed (dist/ is ignored).
// --splitting: what an entry reaches only through `await import()` goes into dist/chunks/, read
// only when that import runs (node builtins such as node:http2 included), so a CLI's start-up
// skips the code of commands it does not run. dist/chunks/ is rebuilt from scratch each time.
import { rmSync } from "node:fs";
import { basename } from "node:path";
import { build } from "esbuild";

const args = process.argv.slice(2);
const entries: string[] = [];
const external: string[] = [];
let minifyWhitespace = false;
let splitting = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--external") external.push(args[++i] ?? "");
  else if (args[i] === "--minify-whitespace") minifyWhitespace = true;
  else if (args[i] === "--splitting") splitting = true;
  else entries.push(args[i]!);
}
if (entries.length === 0) {
  process.stderr.write(
    "usage: bundle.ts <entry.ts>... [--external <package>]... [--minify-whitespace] [--splitting]\n",
  );
  process.exit(2);
}

if (splitting) rmSync("dist/chunks", { recursive: true, force: true });
await build({
  entryPoints: entries,
  ...(splitting ? { splitting: true, chunkNames: "chunks/[name]-[hash]" } : {}),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  external,
  minifyWhitespace,
  banner: {
    js: "import { createRequire as __mcCreateRequire } from 'node:module'; const require = __mcCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
  legalComments: "none",
});
process.stdout.write(`bundled ${entries.map((e) => basename(e)).join(", ")} into dist/\n`);
