// UDP listener on node:dgram: one datagram in, at most one out, one JS callback per packet. The
// fallback when the batched addon (udp-batch.ts) is not available. Never lets a bad packet take
// the socket down.

import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import type { Responder } from "../engine/responder.ts";
import type { Logger } from "../log.ts";
import { networkOf, type ResponseRateLimiter } from "./rate-limit.ts";
import { rateLimited, type UdpServer } from "./udp-reply.ts";

export async function startDgramUdp(
  host: string,
  port: number,
  responder: Responder,
  logger: Logger,
  rrl?: ResponseRateLimiter,
): Promise<UdpServer> {
  // Replies always go to the literal source address of the query, so the per-send address lookup
  // can answer synchronously (the default defers every send through dns.lookup + nextTick).
  const sock = dgram.createSocket({
    type: isIPv6(host) ? "udp6" : "udp4",
    reuseAddr: false,
    // Absorb bursts while the event loop is busy (capped by net.core.rmem_max).
    recvBufferSize: 4 * 1024 * 1024,
    sendBufferSize: 1024 * 1024,
    lookup: (address, _opts, cb) =>
      (cb as (e: null, a: string, f: number) => void)(null, address, isIPv6(host) ? 6 : 4),
  });
  const send = (reply: Buffer, rinfo: dgram.RemoteInfo) => {
    const out = rateLimited(reply, rrl, () => networkOf(rinfo.address), responder.stats);
    if (out) sock.send(out, rinfo.port, rinfo.address);
  };
  sock.on("message", (msg, rinfo) => {
    let r: ReturnType<Responder["handle"]>;
    try {
      r = responder.handle(msg, "udp");
    } catch (err) {
      logger.error({ err }, "dns query handling failed");
      return;
    }
    if (r === null) return;
    if (Buffer.isBuffer(r)) send(r, rinfo);
    else
      r.then(
        (out) => {
          if (out) send(out, rinfo);
        },
        (err) => logger.error({ err }, "dns forwarding failed"),
      );
  });
  sock.on("error", (err) => logger.error({ err }, "udp socket error"));
  await new Promise<void>((resolve, reject) => {
    sock.once("error", reject);
    sock.bind(port, host, () => {
      sock.off("error", reject);
      resolve();
    });
  });
  return {
    port: sock.address().port,
    io: "dgram",
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}
