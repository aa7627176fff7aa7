// Sends one query to one upstream over UDP (fresh socket, so a random source port per query) or
// TCP, with a timeout. Validates that the response matches the question before accepting it.

import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import { parseListenAddr } from "@metacircular/mcdsl/config";
import { buildQuery } from "../dns/message.ts";

export class UpstreamError extends Error {}

function matches(resp: Buffer, id: number, query: Buffer): boolean {
  if (resp.length < 12 || resp.readUInt16BE(0) !== id || (resp[2]! & 0x80) === 0) return false;
  // Question must echo ours (case-insensitively).
  const qEnd = query.indexOf(0, 12) + 5;
  if (resp.length < qEnd) return false;
  return (
    resp.subarray(12, qEnd).toString("latin1").toLowerCase() ===
    query.subarray(12, qEnd).toString("latin1").toLowerCase()
  );
}

export function queryUdp(
  upstream: string,
  qname: string,
  qtype: number,
  timeoutMs: number,
): Promise<Buffer> {
  const { host, port } = parseListenAddr(upstream, { anyHost: "0.0.0.0" });
  const id = randomInt(0, 0x10000);
  const query = buildQuery(id, qname, qtype, { edns: 1232 });
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
    const timer = setTimeout(() => done(new UpstreamError(`timeout from ${upstream}`)), timeoutMs);
    const done = (err: Error | null, resp?: Buffer) => {
      clearTimeout(timer);
      sock.removeAllListeners("message");
      sock.close();
      if (err) reject(err);
      else resolve(resp!);
    };
    sock.on("error", (e) => done(e));
    sock.on("message", (msg, rinfo) => {
      if (rinfo.port !== port || !matches(msg, id, query)) return; // ignore spoofed/stray
      done(null, msg);
    });
    sock.send(query, port, host, (e) => {
      if (e) done(e);
    });
  });
}

export function queryTcp(
  upstream: string,
  qname: string,
  qtype: number,
  timeoutMs: number,
): Promise<Buffer> {
  const { host, port } = parseListenAddr(upstream, { anyHost: "0.0.0.0" });
  const id = randomInt(0, 0x10000);
  const query = buildQuery(id, qname, qtype, { edns: 65535 });
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(
      () => fail(new UpstreamError(`tcp timeout from ${upstream}`)),
      timeoutMs,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    };
    sock.on("error", fail);
    sock.on("connect", () => {
      const framed = Buffer.alloc(query.length + 2);
      framed.writeUInt16BE(query.length);
      query.copy(framed, 2);
      sock.write(framed);
    });
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 2) return;
      const len = buf.readUInt16BE(0);
      if (buf.length < len + 2) return;
      clearTimeout(timer);
      sock.destroy();
      const msg = buf.subarray(2, len + 2);
      if (!matches(msg, id, query))
        reject(new UpstreamError(`mismatched tcp response from ${upstream}`));
      else resolve(Buffer.from(msg));
    });
    sock.on("close", () => fail(new UpstreamError(`connection closed by ${upstream}`)));
  });
}
