// The lean HTTP/2 front end: one LeanConn per TLS connection that negotiated "h2"; each request
// stream is admitted (firewall request rate, health) and handed to the shared forwarders.
import type { TLSSocket } from "node:tls";
import type { BackendPool } from "../backend-pool.ts";
import type { ConnMeta } from "../conn-meta.ts";
import { ConnSet, KEEPALIVE_MS } from "../conn-set.ts";
import type { Done } from "../done.ts";
import { PROXY_ERRORS, type ProxyErrorCode } from "../errors.ts";
import { forwardH2ToH1, forwardH2ToH2 } from "../http2-front.ts";
import { sendStreamError } from "../stream-error.ts";
import { LeanConn } from "./lean-conn.ts";
import type { LeanStream } from "./lean-stream.ts";
import type { RequestFields } from "./request-headers.ts";

export interface LeanH2Deps {
  /** null, or the error the request is refused with. */
  admit(meta: ConnMeta): ProxyErrorCode | null;
  pool(meta: ConnMeta): BackendPool;
  done: Done;
}

export class LeanH2Server {
  /** Open connections; one without a stream for KEEPALIVE_MS gets GOAWAY and is closed. */
  readonly conns = new ConnSet<LeanConn>(KEEPALIVE_MS);

  constructor(private readonly d: LeanH2Deps) {}

  accept(tls: TLSSocket, meta: ConnMeta): void {
    tls.setNoDelay(true);
    const c: LeanConn = new LeanConn(tls, {
      onStream: (s, h, end) => this.onStream(s, h, end, meta),
      onClose: () => this.conns.delete(c),
    });
    this.conns.add(c);
  }

  /** GOAWAY to every connection; in-flight streams finish. */
  drain(): void {
    for (const c of this.conns) c.drain();
  }

  private onStream(s: LeanStream, h: RequestFields, bodyless: boolean, meta: ConnMeta): void {
    const refusal = this.d.admit(meta);
    if (refusal !== null) {
      sendStreamError(s, refusal);
      this.d.done(PROXY_ERRORS[refusal].status, meta, performance.now());
      return;
    }
    const pool = this.d.pool(meta); // remembered per route by the engine
    const ct = h.single("content-type");
    const grpc = ct?.startsWith("application/grpc") === true;
    if (grpc || meta.route.backendH2) forwardH2ToH2(s, h.object(), meta, pool, this.d.done);
    else forwardH2ToH1(s, h, meta, pool, this.d.done, bodyless);
  }
}
