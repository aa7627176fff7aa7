// NOTIFY (RFC 1996) to secondaries after each committed change: UDP, retried a few times until
// the secondary acknowledges.

import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import { parseListenAddr } from "@metacircular/mcdsl/config";
import type { Logger } from "@metacircular/mcdsl/log";
import { FLAG, RR } from "../dns/constants.ts";
import { buildMessage } from "../dns/message.ts";

export function sendNotify(
  target: string,
  zone: string,
  logger: Logger,
  opts: { attempts?: number; timeoutMs?: number } = {},
): Promise<boolean> {
  const { host, port } = parseListenAddr(target, { anyHost: "0.0.0.0" });
  const attempts = opts.attempts ?? 5;
  const timeoutMs = opts.timeoutMs ?? 2000;
  const id = randomInt(0, 0x10000);
  const msg = buildMessage({
    id,
    flags: (4 << 11) | FLAG.AA,
    question: { name: zone, type: RR.SOA, class: 1 },
  });
  return new Promise((resolve) => {
    const sock = dgram.createSocket(isIPv6(host) ? "udp6" : "udp4");
    sock.unref();
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (ok: boolean) => {
      if (timer) clearTimeout(timer);
      sock.close();
      if (!ok) logger.warn({ target, zone }, "notify not acknowledged");
      resolve(ok);
    };
    const attempt = () => {
      if (tries++ >= attempts) return finish(false);
      sock.send(msg, port, host);
      timer = setTimeout(attempt, timeoutMs);
      timer.unref();
    };
    sock.on("message", (m) => {
      if (m.length >= 12 && m.readUInt16BE(0) === id && (m[2]! & 0x80) !== 0) finish(true);
    });
    sock.on("error", (err) => {
      logger.warn({ err, target }, "notify send failed");
      finish(false);
    });
    attempt();
  });
}
