// Batched UDP listener on the native addon (native/udp_batch.cc): one recvmmsg fills up to 64
// datagrams into a buffer shared with JS, one JS call answers them all, one sendmmsg sends the
// replies. Node's per-datagram costs (a recvmsg, a Buffer and rinfo object, a callback and a send
// call per packet) are what made node:dgram cost ~1.7× NSD's CPU per query before any DNS work.
// Replies are written over their query's slot; forwarded (asynchronous) replies keep a copy of
// the client's sockaddr and are sent one by one when they resolve.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { isIPv6 } from "node:net";
import { join } from "node:path";
import type { Responder } from "../engine/responder.ts";
import type { Logger } from "../log.ts";
import { PACKAGE_ROOT } from "../package-root.ts";
import { networkOfSockaddr, type ResponseRateLimiter } from "./rate-limit.ts";
import { rateLimited, type UdpServer } from "./udp-reply.ts";

interface Opened {
  handle: object;
  port: number;
  data: ArrayBuffer;
  addrs: ArrayBuffer;
  meta: ArrayBuffer;
  batch: number;
  slot: number;
  addrSlot: number;
}

export interface UdpBatchAddon {
  open(
    ipv6: boolean,
    host: string,
    port: number,
    rcvbuf: number,
    sndbuf: number,
    onBatch: (n: number) => void,
  ): Opened;
  sendTo(handle: object, bytes: Uint8Array, sockaddr: Uint8Array, sockaddrLen: number): number;
  close(handle: object, onClosed?: () => void): void;
}

// MC_NATIVE_BUILD picks the build: release (unset) or the sanitizer build in native/build/asan/
// (it loads only into a node started with libasan preloaded: scripts/build-addon.mjs).
const BUILD_DIRS: Record<string, string> = { "": "", release: "", asan: "asan" };

/** The addon file MC_NATIVE_BUILD selects, or undefined for an unknown build name. */
export function udpBatchAddonPath(build = process.env.MC_NATIVE_BUILD ?? ""): string | undefined {
  const sub = BUILD_DIRS[build];
  return sub === undefined ? undefined : join(PACKAGE_ROOT, "native/build", sub, "udp_batch.node");
}

let loaded: { addon?: UdpBatchAddon; error?: string } | undefined;

/** The addon, or why it is unavailable (not built, wrong platform, failed to load). */
export function loadUdpBatchAddon(): { addon?: UdpBatchAddon; error?: string } {
  if (loaded) return loaded;
  const path = udpBatchAddonPath();
  if (process.platform !== "linux") loaded = { error: "batched UDP needs Linux" };
  else if (path === undefined)
    loaded = { error: `MC_NATIVE_BUILD=${process.env.MC_NATIVE_BUILD}: not release or asan` };
  else if (!existsSync(path))
    loaded = { error: `${path} not built (node services/mcns/native/build.mjs)` };
  else {
    try {
      loaded = { addon: createRequire(import.meta.url)(path) as UdpBatchAddon };
    } catch (err) {
      loaded = { error: `loading ${path}: ${(err as Error).message}` };
    }
  }
  return loaded;
}

export function startBatchUdp(
  addon: UdpBatchAddon,
  host: string,
  port: number,
  responder: Responder,
  logger: Logger,
  rrl?: ResponseRateLimiter,
): UdpServer {
  let data!: Buffer;
  let addrs!: Buffer;
  let meta!: Int32Array;
  let slot = 0;
  let addrSlot = 0;
  let handle!: object;
  let closed = false;
  const stats = responder.stats;

  const sendLater = (reply: Buffer, sockaddr: Buffer) => {
    if (closed) return;
    const out = rateLimited(reply, rrl, () => networkOfSockaddr(sockaddr), stats);
    if (out) addon.sendTo(handle, out, sockaddr, sockaddr.length);
  };

  const onBatch = (n: number) => {
    for (let i = 0; i < n; i++) {
      const m = i * 4;
      const len = meta[m]!;
      if (len < 0) {
        stats.malformed++; // larger than a slot: truncated by the kernel, not a DNS query
        continue;
      }
      const off = i * slot;
      let r: ReturnType<Responder["handle"]>;
      try {
        r = responder.handle(data.subarray(off, off + len), "udp");
      } catch (err) {
        logger.error({ err }, "dns query handling failed");
        continue;
      }
      if (r === null) continue;
      const a = i * addrSlot;
      if (Buffer.isBuffer(r)) {
        const out = rateLimited(r, rrl, () => networkOfSockaddr(addrs, a), stats);
        if (out === null) continue;
        if (out.length <= slot) {
          data.set(out, off);
          meta[m + 2] = out.length;
        } else addon.sendTo(handle, out, addrs.subarray(a, a + meta[m + 1]!), meta[m + 1]!);
        continue;
      }
      const sockaddr = Buffer.from(addrs.subarray(a, a + meta[m + 1]!));
      r.then(
        (out) => {
          if (out) sendLater(out, sockaddr);
        },
        (err) => logger.error({ err }, "dns forwarding failed"),
      );
    }
  };

  const o = addon.open(isIPv6(host), host, port, 4 * 1024 * 1024, 1024 * 1024, onBatch);
  handle = o.handle;
  data = Buffer.from(o.data);
  addrs = Buffer.from(o.addrs);
  meta = new Int32Array(o.meta);
  slot = o.slot;
  addrSlot = o.addrSlot;
  return {
    port: o.port,
    io: "native",
    async close() {
      if (closed) return;
      closed = true;
      // libuv closes the fd at the end of this loop turn; resolve once the port is free.
      await new Promise<void>((r) => addon.close(handle, r));
    },
  };
}
