// Health probes: one HTTP(S) GET that must answer 2xx. HTTPS probes connect to loopback and name
// the route in SNI and Host, so they go through MC-Proxy exactly as a browser at
// https://<service>.localhost:<port> does, verified against the local CA.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface ProbeOptions {
  /** HTTPS only: the name sent in SNI and Host while connecting to the URL's address. */
  servername?: string;
  ca?: string | Buffer;
  timeoutMs?: number;
}

export function probe(url: string, o: ProbeOptions = {}): Promise<boolean> {
  const u = new URL(url);
  const tls = u.protocol === "https:";
  return new Promise((resolve) => {
    const req = (tls ? httpsRequest : httpRequest)(
      u,
      {
        method: "GET",
        timeout: o.timeoutMs ?? 2_000,
        agent: false,
        ...(o.servername ? { headers: { host: `${o.servername}:${u.port}` } } : {}),
        ...(tls
          ? { servername: o.servername ?? u.hostname, ca: o.ca, minVersion: "TLSv1.3" as const }
          : {}),
      },
      (res) => {
        res.resume();
        const s = res.statusCode ?? 0;
        resolve(s >= 200 && s < 300);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** Polls `check` until it is true; false when the deadline passes or `cancelled()` says so. */
export async function pollUntil(
  check: () => Promise<boolean>,
  opts: { intervalMs?: number; timeoutMs: number; cancelled?: () => boolean },
): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline && !opts.cancelled?.()) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
  return false;
}
