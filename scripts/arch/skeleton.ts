// The one service skeleton (ARCHITECTURE.md "Service layout"): the parts every service has,
// and the names that must not come back once they were unified.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

export interface SkeletonProblem {
  path: string;
  message: string;
}

/** Entry points parse arguments and call into src/; more than this many lines is logic. */
export const MAX_CMD_LINES = 60;

function required(name: string): Array<[string, string]> {
  return [
    ["package.json", "the package manifest"],
    ["README.md", "what the service is and how to run it"],
    ["RUNBOOK.md", "how to operate it"],
    ["src/app.ts", "the composition root (one name in every service)"],
    ["src/config.ts", "the config schema"],
    ["src/cmd", "entry points"],
    ["test", "integration tests"],
    ["deploy", "systemd unit, Containerfile, example config"],
    [`deploy/${name}.example.toml`, "the example config (one name in every service)"],
  ];
}

/** Names that other skeletons used and that were unified; each has its one replacement. */
const RETIRED: Array<[string, string]> = [
  ["src/ctl", "src/cli"],
  ["src/core.ts", "src/app.ts"],
  ["src/bootstrap.ts", "src/app.ts"],
  ["src/server.ts", "src/app.ts"],
  ["test/support", "test/helpers"],
  ["test/util", "test/helpers"],
  ["test/utils", "test/helpers"],
  ["test/fixtures-helpers", "test/helpers"],
];

export function checkSkeleton(root: string, serviceDir: string): SkeletonProblem[] {
  const problems: SkeletonProblem[] = [];
  const name = basename(serviceDir);
  for (const [rel, what] of required(name)) {
    if (!existsSync(join(root, serviceDir, rel))) {
      problems.push({ path: `${serviceDir}/${rel}`, message: `missing (${what})` });
    }
  }
  for (const [rel, instead] of RETIRED) {
    if (existsSync(join(root, serviceDir, rel))) {
      problems.push({ path: `${serviceDir}/${rel}`, message: `use ${instead} instead` });
    }
  }
  const cmd = join(root, serviceDir, "src/cmd");
  if (existsSync(cmd) && statSync(cmd).isDirectory()) {
    for (const f of readdirSync(cmd)) {
      const lines = readFileSync(join(cmd, f), "utf8").split("\n").length;
      if (lines > MAX_CMD_LINES) {
        problems.push({
          path: `${serviceDir}/src/cmd/${f}`,
          message: `${lines} lines: an entry point parses arguments and calls into src/ (at most ${MAX_CMD_LINES})`,
        });
      }
    }
  }
  return problems;
}
