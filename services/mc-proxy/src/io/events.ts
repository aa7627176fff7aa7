// Decodes the event batches of the ingress addon (layout written by native/io_thread.cc and
// native/relay.cc; numbers little-endian, ids as float64).
/** What peek and fast events say about the connection. */
export interface ConnHead {
  id: number;
  listenerId: number;
  peerPort: number;
  localPort: number;
  peer: string;
  local: string;
}

export type IngressEvent =
  | (ConnHead & { type: "peek"; bytes: Buffer })
  | {
      type: "closed";
      id: number;
      statsId: number;
      up: number;
      down: number;
      ms: number;
      error: boolean;
    }
  | { type: "timeout" | "gone"; id: number; listenerId: number }
  /** An L4 relay the I/O thread started by itself (fast path); 'closed' follows later. */
  | (ConnHead & { type: "fast"; sni: string })
  | { type: "policyAck"; id: number }
  /** A deny-listed peer reset at accept (it never became a connection JS knows). */
  | { type: "denied"; listenerId: number; peer: string };

export function decodeEvents(buf: Buffer, out: (e: IngressEvent) => void): void {
  let o = 0;
  const str = () => {
    const n = buf[o] as number;
    const s = buf.toString("latin1", o + 1, o + 1 + n);
    o += 1 + n;
    return s;
  };
  const head = (id: number): ConnHead => {
    const listenerId = buf.readUInt32LE(o);
    const peerPort = buf.readUInt32LE(o + 4);
    const localPort = buf.readUInt32LE(o + 8);
    o += 12;
    const peer = str();
    return { id, listenerId, peerPort, localPort, peer, local: str() };
  };
  while (o < buf.length) {
    const t = buf[o] as number;
    const id = buf.readDoubleLE(o + 1);
    o += 9;
    if (t === 1) {
      const h = head(id);
      const n = buf.readUInt32LE(o);
      const bytes = buf.subarray(o + 4, o + 4 + n);
      o += 4 + n;
      out({ ...h, type: "peek", bytes });
    } else if (t === 2) {
      const statsId = buf.readUInt32LE(o);
      const up = buf.readDoubleLE(o + 4);
      const down = buf.readDoubleLE(o + 12);
      const ms = buf.readUInt32LE(o + 20);
      const error = buf[o + 24] === 1;
      o += 25;
      out({ type: "closed", id, statsId, up, down, ms, error });
    } else if (t === 3 || t === 4) {
      const listenerId = buf.readUInt32LE(o);
      o += 4;
      out({ type: t === 3 ? "timeout" : "gone", id, listenerId });
    } else if (t === 6) {
      const h = head(id);
      out({ ...h, type: "fast", sni: str() });
    } else if (t === 7) {
      out({ type: "policyAck", id });
    } else if (t === 8) {
      const listenerId = buf.readUInt32LE(o);
      o += 4;
      out({ type: "denied", listenerId, peer: str() });
    } else {
      throw new Error(`ingress: unknown event type ${t} at offset ${o - 9}`);
    }
  }
}
