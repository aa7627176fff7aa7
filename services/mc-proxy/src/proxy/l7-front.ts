// L7 termination: wrap an accepted client socket in TLS with the route's certificate, then hand
// it to the shared HTTP/1.1 or HTTP/2 server depending on the negotiated ALPN protocol.
import { createServer as createH1, type IncomingMessage, type ServerResponse } from "node:http";
import {
  createServer as createH2,
  type Http2Session,
  constants as h2c,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import type { Socket } from "node:net";
import { type SecureContext, TLSSocket } from "node:tls";
import type { Logger } from "pino";
import type { Firewall } from "../firewall/firewall.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { BackendPool } from "./backend-pool.ts";
import { type ConnMeta, META, type WithMeta } from "./conn-meta.ts";
import { ConnSet, KEEPALIVE_MS } from "./conn-set.ts";
import { type Deadline, DeadlineQueue } from "./deadline-queue.ts";
import type { ProxyErrorCode } from "./errors.ts";
import { H1Conn } from "./h1/h1-conn.ts";
import { LeanH2Server } from "./h2/front.ts";
import { forwardH1ToH1, forwardH1ToH2, refuseClientError, sendError } from "./http1-front.ts";
import { forwardH2ToH1, forwardH2ToH2 } from "./http2-front.ts";
import type { MemoryTrim } from "./memory-trim.ts";
import { sendStreamError } from "./stream-error.ts";
import type { TlsContexts } from "./tls-contexts.ts";
import { forwardUpgrade, type UpgradeHead } from "./websocket.ts";

export interface L7Deps {
  firewall: Firewall;
  metrics: Metrics;
  logger: Logger;
  accessLog: boolean;
  contexts: TlsContexts;
  pool(meta: ConnMeta): BackendPool;
  healthy(meta: ConnMeta): boolean;
  handshakeTimeoutMs: number;
  /** HTTP/2 front end: "lean" (./h2/) or "node" (node:http2). */
  h2Front: "lean" | "node";
  /** HTTP/1.1 front end: "lean" (./h1/) or "node" (node:http). */
  h1Front: "lean" | "node";
  /** Told of every closed client connection. */
  memory: MemoryTrim;
}

const ALPN = ["h2", "http/1.1"];

/** A client socket in (or past) its TLS handshake: the pending deadline, null once settled. */
const HANDSHAKE = Symbol("mcproxy.handshake");
type ClientTls = WithMeta<TLSSocket> & { [HANDSHAKE]?: Deadline<ClientTls> | null };

export class L7Front {
  readonly h1 = createH1({ keepAliveTimeout: KEEPALIVE_MS, requestTimeout: 0 });
  readonly h2 = createH2({ settings: { maxConcurrentStreams: 256 } });
  private pendingMeta: ConnMeta | undefined;
  private readonly sessions = new Set<Http2Session>();
  /** Handshake timeouts of every connection on one timer. */
  private readonly handshakes: DeadlineQueue<ClientTls>;
  // Listeners shared by every client socket (no closures per connection); `this` is the socket.
  private readonly onSecure: (this: ClientTls) => void;
  private readonly onTlsError: (this: ClientTls, e: Error) => void;
  private readonly onTlsClose: (this: ClientTls) => void;
  private readonly h1Conns = new ConnSet<H1Conn>(KEEPALIVE_MS);
  /** The lean HTTP/2 front end (h2Front = "lean"). */
  private readonly leanH2 = new LeanH2Server({
    admit: (m: ConnMeta) => this.refusal(m),
    pool: (m: ConnMeta) => this.d.pool(m),
    done: (status: number, m: ConnMeta, started: number) => this.done(status, m, started),
  });
  private readonly h1Deps = {
    admit: (m: ConnMeta) => this.refusal(m),
    upstream: (m: ConnMeta) => this.d.pool(m).conns,
    done: (status: number, m: ConnMeta, started: number) => this.done(status, m, started),
    upgrade: (sock: Socket, req: UpgradeHead, head: Buffer, m: ConnMeta) =>
      forwardUpgrade(req, sock, head, m, this.d.pool(m)),
    conns: this.h1Conns,
  };

  constructor(private readonly d: L7Deps) {
    const front = this;
    this.handshakes = new DeadlineQueue(d.handshakeTimeoutMs, (tls) =>
      front.handshakeFailed(tls, "handshake timeout"),
    );
    this.onSecure = function (this: ClientTls) {
      front.secured(this);
    };
    this.onTlsError = function (this: ClientTls, e: Error) {
      if (this[HANDSHAKE]) front.handshakeFailed(this, e.message);
      else this.destroy();
    };
    this.onTlsClose = function (this: ClientTls) {
      front.d.memory.noteClosed();
      if (this[HANDSHAKE]) front.handshakeFailed(this, "closed during the handshake");
    };
    this.h1.on("request", (req: IncomingMessage, res: ServerResponse) => this.onH1(req, res));
    this.h1.on("upgrade", (req: IncomingMessage, sock: Socket, head: Buffer) =>
      this.onUpgrade(req, sock, head),
    );
    this.h1.on("clientError", refuseClientError);
    this.h2.on("session", (s: WithMeta<Http2Session>) => {
      s[META] = this.pendingMeta;
      this.sessions.add(s);
      s.once("close", () => this.sessions.delete(s));
      s.on("error", () => {});
    });
    this.h2.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number) =>
      this.onStream(stream, headers, (flags & h2c.NGHTTP2_FLAG_END_STREAM) !== 0),
    );
  }

  /**
   * TLS with the certificate of the route the ClientHello was routed by (its SNI is final): the
   * socket is wrapped directly, without a tls.Server or an SNI callback round trip to JS.
   */
  accept(socket: Socket, initial: Buffer, meta: ConnMeta): void {
    const route = meta.route;
    let ctx: SecureContext;
    try {
      ctx = this.d.contexts.get(route.tlsCert ?? "", route.tlsKey ?? "", route.minTls);
    } catch (e) {
      this.d.logger.error(
        { route: route.hostname, err: (e as Error).message },
        "cannot load route certificate",
      );
      this.d.metrics.tlsErrors.inc({ listener: meta.listener });
      socket.destroy();
      return;
    }
    if (initial.length > 0) socket.unshift(initial);
    const tls: ClientTls = new TLSSocket(socket, {
      isServer: true,
      secureContext: ctx,
      ALPNProtocols: ALPN,
    });
    tls[META] = meta;
    tls[HANDSHAKE] = this.handshakes.add(tls);
    this.d.memory.noteOpened();
    tls.on("secure", this.onSecure);
    tls.on("error", this.onTlsError);
    // Errors node:tls reports only to its own server (e.g. a renegotiation attack).
    tls.on("_tlsError", this.onTlsError);
    tls.on("close", this.onTlsClose);
  }

  /** A failed, timed-out or abandoned handshake: counted once, then the socket is destroyed. */
  private handshakeFailed(tls: ClientTls, reason: string): void {
    const d = tls[HANDSHAKE];
    if (!d) return;
    this.handshakes.cancel(d);
    tls[HANDSHAKE] = null;
    const listener = (tls[META] as ConnMeta).listener;
    this.d.metrics.tlsErrors.inc({ listener });
    this.d.logger.debug({ err: reason, listener }, "client TLS handshake failed");
    tls.destroy();
  }

  /** Handshake done: hand the connection to the front end of the negotiated protocol. */
  private secured(tls: ClientTls): void {
    const d = tls[HANDSHAKE];
    if (!d) return;
    this.handshakes.cancel(d);
    tls[HANDSHAKE] = null;
    // What tls.Server does on 'secure': node:http2 waits for 'secureConnect' while this is true.
    (tls as { secureConnecting?: boolean }).secureConnecting = false;
    const meta = tls[META] as ConnMeta;
    if (tls.alpnProtocol === "h2" && this.d.h2Front === "lean") {
      this.leanH2.accept(tls, meta);
    } else if (tls.alpnProtocol === "h2") {
      this.pendingMeta = meta;
      this.h2.emit("connection", tls);
      this.pendingMeta = undefined;
    } else if (meta.route.backendH2 || this.d.h1Front === "node") {
      this.h1.emit("connection", tls); // node:http front (always for HTTP/2 backends)
    } else {
      new H1Conn(tls, meta, this.h1Deps); // the lean HTTP/1.1 → HTTP/1.1 path
    }
  }

  /** Stop keep-alive reuse: idle HTTP/1.1 connections close, HTTP/2 sessions get GOAWAY. */
  drain(): void {
    this.h1.closeIdleConnections();
    for (const c of this.h1Conns) c.drain();
    for (const s of this.sessions) s.close();
    this.leanH2.drain();
  }

  private done = (status: number, meta: ConnMeta, started: number): void => {
    const route = meta.route.hostname;
    const secs = (performance.now() - started) / 1000;
    this.d.metrics.http.route(route).record(status, secs);
    if (this.d.accessLog) {
      this.d.logger.info(
        { kind: "access", route, client: meta.clientAddr, status, ms: Math.round(secs * 1e4) / 10 },
        "request",
      );
    }
  };

  private onH1(req: IncomingMessage, res: ServerResponse): void {
    const meta = (req.socket as WithMeta<Socket>)[META];
    if (meta === undefined) return void res.destroy();
    if (!this.admit(meta)) {
      sendError(res, this.d.healthy(meta) ? "rate_limited" : "backend_unhealthy");
      this.done(res.statusCode, meta, performance.now());
      return;
    }
    // backend_h2 routes, and every route with h1Front = "node" (see secured).
    const pool = this.d.pool(meta);
    if (meta.route.backendH2) forwardH1ToH2(req, res, meta, pool, this.done);
    else forwardH1ToH1(req, res, meta, pool, this.done);
  }

  private onStream(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    bodyless: boolean,
  ): void {
    const meta = (stream.session as WithMeta<Http2Session> | undefined)?.[META];
    if (meta === undefined) return void stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
    if (!this.admit(meta)) {
      sendStreamError(stream, this.d.healthy(meta) ? "rate_limited" : "backend_unhealthy");
      return;
    }
    const pool = this.d.pool(meta);
    const ct = headers["content-type"];
    const grpc = typeof ct === "string" && ct.startsWith("application/grpc");
    if (grpc || meta.route.backendH2) forwardH2ToH2(stream, headers, meta, pool, this.done);
    else forwardH2ToH1(stream, headers, meta, pool, this.done, bodyless);
  }

  /** The lean path's admission check: null, or the error code to answer with. */
  private refusal(meta: ConnMeta): ProxyErrorCode | null {
    if (!this.d.firewall.checkRequest(meta.clientAddr)) {
      this.d.metrics.firewallDrops.inc({ reason: "request_rate" });
      return this.d.healthy(meta) ? "rate_limited" : "backend_unhealthy";
    }
    return this.d.healthy(meta) ? null : "backend_unhealthy";
  }

  private admit(meta: ConnMeta): boolean {
    if (!this.d.firewall.checkRequest(meta.clientAddr)) {
      this.d.metrics.firewallDrops.inc({ reason: "request_rate" });
      return false;
    }
    return this.d.healthy(meta);
  }

  private onUpgrade(req: IncomingMessage, sock: Socket, head: Buffer): void {
    const meta = (sock as WithMeta<Socket>)[META];
    if (meta === undefined || !this.admit(meta)) {
      sock.end("HTTP/1.1 429 Too Many Requests\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
      return;
    }
    forwardUpgrade(req, sock, head, meta, this.d.pool(meta));
  }
}
