// Bundles a service's entry points into single ESM files under <service>/dist/ for deployment:
//   cd services/<name> && node --import tsx ../../scripts/bundle.ts src/cmd/a.ts [...] [--external pkg ...]
//      [--minify-whitespace]
// Why: under tsx every process carries an off-thread module loader and per-module transpile
// state (~35-60 MB RSS on Node 20, which has no in-thread loader hooks). A bundle runs on plain
// `node`. --minify-whitespace drops comments and layout: V8 keeps a script's source in the
// heap, at two bytes per character once any comment holds a non-ASCII character (MCNS: 3.8 MB).
// Native addons stay external (loaded from node_modules); `require` is provided for the CommonJS
// dependencies inside the ESM bundle. Sources keep running under tsx in development and tests;
// the bundle is built, never committed (dist/ is ignored).
import { basename } from "node:path";
import { build } from "esbuild";

const args = process.argv.slice(2);
const entries: string[] = [];
const external: string[] = [];
let minifyWhitespace = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--external") external.push(args[++i] ?? "");
  else if (args[i] === "--minify-whitespace") minifyWhitespace = true;
  else entries.push(args[i]!);
}
if (entries.length === 0) {
  process.stderr.write(
    "usage: bundle.ts <entry.ts>... [--external <package>]... [--minify-whitespace]\n",
  );
  process.exit(2);
}

await build({
  entryPoints: entries,
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
