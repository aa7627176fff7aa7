// The lean HTTP/1.1 forwarding path: one object per TLS client connection. Request heads are
// parsed strictly, rewritten and written to a pooled keep-alive backend connection; bodies are
// forwarded byte for byte while their framing (length / chunked / close) is tracked so each side
// knows when the message ends and the backend connection can go back to the pool. No node:http
// objects, one write per head (head and first body bytes together), no timer or closure per
// connection (the keep-alive timeout is swept by ConnSet; socket listeners are shared functions).
import type { Socket } from "node:net";
import type { ConnMeta } from "../conn-meta.ts";
import { coarseClock } from "../conn-set.ts";
import { PROXY_ERRORS, type ProxyErrorCode } from "../errors.ts";
import { BodyFramer, requestFraming, responseFraming } from "./body-framer.ts";
import { errorResponse } from "./error-response.ts";
import type { Head } from "./head.ts";
import { parseRequestHead, parseResponseHead } from "./parse-head.ts";
import { backendRequestHead, clientResponseHead, headerObject } from "./rewrite-head.ts";
import type { UpstreamConn, UpstreamPool, UpstreamUser } from "./upstream-pool.ts";

export interface UpgradeRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
}

export interface H1Deps {
  /** null when the request may proceed, else the error to answer with. */
  admit(meta: ConnMeta): ProxyErrorCode | null;
  upstream(meta: ConnMeta): UpstreamPool;
  done(status: number, meta: ConnMeta, started: number): void;
  upgrade(sock: Socket, req: UpgradeRequest, head: Buffer, meta: ConnMeta): void;
  /** Every open H1Conn; a ConnSet also applies the keep-alive timeout. */
  conns: Set<H1Conn>;
}

const HEAD_DEADLINE_MS = 60_000;
const EMPTY = Buffer.alloc(0);

const CONN = Symbol("mcproxy.h1conn");

/** Buffer#latin1Write (untyped in @types/node): write(s, at, n, "latin1") without argument parsing. */
type Latin1 = { latin1Write(s: string, at: number, n: number): number };
type ConnSocket = Socket & { [CONN]?: H1Conn };

function destroySelf(this: Socket): void {
  this.destroy();
}

export class H1Conn implements UpstreamUser {
  private buf: Buffer | null = null;
  private headSince = 0;
  /** Coarse time of the last client activity (for the keep-alive sweep). */
  private lastActive = 0;
  /** The backend pool, looked up once per connection (again only if it was replaced). */
  private pool: UpstreamPool | null = null;
  /** 0: waiting for a request head; 1: request body streaming; 2: request sent, response pending. */
  private phase = 0;
  private up: UpstreamConn | null = null;
  private reqFramer: BodyFramer | null = null;
  private resFramer: BodyFramer | null = null;
  private rbuf: Buffer | null = null;
  private resHeadSent = false;
  private method = "";
  private started = 0;
  private closeAfter = false;
  private upReusable = true;
  private reqText = "";
  private retried = false;
  private upPaused = false;
  private clientPaused = false;
  private draining = false;
  private dead = false;

  constructor(
    private readonly sock: Socket,
    private readonly meta: ConnMeta,
    private readonly d: H1Deps,
  ) {
    d.conns.add(this);
    this.lastActive = coarseClock.now; // after add(): a ConnSet starting its timer sets the clock
    (sock as ConnSocket)[CONN] = this;
    sock.on("data", H1Conn.onData);
    sock.on("drain", H1Conn.onDrain);
    sock.on("close", H1Conn.onClose);
    sock.on("error", destroySelf);
  }

  // Shared listeners (`this` is the socket): nothing allocated per connection.
  private static readonly onData = function (this: ConnSocket, d: Buffer): void {
    (this[CONN] as H1Conn).onClientData(d);
  };

  private static readonly onDrain = function (this: ConnSocket): void {
    (this[CONN] as H1Conn).onClientDrain();
  };

  private static readonly onClose = function (this: ConnSocket): void {
    (this[CONN] as H1Conn).onClientClose();
  };

  /** Keep-alive timeout: an idle connection (no request in progress) closes. */
  sweep(deadline: number): void {
    if (this.phase === 0 && this.up === null && this.lastActive <= deadline) this.sock.destroy();
  }

  private upstream(): UpstreamPool {
    let p = this.pool;
    if (p === null || p.isClosed) {
      p = this.d.upstream(this.meta);
      this.pool = p;
    }
    return p;
  }

  /** Shutdown: idle connections close now, busy ones after their current response. */
  drain(): void {
    this.draining = true;
    if (this.phase === 0 && this.up === null) this.sock.end();
  }

  private onClientData(d: Buffer): void {
    this.lastActive = coarseClock.now;
    if (this.phase === 1) {
      this.requestBody(d);
      return;
    }
    if (this.phase === 2) {
      this.buf = this.buf === null ? d : Buffer.concat([this.buf, d]);
      this.sock.pause();
      return;
    }
    this.buf = this.buf === null ? d : Buffer.concat([this.buf, d]);
    this.nextRequest();
  }

