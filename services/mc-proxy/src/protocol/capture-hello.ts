// Capture a real ClientHello produced by Node's TLS client (used by tests and fuzzers).
import { createServer } from "node:net";
import { connect } from "node:tls";

export async function captureClientHello(servername: string, alpn: string[] = []): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const srv = createServer((sock) => {
      const chunks: Buffer[] = [];
      sock.on("data", (d: Buffer) => {
        chunks.push(d);
        const all = Buffer.concat(chunks);
        if (all.length >= 5 && all.length >= 5 + all.readUInt16BE(3)) {
          sock.destroy();
          srv.close();
          resolve(all);
        }
      });
    });
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      if (addr === null || typeof addr === "string") return reject(new Error("no address"));
      const c = connect({ host: "127.0.0.1", port: addr.port, servername, ALPNProtocols: alpn });
      c.on("error", () => {});
    });
  });
}

/** Re-frame one handshake message into several TLS records of at most `size` bytes each. */
export function splitIntoRecords(hello: Buffer, size: number): Buffer {
  const body = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const out: Buffer[] = [];
  for (let o = 0; o < body.length; o += size) {
    const part = body.subarray(o, Math.min(o + size, body.length));
    const hdr = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    hdr.writeUInt16BE(part.length, 3);
    out.push(hdr, part);
  }
  return Buffer.concat(out);
}
