// Progress of a long call on stderr (stdout stays the result, so --json output is unaffected):
// what started, a line every few seconds while it runs when stderr is a terminal, and how long
// it took.
import type { CliIO } from "@metacircular/mcdsl/cli";

export async function withProgress<T>(
  io: CliIO,
  label: string,
  f: () => Promise<T>,
  opts: { tty?: boolean; everyMs?: number } = {},
): Promise<T> {
  const t0 = performance.now();
  const secs = () => ((performance.now() - t0) / 1000).toFixed(1);
  io.err(`${label}…\n`);
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  const timer = tty
    ? setInterval(() => io.err(`${label}: still running, ${secs()} s\n`), opts.everyMs ?? 2000)
    : undefined;
  try {
    const r = await f();
    io.err(`${label}: done in ${secs()} s\n`);
    return r;
  } finally {
    if (timer) clearInterval(timer);
  }
}
