// The git CLI (Debian git) as a child process: no shell, a timeout, prompts off, and only the
// HTTP(S) transports allowed, so a remote can never make git run a local command or read a file.
import { spawn } from "node:child_process";

export interface GitRun {
  cwd?: string;
  timeoutMs: number;
  input?: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "GitError";
  }
}

const SAFE = [
  "-c",
  "protocol.allow=never",
  "-c",
  "protocol.http.allow=always",
  "-c",
  "protocol.https.allow=always",
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "credential.helper=",
];

export function git(args: string[], o: GitRun): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...SAFE, ...args], {
      cwd: o.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "true", LC_ALL: "C" },
      stdio: ["pipe", "pipe", "pipe"],
      timeout: o.timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const stderr = Buffer.concat(err).toString("utf8").trim();
      if (code === 0) return resolve(Buffer.concat(out));
      const why = signal ? `killed by ${signal}` : `exit ${code}`;
      reject(new GitError(`git ${args[0]} failed (${why}): ${stderr.split("\n").pop()}`, stderr));
    });
    child.stdin.on("error", () => {});
    child.stdin.end(o.input ?? "");
  });
}