  private nextRequest(): void {
    while (this.phase === 0 && this.buf !== null && !this.dead) {
      const r = parseRequestHead(this.buf);
      if (r.kind === "need_more") {
        // Slow heads: the clock starts with the first partial read of this head.
        if (this.headSince === 0) this.headSince = Date.now();
        else if (Date.now() - this.headSince > HEAD_DEADLINE_MS) this.sock.destroy();
        return;
      }
      this.headSince = 0;
      if (r.kind === "error") {
        this.answer(r.status, "bad_request", r.reason, true);
        return;
      }
      const rest = this.buf.subarray(r.head.consumed);
      this.buf = rest.length > 0 ? rest : null;
      this.start(r.head);
    }
  }

  private start(h: Head): void {
    this.started = performance.now();
    const framing = requestFraming(h.chunked, h.contentLength);
    const refused = this.d.admit(this.meta);
    if (refused !== null) {
      const e = PROXY_ERRORS[refused];
      this.answer(e.status, refused, e.message, framing !== "none" || h.close || this.draining);
      return;
    }
    if (h.upgrade) {
      this.detach();
      const req = { method: h.method, url: h.target, headers: headerObject(h.names, h.values) };
      this.d.upgrade(this.sock, req, this.buf ?? EMPTY, this.meta);
      return;
    }
    this.method = h.method;
    this.closeAfter = h.close || this.draining;
    this.reqFramer = new BodyFramer(framing, h.contentLength);
    this.reqText = backendRequestHead(h, this.meta.clientAddr, h.host ?? this.meta.sni ?? "");
    this.retried = false;
    this.resHeadSent = false;
    this.upReusable = true;
    this.rbuf = null;
    let body: Buffer | null = null;
    if (framing !== "none" && this.buf !== null) {
      let end: number;
      try {
        end = this.reqFramer.feed(this.buf, 0);
      } catch (e) {
        this.answer(400, "bad_request", (e as Error).message, true);
        return;
      }
      body = end < 0 ? this.buf : this.buf.subarray(0, end);
      this.buf = end < 0 || end === this.buf.length ? null : this.buf.subarray(end);
    }
    this.phase = this.reqFramer.done ? 2 : 1;
    if (this.phase === 2 && this.buf !== null) this.sock.pause();
    const up = this.upstream().acquire(this, this.meta.route.timeoutMs);
    this.up = up;
    if (body === null || body.length === 0) up.sock.write(this.reqText, "latin1");
    else {
      up.sock.cork();
      up.sock.write(this.reqText, "latin1");
      this.writeUp(body);
      up.sock.uncork();
    }
  }

  private requestBody(d: Buffer): void {
    let end: number;
    try {
      end = (this.reqFramer as BodyFramer).feed(d, 0);
    } catch {
      if (!this.resHeadSent) this.answer(400, "bad_request", "bad chunked body", true);
      else this.sock.destroy();
      this.dropUp();
      return;
    }
    if (end < 0) {
      this.writeUp(d);
      return;
    }
    this.writeUp(end === d.length ? d : d.subarray(0, end));
    this.phase = 2;
    if (end < d.length) {
      this.buf = d.subarray(end);
      this.sock.pause();
    }
  }

  private writeUp(d: Buffer): void {
    if (this.up !== null && !this.up.sock.write(d)) {
      this.clientPaused = true;
      this.sock.pause();
    }
  }

  onUpData(d: Buffer): void {
    if (this.resHeadSent) {
      this.responseBody(d);
      return;
    }
    this.rbuf = this.rbuf === null ? d : Buffer.concat([this.rbuf, d]);
    for (;;) {
      const r = parseResponseHead(this.rbuf);
      if (r.kind === "need_more") {
        this.rbuf = Buffer.from(this.rbuf); // d is only valid during this call
        return;
      }
      if (r.kind === "error") {
        this.failBeforeHead("bad_gateway");
        return;
      }
      const h = r.head;
      const buf: Buffer = this.rbuf;
      const at = h.consumed; // the body starts at buf[at]
      if (h.status < 200) {
        if (h.status === 101) {
          this.failBeforeHead("bad_gateway");
          return;
        }
        this.sock.write(clientResponseHead(h, false), "latin1"); // 100 Continue, 103 Early Hints
        this.rbuf = buf.subarray(at);
        continue;
      }
      this.rbuf = null;
      const framing = responseFraming(this.method, h.status, h.chunked, h.contentLength);
      this.upReusable = !h.close && framing !== "close";
      if (framing === "close" || this.phase === 1) this.closeAfter = true;
      const text = clientResponseHead(h, this.closeAfter);
      this.resHeadSent = true;
      this.d.done(h.status, this.meta, this.started);
      const f = new BodyFramer(framing, h.contentLength);
      this.resFramer = f;
      let end: number;
      try {
        end = f.feed(buf, at);
      } catch {
        this.sock.destroy();
        this.dropUp();
        return;
      }
      const bodyEnd = end < 0 ? buf.length : end;
      if (bodyEnd === at) this.sock.write(text, "latin1");
      else {
        // One buffer (head and first body bytes) for one TLS record and one write.
        const out = Buffer.allocUnsafe(text.length + bodyEnd - at);
        (out as unknown as Latin1).latin1Write(text, 0, text.length);
        buf.copy(out, text.length, at, bodyEnd);
        this.writeOwned(out);
      }
      if (end >= 0) {
        if (end < buf.length) this.upReusable = false;
        this.finish();
      }
      return;
    }
  }

