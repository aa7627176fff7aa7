// HTTP/2 clients: forward each stream to an HTTP/2 backend session (gRPC and h2 routes, trailers
// passed through) or to an HTTP/1.1 backend through the lean keep-alive pool (h1/h2-to-h1.ts).
// Both front ends (node:http2 and the lean one in ./h2/) hand their streams to these functions.
import { constants as h2c, type IncomingHttpHeaders } from "node:http2";
import type { BackendPool } from "./backend-pool.ts";
import type { ConnMeta } from "./conn-meta.ts";
import type { Done } from "./done.ts";
import { requestHeaders, responseHeaders } from "./forward-headers.ts";
import { H2ToH1 } from "./h1/h2-to-h1.ts";
import type { FrontStream } from "./h2/front-stream.ts";
import type { RequestFields } from "./h2/request-headers.ts";
import { sendStreamError } from "./stream-error.ts";

export function forwardH2ToH2(
  stream: FrontStream,
  hdrs: IncomingHttpHeaders,
  meta: ConnMeta,
  pool: BackendPool,
  done: Done,
): void {
  const started = performance.now();
  const headers = requestHeaders(hdrs, meta.clientAddr, true);
  headers[h2c.HTTP2_HEADER_METHOD] = hdrs[h2c.HTTP2_HEADER_METHOD];
  headers[h2c.HTTP2_HEADER_PATH] = hdrs[h2c.HTTP2_HEADER_PATH];
  headers[h2c.HTTP2_HEADER_AUTHORITY] = hdrs[h2c.HTTP2_HEADER_AUTHORITY] ?? hdrs.host ?? meta.sni;
  headers[h2c.HTTP2_HEADER_SCHEME] = pool.tls ? "https" : "http";
  let bs: ReturnType<ReturnType<BackendPool["h2"]>["request"]>;
  try {
    bs = pool.h2().request(headers, { endStream: stream.readableEnded });
  } catch {
    sendStreamError(stream, "bad_gateway");
    done(502, meta, started);
    return;
  }
  let trailers: IncomingHttpHeaders | undefined;
  if (meta.route.timeoutMs) bs.setTimeout(meta.route.timeoutMs, () => bs.close(h2c.NGHTTP2_CANCEL));
  bs.on("response", (h, flags) => {
    const status = Number(h[h2c.HTTP2_HEADER_STATUS] ?? 502);
    const out = responseHeaders(h);
    out[h2c.HTTP2_HEADER_STATUS] = status;
    if (stream.destroyed) return;
    if (flags & h2c.NGHTTP2_FLAG_END_STREAM) {
      stream.respond(out, { endStream: true });
    } else {
      stream.respond(out, { waitForTrailers: true });
      stream.on("wantTrailers", () =>
        stream.sendTrailers(trailers ? responseHeaders(trailers) : {}),
      );
      relay(bs, stream);
      bs.on("end", () => stream.end());
    }
    done(status, meta, started);
  });
  bs.on("trailers", (t) => {
    trailers = t;
  });
  bs.on("error", () => {
    sendStreamError(stream, "bad_gateway");
    done(502, meta, started);
  });
  bs.on("close", () => {
    if (!stream.headersSent) {
      sendStreamError(
        stream,
        bs.rstCode === h2c.NGHTTP2_CANCEL ? "gateway_timeout" : "bad_gateway",
      );
      done(502, meta, started);
    } else if (bs.rstCode && bs.rstCode !== h2c.NGHTTP2_NO_ERROR && !stream.closed) {
      stream.close(bs.rstCode);
    }
  });
  stream.on("close", () => {
    if (!bs.closed) bs.close(h2c.NGHTTP2_CANCEL);
  });
  stream.on("error", () => {});
  if (!stream.readableEnded) {
    relay(stream, bs);
    stream.on("end", () => bs.end());
  }
}

interface Source {
  on(event: "data", l: (d: Buffer) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}
interface Sink {
  write(d: Buffer): boolean;
  once(event: "drain", l: () => void): unknown;
}

/** Body bytes from one side to the other with backpressure (the source pauses until drain). */
function relay(from: Source, to: Sink): void {
  let waiting = false;
  const resume = () => {
    waiting = false;
    from.resume();
  };
  from.on("data", (d: Buffer) => {
    if (!to.write(d) && !waiting) {
      waiting = true;
      from.pause();
      to.once("drain", resume);
    }
  });
}

/** `hdrs`: node:http2's header object, or the lean front's field list. */
export function forwardH2ToH1(
  stream: FrontStream,
  hdrs: IncomingHttpHeaders | RequestFields,
  meta: ConnMeta,
  pool: BackendPool,
  done: Done,
  bodyless = false,
): void {
  new H2ToH1(stream, hdrs, meta, pool.conns, done, bodyless);
}
