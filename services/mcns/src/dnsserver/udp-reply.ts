// What the UDP listeners (node:dgram and batched) share: the outcome of response rate limiting
// for one reply, and the truncated "slip" reply that tells a limited client to retry over TCP.

import type { QueryStats } from "../engine/stats.ts";
import type { ResponseRateLimiter } from "./rate-limit.ts";

export type UdpIo = "auto" | "native" | "dgram";

export interface UdpServer {
  port: number;
  /** The receive/send path in use: batched recvmmsg/sendmmsg or node:dgram. */
  io: "native" | "dgram";
  close(): Promise<void>;
}

/**
 * Applies RRL to a reply for the client network `network()` (only computed when RRL is on):
 * the reply itself, a header-only TC reply (slip), or null (dropped).
 */
export function rateLimited(
  out: Buffer,
  rrl: ResponseRateLimiter | undefined,
  network: () => string,
  stats: QueryStats,
): Buffer | null {
  if (!rrl?.enabled) return out;
  const d = rrl.checkNetwork(network());
  if (d === "send") return out;
  stats.rateLimited++;
  if (d === "drop") return null;
  const tc = Buffer.from(out.subarray(0, Math.min(out.length, 12)));
  tc[2] = tc[2]! | 0x02;
  tc.fill(0, 4, 12);
  return tc;
}
