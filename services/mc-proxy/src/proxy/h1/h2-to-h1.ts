// HTTP/2 client stream → HTTP/1.1 backend over the lean keep-alive pool: one exchange object per
// stream. The request head is serialised directly from the HTTP/2 header block; the response head
// is parsed strictly and the body de-framed (length / chunked / close) into the stream, trailers
// included, before the backend connection goes back to the pool.
import { constants as h2c, type IncomingHttpHeaders } from "node:http2";
import type { ConnMeta } from "../conn-meta.ts";
import type { FrontStream } from "../h2/front-stream.ts";
import { FORWARDING_SET_BY_PROXY, HOP_BY_HOP } from "../hop-by-hop.ts";
import { sendStreamError } from "../http2-front.ts";
import { BodyFramer, FramingError, responseFraming } from "./body-framer.ts";
import { parseResponseHead } from "./parse-head.ts";
import type { UpstreamConn, UpstreamPool, UpstreamUser } from "./upstream-pool.ts";

type Done = (status: number, meta: ConnMeta, started: number) => void;

const SKIP_REQ = new Set([...HOP_BY_HOP, "host", ...FORWARDING_SET_BY_PROXY, "x-forwarded-for"]);
const SKIP_RES = HOP_BY_HOP;

function requestText(h: IncomingHttpHeaders, meta: ConnMeta, chunked: boolean): string {
  const host = (h[":authority"] as string | undefined) ?? h.host ?? meta.sni ?? "";
  let out = `${h[":method"] as string} ${h[":path"] as string} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const k in h) {
    if (k.charCodeAt(0) === 58 || SKIP_REQ.has(k)) continue;
    const v = h[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const one of v) out += `${k}: ${one}\r\n`;
    else out += `${k}: ${v}\r\n`;
  }
  const prior = h["x-forwarded-for"];
  const ip = meta.clientAddr;
  out += `x-forwarded-for: ${prior ? `${Array.isArray(prior) ? prior.join(", ") : prior}, ${ip}` : ip}\r\nx-real-ip: ${ip}\r\nx-forwarded-proto: https\r\n`;
  if (chunked) out += "transfer-encoding: chunked\r\n";
  return `${out}\r\n`;
}

export class H2ToH1 implements UpstreamUser {
  private up: UpstreamConn | null;
  private readonly text: string;
  private readonly started = performance.now();
  private rbuf: Buffer | null = null;
  private framer: BodyFramer | null = null;
  private reqDone: boolean;
  private reusable = true;
  private retried = false;
  private wantTrailers = false;
  private readonly chunked: boolean;

  constructor(
    private readonly stream: FrontStream,
    private readonly hdrs: IncomingHttpHeaders,
    private readonly meta: ConnMeta,
    private readonly pool: UpstreamPool,
    private readonly done: Done,
    bodyless: boolean,
  ) {
    this.reqDone = bodyless;
    this.chunked = !bodyless && hdrs["content-length"] === undefined;
    this.text = requestText(hdrs, meta, this.chunked);
    this.up = pool.acquire(this, meta.route.timeoutMs);
    this.up.sock.write(this.text, "latin1");
    stream.on("error", () => {});
    // A finished exchange has already released its connection; anything still held when the
    // client stream closes (reset, or a request body cut short) cannot be reused.
    stream.on("close", () => {
      if (this.up !== null) this.drop();
    });
    if (!bodyless) {
      stream.on("data", (d: Buffer) => this.sendUp(d));
      stream.on("end", () => {
        if (this.chunked) this.up?.sock.write("0\r\n\r\n");
        this.reqDone = true;
        if (this.framer?.done) this.finish();
      });
    }
  }

  private sendUp(d: Buffer): void {
    const s = this.up?.sock;
    if (s === undefined) return;
    let ok: boolean;
    if (this.chunked) {
      s.cork();
      s.write(`${d.length.toString(16)}\r\n`);
      s.write(d);
      ok = s.write("\r\n");
      s.uncork();
    } else ok = s.write(d);
    if (!ok) this.stream.pause();
  }

  onUpDrain(): void {
    if (this.stream.isPaused()) this.stream.resume();
  }

  onUpData(d: Buffer): void {
    if (this.framer !== null) {
      this.body(d, 0);
      return;
    }
    this.rbuf = this.rbuf === null ? d : Buffer.concat([this.rbuf, d]);
    for (;;) {
      const r = parseResponseHead(this.rbuf);
      if (r.kind === "need_more") {
        this.rbuf = Buffer.from(this.rbuf); // d is only valid during this call
        return;
      }
      if (r.kind === "error" || r.head.status === 101) {
        this.fail("bad_gateway", 502);
        return;
      }
      const h = r.head;
      const rest = this.rbuf.subarray(h.consumed);
      if (h.status < 200) {
        this.rbuf = rest;
        continue;
      }
      this.rbuf = null;
      const framing = responseFraming(
        this.hdrs[":method"] as string,
        h.status,
        h.chunked,
        h.contentLength,
      );
      this.reusable = !h.close && framing !== "close";
      this.framer = new BodyFramer(framing, h.contentLength);
      if (this.stream.destroyed) {
        this.drop();
        return;
      }
      const out: Record<string, string | string[] | number> = { ":status": h.status };
      let trailerHeader = false;
      for (let i = 0; i < h.names.length; i++) {
        const n = h.names[i] as string;
        if (SKIP_RES.has(n) || h.connectionTokens?.includes(n)) continue;
        if (n === "content-length" && h.transferEncoding !== undefined) continue;
        if (n === "trailer") trailerHeader = true;
        const v = h.values[i] as string;
        const prev = out[n];
        if (prev === undefined) out[n] = n === "set-cookie" ? [v] : v;
        else if (Array.isArray(prev)) prev.push(v);
        else out[n] = `${prev}, ${v}`;
      }
      this.wantTrailers = trailerHeader && h.chunked;
      const endNow = this.framer.done;
      try {
        this.stream.respond(
          out,
          endNow ? { endStream: true } : { waitForTrailers: this.wantTrailers },
        );
      } catch {
        this.drop();
        return;
      }
      if (this.wantTrailers)
        this.stream.once("wantTrailers", () => this.stream.sendTrailers(this.trailers()));
      this.done(h.status, this.meta, this.started);
      if (endNow) {
        if (rest.length > 0) this.reusable = false;
        this.finish();
        return;
      }
      if (framing === "length" && rest.length >= h.contentLength) {
        // The whole body arrived with the head (the common small response): one end() call.
        if (rest.length > h.contentLength) this.reusable = false;
        this.framer.feed(rest, 0);
        this.stream.end(Buffer.from(rest.subarray(0, h.contentLength)));
        this.finish();
        return;
      }
      this.body(rest, 0);
      return;
    }
  }

  private trailers(): Record<string, string> {
    const o: Record<string, string> = {};
    for (const line of this.framer?.trailers ?? []) {
      const i = line.indexOf(":");
      const n = line.slice(0, i).toLowerCase();
      if (SKIP_RES.has(n)) continue;
      o[n] = line.slice(i + 1).trim();
    }
    return o;
  }

  private body(d: Buffer, start: number): void {
    const f = this.framer as BodyFramer;
    let end: number;
    try {
      end = f.feed(d, start, (b, s, e) => {
        // HTTP/2 queues the data until nghttp2 sends it: copy out of the read buffer.
        if (e > s && !this.stream.write(Buffer.from(b.subarray(s, e)))) this.pauseUp();
      });
    } catch (e) {
      if (!(e instanceof FramingError)) throw e;
      this.stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
      this.drop();
      return;
    }
    if (end < 0) return;
    if (end < d.length) this.reusable = false;
    this.stream.end();
    this.finish();
  }

  /** The client stream is full: stop reading the backend until it drains. */
  private pauseUp(): void {
    const up = this.up;
    if (up === null || up.sock.isPaused()) return;
    up.sock.pause();
    this.stream.once("drain", () => {
      if (this.up === up) up.sock.resume();
    });
  }

  private finish(): void {
    const up = this.up;
    if (up === null) return;
    if (!this.reqDone) return; // request body still streaming; released at its end
    this.up = null;
    if (up.sock.isPaused()) up.sock.resume();
    if (this.reusable) this.pool.release(up);
    else {
      up.user = null;
      up.sock.destroy();
    }
  }

  onUpClose(): void {
    const up = this.up;
    if (up === null) return;
    this.up = null;
    if (this.framer === null) {
      if (up.reused && up.received === 0 && this.reqDone && !this.retried && !this.chunked) {
        this.retried = true;
        this.up = this.pool.acquire(this, this.meta.route.timeoutMs);
        this.up.sock.write(this.text, "latin1");
        return;
      }
      this.fail("bad_gateway", 502);
      return;
    }
    if (this.framer.framing === "close") this.stream.end();
    else if (!this.framer.done) this.stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
  }

  onUpTimeout(): void {
    if (this.framer === null) this.fail("gateway_timeout", 504);
    else {
      this.drop();
      this.stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
    }
  }

  private fail(code: "bad_gateway" | "gateway_timeout", status: number): void {
    this.drop();
    sendStreamError(this.stream, code);
    this.done(status, this.meta, this.started);
  }

  private drop(): void {
    const up = this.up;
    this.up = null;
    if (up !== null) {
      up.user = null;
      up.sock.destroy();
    }
  }
}
