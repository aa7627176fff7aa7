// The mcp CLI as an operator runs it: a child process with its own XDG_CONFIG_HOME (mcp.toml,
// service definitions, the token cache) and nothing else from the environment of the test.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { REPO_ROOT } from "@metacircular/testkit";

const run = promisify(execFile);
const MCP = `${REPO_ROOT}/services/mcp/src/cmd/mcp.ts`;

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function mcp(
  configHome: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  try {
    const r = await run(process.execPath, ["--import", "tsx", MCP, ...args], {
      env: { PATH: process.env.PATH, HOME: configHome, XDG_CONFIG_HOME: configHome, ...env },
      timeout: 300_000,
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}
