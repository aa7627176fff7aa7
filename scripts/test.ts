// The one test command: typecheck, lint, the architecture check, every package's tests, then the generated-code drift check.
// Node 20's test runner needs an explicit file list, so the files are collected here.
// Usage: npm test [-- <path filter>...]   e.g. npm test -- lib/mcdsl services/mcns
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const filters = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const skipStatic = process.argv.includes("--tests-only");

const SEARCH_ROOTS = ["lib", "services", "e2e", "scripts"];
const SKIP_DIRS = new Set(["node_modules", "gen", "deploy", "static", ".git"]);

function collect(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith(".test.ts") || name.endsWith(".test.tsx")) out.push(relative(root, p));
  }
}

function run(label: string, cmd: string, args: string[]): number {
  console.log(`\n== ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env });
  return r.status ?? 1;
}

/**
 * Every fuzz test's seed (MC_FUZZ_SEED) comes from the commit under test unless set: CI on a commit
 * replays exactly what a run of the same commit elsewhere did, and each new commit explores new
 * inputs. Outside a git checkout each fuzz test draws its own seed.
 */
function commitFuzzSeed(): { env: Record<string, string>; note: string } {
  const given = process.env.MC_FUZZ_SEED;
  if (given) return { env: {}, note: `MC_FUZZ_SEED=${given} as given` };
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
  const hash = head.status === 0 ? head.stdout.trim() : "";
  if (!/^[0-9a-f]{8}/.test(hash)) return { env: {}, note: "fuzz seeds drawn per test" };
  const seed = String(Number.parseInt(hash.slice(0, 8), 16) % 2 ** 31);
  return {
    env: { MC_FUZZ_SEED: seed },
    note: `MC_FUZZ_SEED=${seed} from commit ${hash.slice(0, 12)}`,
  };
}

const bin = (name: string) => join(root, "node_modules/.bin", name);
let failed = false;

if (!skipStatic) {
  if (run("typecheck (tsc --noEmit)", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]) !== 0)
    failed = true;
  if (
    run("lint (biome, warnings are errors)", bin("biome"), [
      "check",
      "--error-on-warnings",
      ".",
    ]) !== 0
  )
    failed = true;
  if (
    run("architecture (package rules, import loops, skeleton)", process.execPath, [
      "--import",
      "tsx",
      "scripts/check-architecture.ts",
    ]) !== 0
  )
    failed = true;
}

mkdirSync(join(root, ".tmp"), { recursive: true });
const files: string[] = [];
for (const r of SEARCH_ROOTS) collect(join(root, r), files);
files.sort();
const selected = filters.length ? files.filter((f) => filters.some((x) => f.startsWith(x))) : files;

// The static checks are listed first but the tests still run when they fail, so one run shows everything.
const fuzzSeed = commitFuzzSeed();
console.log(`\n== tests (${selected.length} files; ${fuzzSeed.note})`);
const concurrency = process.env.MC_TEST_CONCURRENCY ?? "3";
const t = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=./scripts/summary-reporter.mjs",
    "--test-reporter-destination=.tmp/test-summary.json",
    ...selected,
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "test", ...fuzzSeed.env } },
);
if (t.status !== 0) failed = true;

if (!skipStatic && filters.length === 0) {
  if (
    run("generated code drift", process.execPath, [
      "--import",
      "tsx",
      "scripts/generate.ts",
      "--check",
    ]) !== 0
  )
    failed = true;
}

// The run closes on the test runner's own counts, so CI reads a summary as the last line.
const { readFileSync } = await import("node:fs");
let summary = { pass: 0, fail: 0, skipped: 0 };
try {
  summary = JSON.parse(readFileSync(join(root, ".tmp/test-summary.json"), "utf8"));
} catch {
  failed = true;
}
if (summary.skipped > 0) {
  console.error(`${summary.skipped} skipped/todo tests: skipped tests are not allowed`);
  failed = true;
}
const staticFail = failed && summary.fail === 0 ? 1 : 0;
console.log(`\ntests: ${summary.pass} passed, ${summary.fail + staticFail} failed`);
process.exit(failed ? 1 : 0);