  private responseBody(d: Buffer): void {
    let end: number;
    try {
      end = (this.resFramer as BodyFramer).feed(d, 0);
    } catch {
      this.sock.destroy();
      this.dropUp();
      return;
    }
    if (end < 0) {
      this.writeClient(d);
      return;
    }
    if (end > 0) this.writeClient(end === d.length ? d : d.subarray(0, end));
    if (end < d.length) this.upReusable = false;
    this.finish();
  }

  /**
   * `d` may be a view of the backend connection's read buffer. TLS encrypts it inside write()
   * (it is not referenced afterwards) unless an earlier write is still queued in the stream, in
   * which case the stream would keep it: copy then.
   */
  private writeClient(d: Buffer): void {
    this.writeOwned(this.sock.writableLength > 0 ? Buffer.from(d) : d);
  }

  /** Write a buffer the stream may keep; pause the backend while the client is slow. */
  private writeOwned(data: Buffer): void {
    if (!this.sock.write(data) && this.up !== null) {
      this.upPaused = true;
      this.up.sock.pause();
    }
  }

  /** The response is complete: recycle the backend connection, then serve the next request. */
  private finish(): void {
    const up = this.up;
    this.up = null;
    if (up !== null) {
      if (this.upPaused) up.sock.resume();
      // Back to the pool it came from (a closed pool just closes it).
      if (this.upReusable && this.phase === 2) (this.pool as UpstreamPool).release(up);
      else {
        up.user = null;
        up.sock.destroy();
      }
    }
    this.upPaused = false;
    if (this.phase === 1) this.closeAfter = true; // unread request body: cannot resynchronise
    this.phase = 0;
    this.reqFramer = null;
    this.resFramer = null;
    if (this.closeAfter || this.draining) {
      this.dead = true;
      this.sock.end();
      return;
    }
    this.lastActive = coarseClock.now;
    if (this.clientPaused || this.sock.isPaused()) {
      this.clientPaused = false;
      this.sock.resume();
    }
    if (this.buf !== null) this.nextRequest();
  }

  onUpClose(): void {
    const up = this.up;
    if (up === null) return;
    this.up = null;
    if (!this.resHeadSent) {
      if (up.reused && up.received === 0 && this.phase === 2 && !this.retried) {
        // A kept-alive connection the backend had closed: replay once (the request had no body
        // left to stream, so it is still whole in reqText + nothing).
        if (this.reqFramer?.framing === "none") {
          this.retried = true;
          const again = this.upstream().acquire(this, this.meta.route.timeoutMs);
          this.up = again;
          again.sock.write(this.reqText, "latin1");
          return;
        }
      }
      this.failBeforeHead("bad_gateway");
      return;
    }
    if (this.resFramer?.framing === "close") {
      this.upReusable = false;
      this.closeAfter = true;
      this.phase = 2;
      this.finish();
      return;
    }
    this.sock.destroy(); // truncated response
  }

  onUpDrain(): void {
    if (this.clientPaused) {
      this.clientPaused = false;
      this.sock.resume();
    }
  }

  onUpTimeout(): void {
    this.dropUp();
    if (!this.resHeadSent) this.failBeforeHead("gateway_timeout");
    else this.sock.destroy();
  }

  private onClientDrain(): void {
    if (this.upPaused && this.up !== null) {
      this.upPaused = false;
      this.up.sock.resume();
    }
  }

  private onClientClose(): void {
    this.dead = true;
    this.d.conns.delete(this);
    this.dropUp();
  }

  private dropUp(): void {
    const up = this.up;
    this.up = null;
    if (up !== null) {
      up.user = null;
      up.sock.destroy();
    }
  }

  private failBeforeHead(code: ProxyErrorCode): void {
    this.dropUp();
    const e = PROXY_ERRORS[code];
    this.answer(e.status, code, e.message, true);
  }

  /** A response the proxy produces itself (JSON error body). */
  private answer(status: number, code: string, message: string, close: boolean): void {
    this.sock.write(errorResponse(status, code, message, close));
    this.d.done(status, this.meta, this.started || performance.now());
    this.phase = 0;
    if (close) {
      this.dead = true;
      this.sock.end();
    }
  }

  private detach(): void {
    this.dead = true;
    this.d.conns.delete(this);
    this.sock.removeListener("data", H1Conn.onData);
    this.sock.removeListener("drain", H1Conn.onDrain);
    this.sock.removeListener("close", H1Conn.onClose);
    (this.sock as ConnSocket)[CONN] = undefined;
  }
}
