// TCP listener (RFC 1035 §4.2.2, RFC 7766): 2-octet length framing, several queries per
// connection (answered as they complete), idle timeout, bounded connections. Zone transfers are
// delegated to the `xfr` hook.

import net from "node:net";
import { parseListenAddr } from "@metacircular/mcdsl/config";
import { RR } from "../dns/constants.ts";
import type { Responder } from "../engine/responder.ts";
import type { Logger } from "../log.ts";

export type XfrHook = (query: Buffer, qtype: number, socket: net.Socket) => boolean;

export interface TcpServer {
  port: number;
  close(): Promise<void>;
}

export interface TcpOptions {
  idleTimeoutMs?: number;
  maxConnections?: number;
  xfr?: XfrHook;
}

export function frame(msg: Buffer): Buffer {
  const out = Buffer.allocUnsafe(msg.length + 2);
  out.writeUInt16BE(msg.length, 0);
  msg.copy(out, 2);
  return out;
}

/** Extracts qtype from a raw query cheaply (for routing AXFR/IXFR); 0 when unparsable. */
function peekQtype(buf: Buffer): number {
  let p = 12;
  while (p < buf.length) {
    const l = buf[p]!;
    if (l === 0) return p + 3 <= buf.length ? buf.readUInt16BE(p + 1) : 0;
    if (l > 63) return 0;
    p += l + 1;
  }
  return 0;
}

export async function startTcp(
  listen: string,
  responder: Responder,
  logger: Logger,
  opts: TcpOptions = {},
): Promise<TcpServer> {
  const { host, port } = parseListenAddr(listen, { anyHost: "0.0.0.0" });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.setNoDelay(true);
    sock.setTimeout(opts.idleTimeoutMs ?? 10_000, () => sock.destroy());
    let pending = Buffer.alloc(0);
    sock.on("data", (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < len + 2) break;
        const msg = pending.subarray(2, len + 2);
        pending = pending.subarray(len + 2);
        const qt = msg.length >= 12 && (msg[2]! & 0x80) === 0 ? peekQtype(msg) : 0;
        if ((qt === RR.AXFR || qt === RR.IXFR) && opts.xfr?.(Buffer.from(msg), qt, sock)) continue;
        let r: ReturnType<Responder["handle"]>;
        try {
          r = responder.handle(msg, "tcp");
        } catch (err) {
          logger.error({ err }, "dns query handling failed");
          continue;
        }
        if (r === null) continue;
        if (Buffer.isBuffer(r)) sock.write(frame(r));
        else
          r.then(
            (out) => {
              if (out && !sock.destroyed) sock.write(frame(out));
            },
            (err) => logger.error({ err }, "dns forwarding failed"),
          );
      }
    });
    sock.on("error", () => sock.destroy());
    sock.on("close", () => sockets.delete(sock));
  });
  server.maxConnections = opts.maxConnections ?? 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as net.AddressInfo;
  return {
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
