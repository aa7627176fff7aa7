// Resident memory after abuse: an engine (lean HTTP/2 front) in a child process with --expose-gc
// takes rounds of rapid reset, CONTINUATION, PING, SETTINGS and HPACK floods over real TLS
// connections; once they are gone, the engine has trimmed its malloc heap (memory-trim.ts) and
// garbage is collected, its memory outside V8's heap must come back near the baseline taken after
// a warm-up round and its resident set must not grow from round to round (generous bounds, no
// timing). Buffers, maps or pools kept by dead connections would show here. (The baseline follows
// a warm-up, so this checks for leaks, not that the trim happens: the trim's count is polled.)
import assert from "node:assert/strict";
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { frame, literalBlock, PREFACE, request, rst, settings } from "./helpers/h2-wire.ts";

interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const MB = 1 << 20;

/** One abusive client: writes `next()` until the proxy closes the connection. */
function abuse(port: number, ca: string, next: (i: number) => Buffer): Promise<void> {
  return new Promise((res) => {
    const s = tlsConnect({
      host: "127.0.0.1",
      port,
      servername: "abuse.test",
      ca,
      ALPNProtocols: ["h2"],
    });
    let i = 0;
    const pump = () => {
      while (!s.destroyed && s.writable && i < 20_000) if (!s.write(next(i++))) return;
    };
    s.on("secureConnect", () => {
      s.write(Buffer.concat([PREFACE, settings()]));
      pump();
    });
    s.on("drain", pump);
    s.on("data", () => {});
    s.on("error", () => {});
    s.on("close", () => res());
    s.setTimeout(20_000, () => s.destroy());
  });
}

const big = "v".repeat(4000);
const FLOODS: Record<string, (i: number) => Buffer> = {
  "rapid reset": (i) => Buffer.concat([request(2 * i + 1, [], false, "POST"), rst(2 * i + 1, 8)]),
  CONTINUATION: (i) =>
    i === 0
      ? frame(1, 0, 1, literalBlock([[":method", "GET"]]))
      : frame(9, 0, 1, Buffer.alloc(16_000, 0x82)),
  PING: () => frame(6, 0, 0, Buffer.alloc(8)),
  SETTINGS: () => settings([[4, 65_535]]),
  // New dynamic-table entries (literal with incremental indexing) in every request.
  HPACK: (i) => {
    const b = literalBlock([
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/"],
      [`x-${i}`, big],
    ]);
    const at = b.indexOf(Buffer.from(`x-${i}`)) - 2;
    b[at] = 0x40; // literal with incremental indexing, new name
    return frame(1, 5, 2 * i + 1, b);
  },
};

describe("resident memory after abuse", () => {
  let child: ChildProcess;
  let port = 0;
  let ca = "";
  const ask = async <T>(what: string): Promise<T> => {
    child.send(what);
    const [m] = (await once(child, "message")) as [T];
    return m;
  };
  /** Waits (polling, no deadline of its own) until the engine has trimmed after the floods. */
  const trimmed = async (before: number): Promise<number> => {
    for (;;) {
      const { trims } = await ask<{ trims: number }>("trims");
      if (trims > before) return trims;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const measure = async (): Promise<Memory> => {
    child.send("measure");
    const [m] = (await once(child, "message")) as [Memory];
    return m;
  };

  before(async () => {
    child = fork(resolve(import.meta.dirname, "helpers/abuse-target.ts"), {
      execArgv: ["--expose-gc", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const [m] = (await once(child, "message")) as [{ port: number; ca: string }];
    port = m.port;
    ca = m.ca;
  });

  after(async () => {
    child?.send("stop");
    if (child?.exitCode === null) await once(child, "exit");
  });

  it("returns near its baseline once the abusive connections are gone", async () => {
    // Warm up: one round of each flood, so lazily built state (TLS contexts, pools) exists.
    for (const f of Object.values(FLOODS))
      await Promise.all(Array.from({ length: 16 }, () => abuse(port, ca, f)));
    let trims = await trimmed(0);
    const base = await measure();
    const peak: Memory[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [, f] of Object.entries(FLOODS))
        await Promise.all(Array.from({ length: 16 }, () => abuse(port, ca, f)));
      trims = await trimmed(trims);
      peak.push(await measure());
    }
    const end = peak[peak.length - 1] as Memory;
    const fig = (m: Memory) =>
      `rss ${(m.rss / MB).toFixed(1)} MB, heap ${(m.heapUsed / MB).toFixed(1)}/${(m.heapTotal / MB).toFixed(1)} MB, external ${(m.external / MB).toFixed(1)} MB`;
    const report = `baseline ${fig(base)}; after each round: ${peak.map(fig).join(" | ")}`;
    console.log(report);
    // V8 may keep the heap pages a flood made it reserve (heapTotal) on a loaded machine; that
    // is not a leak. What the trim returns is the memory outside V8's heap, so the bound is on
    // rss - heapTotal against the baseline, and on rss across the rounds (a leak grows each one).
    const outsideHeap = (m: Memory) => m.rss - m.heapTotal;
    assert.ok(end.heapUsed - base.heapUsed < 8 * MB, report);
    assert.ok(outsideHeap(end) - outsideHeap(base) < 12 * MB, report);
    assert.ok(end.rss - (peak[0] as Memory).rss < 12 * MB, report);
  });
});
