// L4 passthrough: connect to the backend, send the optional PROXY header and the bytes already
// read (the ClientHello), then splice: backend → client through a reused read buffer (onread),
// client → backend with stream piping.
import { connect, type Socket } from "node:net";
import { encodeProxyV1, encodeProxyV2 } from "../protocol/proxy-header.ts";
import type { HostPort } from "../state/backend-addr.ts";
import type { ConnMeta } from "./conn-meta.ts";

export function proxyHeaderFor(meta: ConnMeta): Buffer | null {
  const v = meta.route.sendProxy;
  if (v === 0) return null;
  const a = {
    family: "tcp4" as const,
    srcAddr: meta.clientAddr,
    srcPort: meta.clientPort,
    dstAddr: meta.localAddr,
    dstPort: meta.localPort,
  };
  return v === 1 ? encodeProxyV1(a) : encodeProxyV2(a);
}

const READ_BUFFER = 64 * 1024;

export function spliceL4(
  client: Socket,
  initial: Buffer,
  meta: ConnMeta,
  target: HostPort,
  onClose: (up: number, down: number) => void,
): void {
  // Backend → client (the download direction) reads into one buffer per connection and writes
  // straight from it: no Buffer per chunk, no stream machinery. Reading pauses while a write is
  // still pending on that buffer (the client's socket is full) and resumes on 'drain'.
  const buffer = Buffer.allocUnsafeSlow(READ_BUFFER);
  let waiting = false;
  const backend: Socket = connect({
    host: target.host,
    port: target.port,
    noDelay: true,
    onread: {
      buffer,
      callback: (n: number, buf: Uint8Array) => {
        client.write((buf as Buffer).subarray(0, n));
        if (client.writableLength === 0) return true;
        waiting = true;
        return false;
      },
    },
  });
  client.on("drain", () => {
    if (waiting) {
      waiting = false;
      backend.resume();
    }
  });
  const hdr = proxyHeaderFor(meta);
  if (hdr !== null) backend.write(hdr);
  backend.write(initial);
  client.setNoDelay(true);
  if (meta.route.timeoutMs > 0) {
    client.setTimeout(meta.route.timeoutMs, () => client.destroy());
  }
  let closed = 0;
  const closeOne = () => {
    if (++closed === 2) onClose(client.bytesRead, client.bytesWritten);
  };
  backend.on("error", () => client.destroy());
  client.on("error", () => backend.destroy());
  backend.on("close", () => {
    client.destroySoon();
    closeOne();
  });
  client.on("close", () => {
    backend.destroy();
    closeOne();
  });
  client.pipe(backend);
  backend.on("end", () => client.end());
}
