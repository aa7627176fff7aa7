// Sends raw DNS packets over UDP/TCP (hand-built queries for what dig/kdig cannot express).
// The default waits are bounds for an answer that is expected (a loaded machine can delay it by
// seconds); a test that expects silence passes its own short wait.

import dgram from "node:dgram";
import net from "node:net";

export function udpExchange(
  port: number,
  packet: Buffer,
  timeoutMs = 10_000,
): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket("udp4");
    const t = setTimeout(() => {
      s.close();
      resolve(null);
    }, timeoutMs);
    s.on("message", (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.send(packet, port, "127.0.0.1");
  });
}

export function tcpExchange(
  port: number,
  packets: Buffer[],
  expect: number,
  timeoutMs = 15_000,
): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: "127.0.0.1" });
    const out: Buffer[] = [];
    let buf = Buffer.alloc(0);
    const t = setTimeout(() => {
      sock.destroy();
      reject(new Error(`tcp: got ${out.length}/${expect} responses`));
    }, timeoutMs);
    sock.on("connect", () => {
      for (const p of packets) {
        const f = Buffer.alloc(p.length + 2);
        f.writeUInt16BE(p.length);
        p.copy(f, 2);
        sock.write(f);
      }
    });
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= buf.readUInt16BE(0) + 2) {
        const len = buf.readUInt16BE(0);
        out.push(buf.subarray(2, len + 2));
        buf = buf.subarray(len + 2);
      }
      if (out.length >= expect) {
        clearTimeout(t);
        sock.destroy();
        resolve(out);
      }
    });
    sock.on("error", reject);
  });
}
