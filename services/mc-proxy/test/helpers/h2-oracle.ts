// node:http2 (nghttp2) as an oracle for the lean HTTP/2 front end: the same client bytes go to a
// node:http2 server over an in-memory socket pair and to a LeanConn; each side's verdict is what
// it sends back and which requests it delivers. A seeded client-side HPACK encoder (independent
// of the lean encoder: every representation, Huffman or not, table size updates) builds blocks.
import { createServer, type ServerHttp2Stream } from "node:http2";
import { Duplex } from "node:stream";
import type { Rng } from "@metacircular/testkit";
import { LOCAL } from "../../src/proxy/h2/constants.ts";
import { huffmanEncode } from "../../src/proxy/h2/huffman.ts";
import { LeanConn } from "../../src/proxy/h2/lean-conn.ts";
import { type Frame, MemSock, parseFrames } from "./h2-wire.ts";

export interface Verdict {
  /** GOAWAY error code, or -1 when the connection was not failed. */
  goaway: number;
  /** Requests delivered to the application: stream id → header list as "name: value" lines. */
  delivered: Map<number, string>;
  /** RST_STREAM sent: stream id → code. */
  resets: Map<number, number>;
}

function fromFrames(frames: Frame[], delivered: Map<number, string>): Verdict {
  const v: Verdict = { goaway: -1, delivered, resets: new Map() };
  for (const f of frames) {
    if (f.type === 7 && f.payload.length >= 8) {
      const code = f.payload.readUInt32BE(4);
      if (code !== 0) v.goaway = code;
    } else if (f.type === 3 && f.payload.length === 4)
      v.resets.set(f.id, f.payload.readUInt32BE(0));
  }
  return v;
}

/** A decoded header list, in order, as one comparable string. */
export function headerText(names: readonly string[], values: readonly string[]): string {
  return names.map((n, i) => `${n}: ${JSON.stringify(values[i])}`).join("\n");
}

export function leanVerdict(input: Buffer): Verdict {
  const sock = new MemSock();
  const delivered = new Map<number, string>();
  const conn = new LeanConn(sock, {
    onStream: (s, fields) => {
      delivered.set(s.id, headerText(fields.names, fields.values));
      s.pause(); // like the node side: nobody reads the bodies
    },
  });
  sock.feed(input);
  const v = fromFrames(sock.sent(), delivered);
  if (conn.dead && v.goaway < 0) v.goaway = conn.lastCode;
  sock.destroy();
  return v;
}

class End extends Duplex {
  peer: End | null = null;
  override _read(): void {}
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.peer?.push(c);
    cb();
  }
  override _final(cb: () => void): void {
    this.peer?.push(null);
    cb();
  }
}

/** One node:http2 server, configured as the lean front advertises itself. */
export function nodeOracle() {
  const server = createServer({
    settings: {
      maxConcurrentStreams: LOCAL.maxConcurrentStreams,
      initialWindowSize: LOCAL.streamWindow,
      maxFrameSize: LOCAL.maxFrameSize,
      maxHeaderListSize: LOCAL.maxHeaderList,
    },
  });
  let delivered = new Map<number, string>();
  server.on("session", (s) => {
    s.on("error", () => {});
    s.setLocalWindowSize(LOCAL.connWindow);
  });
  server.on("stream", (s: ServerHttp2Stream, _h: unknown, _flags: number, raw: string[]) => {
    s.on("error", () => {});
    s.pause();
    const names = raw.filter((_, i) => i % 2 === 0);
    delivered.set(
      s.id ?? 0,
      headerText(
        names,
        raw.filter((_, i) => i % 2 === 1),
      ),
    );
  });
  return {
    /** Feeds `input` and waits until the server has answered everything it will. */
    async verdict(input: Buffer): Promise<Verdict> {
      delivered = new Map();
      const client = new End();
      const side = new End();
      client.peer = side;
      side.peer = client;
      const out: Buffer[] = [];
      let closed = false;
      client.on("data", (d: Buffer) => out.push(d));
      client.on("end", () => {
        closed = true;
      });
      server.emit("connection", side);
      client.write(input);
      for (let quiet = 0, seen = -1; quiet < 3; ) {
        await new Promise((r) => setTimeout(r, 2));
        quiet = out.length === seen ? quiet + 1 : 0;
        seen = out.length;
      }
      const v = fromFrames(parseFrames(Buffer.concat(out)), delivered);
      // nghttp2 may tear a session down without a GOAWAY after some errors.
      if (v.goaway < 0 && (closed || side.destroyed)) v.goaway = 1;
      side.destroy();
      client.destroy();
      return v;
    },
    close: () => server.close(),
  };
}

/** A client-side HPACK encoder choosing a random representation for every field. */
export class RandomHpack {
  private dynamic: [string, string][] = [];
  private size = 0;
  private max = 4096;
  constructor(private readonly r: Rng) {}

  block(fields: [string, string][], tableUpdate?: number): Buffer {
    const parts: Buffer[] = [];
    if (tableUpdate !== undefined) {
      parts.push(int(tableUpdate, 5, 0x20));
      this.max = tableUpdate;
      this.evict(tableUpdate);
    }
    for (const [n, v] of fields) parts.push(this.field(n, v));
    return Buffer.concat(parts);
  }

  private field(n: string, v: string): Buffer {
    const r = this.r;
    const at = this.dynamic.findIndex(([dn, dv]) => dn === n && dv === v);
    if (at >= 0 && r.next() < 0.7) return int(62 + at, 7, 0x80);
    const kind = r.int(3); // 0: incremental indexing, 1: without, 2: never indexed
    const prefix = [0x40, 0x00, 0x10][kind] as number;
    const head = int(0, kind === 0 ? 6 : 4, prefix);
    const out = Buffer.concat([head, this.str(n), this.str(v)]);
    if (kind === 0) this.add(n, v);
    return out;
  }

  private str(s: string): Buffer {
    const raw = Buffer.from(s, "latin1");
    if (this.r.next() < 0.5) return Buffer.concat([int(raw.length, 7, 0), raw]);
    const h = huffmanEncode(raw);
    return Buffer.concat([int(h.length, 7, 0x80), h]);
  }

  private add(n: string, v: string): void {
    this.dynamic.unshift([n, v]);
    this.size += n.length + v.length + 32;
    this.evict(this.max);
  }

  private evict(max: number): void {
    while (this.size > max && this.dynamic.length > 0) {
      const [n, v] = this.dynamic.pop() as [string, string];
      this.size -= n.length + v.length + 32;
    }
  }
}

/** HPACK integer with an N-bit prefix (RFC 7541 §5.1). */
function int(v: number, bits: number, first: number): Buffer {
  const max = (1 << bits) - 1;
  if (v < max) return Buffer.of(first | v);
  const out = [first | max];
  let rest = v - max;
  while (rest >= 128) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Buffer.from(out);
}
