// Free TCP/UDP ports on loopback. Prefer listening on port 0 directly; these are for programs
// (NSD, HAProxy, a child service) that must be told a port up front. They are drawn at random
// below the kernel's ephemeral range: a port-0 pick comes from that range, where the machine's
// other outgoing connections and port-0 listeners (other tests, on a busy machine many a second)
// can take it between the pick and the program's bind.
import { randomInt } from "node:crypto";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer, isIPv6 } from "node:net";

/** The lowest port drawn (below it: well-known and commonly configured ports). */
const LOWEST = 20_000;

/** True when the port binds on `host` right now (TCP, or UDP when `udp`). */
export function bindable(port: number, udp: boolean, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    if (udp) {
      const s = createSocket(isIPv6(host) ? "udp6" : "udp4");
      s.once("error", () => resolve(false));
      s.bind(port, host, () => s.close(() => resolve(true)));
      return;
    }
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** The first port the kernel hands out for outgoing connections and port-0 listeners. */
export function ephemeralLow(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]);
  } catch {
    return 32_768;
  }
}

/** What the kernel picks for a port-0 listener (when there is no room below its range). */
function kernelPick(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function randomFree(host: string, udp: boolean): Promise<number> {
  const high = Math.min(ephemeralLow(), 65_536);
  if (high - LOWEST < 1_000) return kernelPick(host);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(LOWEST, high);
    if ((await bindable(port, false, host)) && (!udp || (await bindable(port, true, host))))
      return port;
  }
  throw new Error(`no free port found on ${host}`);
}

/** A TCP port free on `host` at the moment of the call. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return randomFree(host, false);
}

/** A port free for both TCP and UDP at the moment of the call (DNS servers need both). */
export function freeTcpUdpPort(host = "127.0.0.1"): Promise<number> {
  return randomFree(host, true);
}
