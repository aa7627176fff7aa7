// HTTP/2 client stream → HTTP/1.1 backend over the lean keep-alive pool: one exchange object per
// stream. The request head is serialised directly from the HTTP/2 header block; the response head
// is parsed strictly and the body de-framed (length / chunked / close) into the stream, trailers
// included, before the backend connection goes back to the pool.
import { constants as h2c, type IncomingHttpHeaders } from "node:http2";
import type { ConnMeta } from "../conn-meta.ts";
import type { Done } from "../done.ts";
import type { FrontStream } from "../h2/front-stream.ts";
import { LeanStream, type StreamConsumer } from "../h2/lean-stream.ts";
import { RequestFields } from "../h2/request-headers.ts";
import { sendStreamError } from "../stream-error.ts";
import { BodyFramer, type DataSink, FramingError, responseFraming } from "./body-framer.ts";
import { fieldsRequestText, requestText, respondWithHead, SKIP_RES } from "./h2-heads.ts";
import { parseResponseHead } from "./parse-head.ts";
import type { UpstreamConn, UpstreamPool, UpstreamUser } from "./upstream-pool.ts";

export class H2ToH1 implements UpstreamUser, StreamConsumer {
  private up: UpstreamConn | null;
  /** The lean front's stream (events as direct calls, borrowed writes), else null. */
  private readonly lean: LeanStream | null;
  /** This exchange is ending the client stream itself (its close is then expected). */
  private ending = false;
  private upPausedForClient = false;
  /** The body sink, made when a body is streamed (the small response needs none). */
  private onBody: DataSink | null = null;
  private readonly text: string;
  private readonly started = performance.now();
  private rbuf: Buffer | null = null;
  private framer: BodyFramer | null = null;
  private reqDone: boolean;
  private reusable = true;
  private retried = false;
  private wantTrailers = false;
  private readonly chunked: boolean;
  private readonly method: string;

  constructor(
    private readonly stream: FrontStream,
    hdrs: IncomingHttpHeaders | RequestFields,
    private readonly meta: ConnMeta,
    private readonly pool: UpstreamPool,
    private readonly done: Done,
    bodyless: boolean,
  ) {
    this.reqDone = bodyless;
    if (hdrs instanceof RequestFields) {
      this.method = hdrs.method as string;
      this.chunked = !bodyless && !hdrs.has("content-length");
      this.text = hdrs.plain
        ? fieldsRequestText(hdrs, meta, this.chunked)
        : requestText(hdrs.object(), meta, this.chunked);
    } else {
      this.method = hdrs[":method"] as string;
      this.chunked = !bodyless && hdrs["content-length"] === undefined;
      this.text = requestText(hdrs, meta, this.chunked);
    }
    this.up = pool.acquire(this, meta.route.timeoutMs);
    this.up.sock.write(this.text, "latin1");
    if (stream instanceof LeanStream) {
      this.lean = stream;
      stream.consumer = this;
      return;
    }
    this.lean = null;
    stream.on("error", () => {});
    stream.on("close", () => this.onStreamClose(true));
    stream.on("drain", () => this.onStreamDrain());
    if (!bodyless) {
      stream.on("data", (d: Buffer) => this.onStreamData(d));
      stream.on("end", () => this.onStreamEnd());
    }
  }

  onStreamData(d: Buffer): void {
    this.sendUp(d);
  }

  onStreamEnd(): void {
    if (this.reqDone) return;
    if (this.chunked) this.up?.sock.write("0\r\n\r\n");
    this.reqDone = true;
    if (this.framer?.done) this.finish();
  }

  /**
   * A finished exchange has already released its connection; anything still held when the
   * client stream closes (reset, or a request body cut short) cannot be reused. The lean stream
   * reports the close synchronously, possibly from inside this exchange's own end(): the
   * connection is then released by finish() right after, when the request was complete.
   */
  onStreamClose(_aborted: boolean): void {
    if (this.up !== null && (!this.ending || !this.reqDone)) this.drop();
  }

  onStreamDrain(): void {
    const up = this.up;
    if (!this.upPausedForClient) return;
    this.upPausedForClient = false;
    if (up !== null) up.sock.resume();
  }

  onStreamWantTrailers(): void {
    if (this.wantTrailers) this.stream.sendTrailers(this.trailers());
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
      const buf: Buffer = this.rbuf;
      const at = h.consumed; // the body starts at buf[at]
      const restLength = buf.length - at;
      if (h.status < 200) {
        this.rbuf = buf.subarray(at);
        continue;
      }
      this.rbuf = null;
      const framing = responseFraming(this.method, h.status, h.chunked, h.contentLength);
      this.reusable = !h.close && framing !== "close";
      this.framer = new BodyFramer(framing, h.contentLength);
      if (this.stream.destroyed) {
        this.drop();
        return;
      }
      const endNow = this.framer.done;
      if (endNow) this.ending = true;
      try {
        this.wantTrailers = respondWithHead(this.stream, this.lean, h, endNow);
      } catch {
        this.drop();
        return;
      }
      if (this.wantTrailers && this.lean === null)
        this.stream.once("wantTrailers", () => this.onStreamWantTrailers());
      this.done(h.status, this.meta, this.started);
      if (endNow) {
        if (restLength > 0) this.reusable = false;
        this.finish();
        return;
      }
      if (framing === "length" && restLength >= h.contentLength) {
        // The whole body arrived with the head (the common small response): one end() call.
        if (restLength > h.contentLength) this.reusable = false;
        this.framer.feed(buf, at);
        const body = buf.subarray(at, at + h.contentLength);
        this.ending = true;
        if (this.lean !== null) this.lean.endBorrowed(body);
        else this.stream.end(Buffer.from(body));
        this.finish();
        return;
      }
      this.body(buf, at);
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
      this.onBody ??= this.bodySink();
      end = f.feed(d, start, this.onBody);
    } catch (e) {
      if (!(e instanceof FramingError)) throw e;
      this.stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
      this.drop();
      return;
    }
    if (end < 0) return;
    if (end < d.length) this.reusable = false;
    this.ending = true;
    this.stream.end();
    this.finish();
  }

  /** Receives decoded body bytes, views of the backend's read buffer the stream must not keep. */
  private bodySink(): DataSink {
    return (b: Buffer, s: number, e: number): void => {
      if (e <= s) return;
      const chunk = b.subarray(s, e);
      const lean = this.lean;
      if (!(lean !== null ? lean.writeBorrowed(chunk) : this.stream.write(Buffer.from(chunk))))
        this.pauseUp();
    };
  }

  /** The client stream is full: stop reading the backend until it drains. */
  private pauseUp(): void {
    const up = this.up;
    if (up === null || up.sock.isPaused()) return;
    up.sock.pause();
    this.upPausedForClient = true;
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
