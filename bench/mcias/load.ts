// Tiny loopback load tools for the MCIAS benchmark: closed-loop (fixed concurrency) and
// open-loop (fixed rate) HTTP drivers that record per-request latency.
import { type Agent, request } from "node:http";

export interface Sample {
  ms: number;
  status: number;
}

export interface Summary {
  count: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

export function summarise(samples: Sample[], seconds: number): Summary {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return {
    count: samples.length,
    seconds,
    rps: samples.length / seconds,
    p50: Math.round(pct(50) * 100) / 100,
    p99: Math.round(pct(99) * 100) / 100,
    statuses,
  };
}

export function postJson(
  base: string,
  path: string,
  body: unknown,
  opts: { agent?: Agent; localAddress?: string } = {},
): Promise<Sample> {
  const payload = Buffer.from(JSON.stringify(body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method: "POST",
        ...(opts.agent ? { agent: opts.agent } : { agent: false }),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        headers: { "content-type": "application/json", "content-length": payload.length },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Runs `fn` with `concurrency` workers until `seconds` pass or `maxCount` calls were made. */
export async function closedLoop(
  fn: (i: number) => Promise<Sample>,
  concurrency: number,
  seconds: number,
  maxCount: number,
): Promise<Summary> {
  const samples: Sample[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline && next < maxCount) samples.push(await fn(next++));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarise(samples, (performance.now() - started) / 1000);
}

/** Fires `fn` at `rate` per second for `seconds`, regardless of how long each call takes. */
export async function openLoop(
  fn: (i: number) => Promise<Sample>,
  rate: number,
  seconds: number,
  stop?: AbortSignal,
): Promise<Summary> {
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total && !stop?.aborted; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      fn(i).then(
        (s) => void samples.push(s),
        () => void samples.push({ ms: 0, status: 0 }),
      ),
    );
  }
  await Promise.all(pending);
  return summarise(samples, (performance.now() - started) / 1000);
}
