// HTTP/1.1 clients of `backend_h2` routes, on node:http: forward to the backend's HTTP/2 session.
// (HTTP/1.1 → HTTP/1.1, the hot path, is the lean h1/h1-conn.ts.)
import type { IncomingMessage, ServerResponse } from "node:http";
import { constants as h2c } from "node:http2";
import type { BackendPool } from "./backend-pool.ts";
import type { ConnMeta } from "./conn-meta.ts";
import { errorJson, PROXY_ERRORS, type ProxyErrorCode } from "./errors.ts";
import { requestHeaders, responseHeaders } from "./forward-headers.ts";

export type Done = (status: number, meta: ConnMeta, started: number) => void;

export function sendError(res: ServerResponse, code: ProxyErrorCode): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorJson(code);
  res.writeHead(PROXY_ERRORS[code].status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export function forwardH1ToH2(
  req: IncomingMessage,
  res: ServerResponse,
  meta: ConnMeta,
  pool: BackendPool,
  done: Done,
): void {
  const started = performance.now();
  const headers = requestHeaders(req.headers, meta.clientAddr, true);
  headers[h2c.HTTP2_HEADER_METHOD] = req.method;
  headers[h2c.HTTP2_HEADER_PATH] = req.url;
  headers[h2c.HTTP2_HEADER_AUTHORITY] = req.headers.host ?? meta.sni ?? "";
  headers[h2c.HTTP2_HEADER_SCHEME] = pool.tls ? "https" : "http";
  let bs: ReturnType<ReturnType<BackendPool["h2"]>["request"]>;
  try {
    bs = pool.h2().request(headers);
  } catch {
    sendError(res, "bad_gateway");
    done(502, meta, started);
    return;
  }
  if (meta.route.timeoutMs) bs.setTimeout(meta.route.timeoutMs, () => bs.close(h2c.NGHTTP2_CANCEL));
  bs.on("response", (h) => {
    const status = Number(h[h2c.HTTP2_HEADER_STATUS] ?? 502);
    res.writeHead(status, responseHeaders(h));
    bs.pipe(res);
    done(status, meta, started);
  });
  bs.on("trailers", (t) => res.addTrailers(responseHeaders(t)));
  bs.on("error", () => {
    sendError(res, "bad_gateway");
    done(502, meta, started);
  });
  bs.on("close", () => {
    if (!res.headersSent) {
      sendError(res, "gateway_timeout");
      done(504, meta, started);
    }
  });
  res.on("close", () => {
    if (!bs.closed) bs.close(h2c.NGHTTP2_CANCEL);
  });
  req.pipe(bs);
}
