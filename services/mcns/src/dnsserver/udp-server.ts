// UDP listener: batched recvmmsg/sendmmsg through the native addon when it is built ("auto", the
// default), node:dgram otherwise. Both paths answer the same way; neither lets a bad packet take
// the socket down.

import { parseListenAddr } from "@metacircular/mcdsl/config";
import type { Responder } from "../engine/responder.ts";
import type { Logger } from "../log.ts";
import type { ResponseRateLimiter } from "./rate-limit.ts";
import { loadUdpBatchAddon, startBatchUdp } from "./udp-batch.ts";
import { startDgramUdp } from "./udp-dgram.ts";
import type { UdpIo, UdpServer } from "./udp-reply.ts";

export type { UdpIo, UdpServer } from "./udp-reply.ts";

export interface UdpOptions {
  rrl?: ResponseRateLimiter;
  io?: UdpIo;
  /** Addon loader (tests substitute one that reports the addon missing). */
  loadAddon?: typeof loadUdpBatchAddon;
}

export async function startUdp(
  listen: string,
  responder: Responder,
  logger: Logger,
  opts: UdpOptions = {},
): Promise<UdpServer> {
  const { host, port } = parseListenAddr(listen, { anyHost: "0.0.0.0" });
  const io = opts.io ?? "auto";
  if (io !== "dgram") {
    const { addon, error } = (opts.loadAddon ?? loadUdpBatchAddon)();
    if (addon) return startBatchUdp(addon, host, port, responder, logger, opts.rrl);
    if (io === "native") throw new Error(`dns.udp_io = "native" but ${error}`);
    logger.info({ reason: error }, "batched UDP unavailable, using node:dgram");
  }
  return startDgramUdp(host, port, responder, logger, opts.rrl);
}
