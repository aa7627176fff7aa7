// The real zstd binary (Debian package "zstd") as compressor and decompressor.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { ArchiveError } from "./tar-format.ts";

type Proc = ChildProcessByStdio<Writable, Readable, Readable>;

function run(args: string[]): { proc: Proc; done: Promise<void> } {
  const proc = spawn("zstd", args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<void>((resolve, reject) => {
    proc.once("error", (e) => reject(new ArchiveError(`cannot run zstd: ${e.message}`)));
    proc.once("close", (code) =>
      code === 0 ? resolve() : reject(new ArchiveError(`zstd exited ${code}: ${stderr.trim()}`)),
    );
  });
  return { proc, done };
}

/** zstd writing `outPath`; feed the tar stream into `proc.stdin`. */
export function compressTo(outPath: string, level = 3): { stdin: Writable; done: Promise<void> } {
  const { proc, done } = run(["-q", "-f", `-${level}`, "-T0", "-o", outPath]);
  proc.stdout.resume();
  return { stdin: proc.stdin, done };
}

/** zstd -d reading `inPath`; the tar stream comes out of `stdout`. */
export function decompressFrom(inPath: string): {
  stdout: Readable;
  done: Promise<void>;
  kill(): void;
} {
  const { proc, done } = run(["-q", "-d", "-c", "--", inPath]);
  proc.stdin.end();
  return { stdout: proc.stdout, done, kill: () => proc.kill() };
}

/**
 * After the tar reader failed: when zstd's output already ended, zstd's own error (not a zstd
 * file, corrupt frame) explains more than "truncated"; otherwise stop zstd and keep `err`.
 */
export async function settleDecompress(
  z: { stdout: Readable; done: Promise<void>; kill(): void },
  err: unknown,
): Promise<unknown> {
  if (z.stdout.readableEnded) {
    const zErr = await z.done.then(
      () => undefined,
      (x: unknown) => x,
    );
    return zErr ?? err;
  }
  z.kill();
  z.stdout.destroy();
  await z.done.catch(() => undefined);
  return err;
}
