// Runs the real openssl binary (the relying-party side of every CA test).

import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function openssl(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run("openssl", args, { timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: typeof x.code === "number" ? x.code : 1, out: `${x.stdout}${x.stderr}` };
  }
}
