// When a child process is really done for a test: its output pipes can outlive its 'exit' (Node
// gives no promise that they have ended by then, and a process it started, such as a server's
// worker or a shell's background job, may still hold them and write), so a test that checks the
// output once the process is gone must wait for 'close' (stdout and stderr ended) too.
import type { ChildProcess } from "node:child_process";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Resolves once `proc` has exited and its output pipes have ended. A grandchild that holds the
 * pipes open cannot hang a test: `graceMs` after the exit it resolves anyway.
 */
export function exitedWithOutput(proc: ChildProcess, graceMs = 5_000): Promise<Exit> {
  return new Promise((resolve) => {
    proc.once("exit", (code, signal) => {
      const finish = () => {
        clearTimeout(grace);
        resolve({ code, signal });
      };
      const grace = setTimeout(finish, graceMs);
      grace.unref();
      proc.once("close", finish);
    });
  });
}
