// A raw TCP client for the ingress tests: sends bytes, collects the answer until the proxy
// closes; and polling for metrics that are booked from events trailing the client's view.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";

/** Connects, writes `bytes` (then ends unless keepOpen), collects everything until close. */
export function exchange(
  port: number,
  bytes: Buffer,
  o: { host?: string; local?: string; keepOpen?: boolean; pauseMs?: number } = {},
): Promise<{ data: Buffer; error?: string }> {
  return new Promise((res) => {
    const s: Socket = connect({
      host: o.host ?? "127.0.0.1",
      port,
      localAddress: o.local,
      allowHalfOpen: true,
    });
    const parts: Buffer[] = [];
    let error: string | undefined;
    s.on("connect", () => {
      s.write(bytes);
      if (!o.keepOpen) s.end();
      if (o.pauseMs) {
        s.pause();
        setTimeout(() => s.resume(), o.pauseMs);
      }
    });
    s.on("data", (d: Buffer) => parts.push(d));
    s.on("end", () => s.end());
    s.on("error", (e: Error & { code?: string }) => (error = e.code ?? e.message));
    s.on("close", () => res({ data: Buffer.concat(parts), error }));
  });
}

/**
 * Polls `read` (e.g. the metrics text) until it matches, then asserts the match. The bound is
 * generous (a loaded machine, or the sanitizer build, can book an event seconds late); a match
 * ends the wait at once.
 */
export async function eventually(read: () => Promise<string>, re: RegExp): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !re.test(await read()))
    await new Promise((r) => setTimeout(r, 20));
  assert.match(await read(), re);
}
