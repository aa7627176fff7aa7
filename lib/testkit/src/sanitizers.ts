// Native tests under AddressSanitizer and UndefinedBehaviorSanitizer: a child `node --test` with
// the compiler's libasan preloaded and MC_NATIVE_BUILD=asan, so the services load the asan builds
// of their addons (scripts/build-addon.mjs builds them into native/build/asan/). Node itself is
// not instrumented: the ASan runtime must be loaded before anything else, leak checking is off
// (node does not free everything at exit), and UBSan stops at its first finding.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { REPO_ROOT } from "./process.ts";

/** The environment a node process needs to load asan builds; throws without a libasan. */
export function sanitizerEnv(): Record<string, string> {
  const cxx = process.env.CXX || "g++";
  const libasan = execFileSync(cxx, ["-print-file-name=libasan.so"], { encoding: "utf8" }).trim();
  if (!libasan.startsWith("/") || !existsSync(libasan))
    throw new Error(`${cxx} -print-file-name=libasan.so found no library (${libasan})`);
  return {
    MC_NATIVE_BUILD: "asan",
    LD_PRELOAD: libasan,
    ASAN_OPTIONS: "detect_leaks=0",
    UBSAN_OPTIONS: "halt_on_error=1:print_stacktrace=1",
  };
}

const FINDING = /ERROR: AddressSanitizer[^\n]*|AddressSanitizer:DEADLYSIGNAL|runtime error:[^\n]*/g;

export interface SanitizedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr of the run, interleaved. */
  output: string;
  /** Sanitizer reports found in the output (ASan errors, UBSan "runtime error:" lines). */
  findings: string[];
}

export interface SanitizedRunOptions {
  /** Only the tests (or suites) whose name matches: node's --test-name-pattern. */
  namePattern?: string;
  /** The run is killed after this long. */
  timeoutMs?: number;
}

/**
 * Runs test files (paths from the repository root) with `node --test` under the sanitizers, one
 * file at a time. The child processes those tests start inherit the preload too.
 */
export function runTestsUnderSanitizers(
  files: readonly string[],
  { namePattern, timeoutMs = 240_000 }: SanitizedRunOptions = {},
): Promise<SanitizedRun> {
  const args = ["--import", "tsx", "--test", "--test-concurrency=1"];
  if (namePattern !== undefined) args.push(`--test-name-pattern=${namePattern}`);
  args.push(...files);
  // Without NODE_TEST_CONTEXT: inside a test file, node refuses to start a nested run.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...env, ...sanitizerEnv() },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const parts: Buffer[] = [];
  child.stdout.on("data", (d: Buffer) => parts.push(d));
  child.stderr.on("data", (d: Buffer) => parts.push(d));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const output = Buffer.concat(parts).toString("utf8");
      resolve({ code, signal, output, findings: output.match(FINDING) ?? [] });
    });
  });
}

/** Fails unless the run passed tests, exited 0 and printed no sanitizer report. */
export function assertSanitizedRunClean(r: SanitizedRun): void {
  const tail = r.output.slice(-6000);
  assert.deepEqual(r.findings, [], tail);
  assert.equal(r.code, 0, `exit ${r.code} ${r.signal ?? ""}\n${tail}`);
  assert.match(r.output, /# pass [1-9]/, `no test passed\n${tail}`);
  assert.match(r.output, /# fail 0/, tail);
}
