// HTTP/1.1 clients on node:http: `backend_h2` routes forward to the backend's HTTP/2 session;
// with [server] h1_front = "node" every other route forwards over a node:http keep-alive agent.
// (HTTP/1.1 → HTTP/1.1 by default is the lean h1/h1-conn.ts.)
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { constants as h2c } from "node:http2";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import type { BackendPool } from "./backend-pool.ts";
import type { ConnMeta } from "./conn-meta.ts";
import type { Done } from "./done.ts";
import { errorJson, PROXY_ERRORS, type ProxyErrorCode } from "./errors.ts";
import { requestHeaders, responseHeaders } from "./forward-headers.ts";
import { errorResponse } from "./h1/error-response.ts";

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

/**
 * node:http's parser (llhttp) refused a request (its head, or a body after the head was taken):
 * 400 (431 for an oversized head) unless a response has started, then close.
 */
export function refuseClientError(e: Error & { code?: string }, sock: Socket): void {
  const current = (sock as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!sock.writable || current?.headersSent === true) {
    sock.destroy();
    return;
  }
  const big = e.code === "HPE_HEADER_OVERFLOW";
  sock.end(
    big
      ? errorResponse(431, "header_too_large", "request head too large", true)
      : errorResponse(400, "bad_request", "malformed request", true),
  );
}

/** HTTP/1.1 client → HTTP/1.1 backend through node:http (h1_front = "node"). */
export function forwardH1ToH1(
  req: IncomingMessage,
  res: ServerResponse,
  meta: ConnMeta,
  pool: BackendPool,
  done: Done,
): void {
  const started = performance.now();
  const headers = requestHeaders(req.headers, meta.clientAddr, false);
  headers.host = req.headers.host ?? meta.sni ?? "";
  const br = (pool.tls ? httpsRequest : httpRequest)({
    host: pool.target.host,
    port: pool.target.port,
    method: req.method,
    path: req.url,
    headers,
    agent: pool.agent(),
  });
  let answered = false; // a response (the backend's or ours) has been started
  let ours = false; // ... and it is our error answer
  const fail = (code: "bad_gateway" | "gateway_timeout", status: number) => {
    if (answered) return void res.destroy();
    answered = true;
    ours = true;
    sendError(res, code);
    done(status, meta, started);
  };
  if (meta.route.timeoutMs) {
    br.setTimeout(meta.route.timeoutMs, () => {
      fail("gateway_timeout", 504);
      br.destroy();
    });
  }
  br.on("response", (bres: IncomingMessage) => {
    if (answered) return void bres.destroy();
    answered = true;
    const status = bres.statusCode ?? 502;
    res.writeHead(status, responseHeaders(bres.headers));
    bres.pipe(res, { end: false });
    bres.on("end", () => {
      if (bres.rawTrailers.length > 0) res.addTrailers(responseHeaders(bres.trailers));
      res.end();
    });
    bres.on("error", () => res.destroy());
    done(status, meta, started);
  });
  br.on("error", () => {
    if (!answered) fail("bad_gateway", 502);
    else if (!ours) res.destroy();
  });
  res.on("close", () => {
    if (!res.writableFinished) br.destroy();
  });
  req.pipe(br, { end: false });
  req.on("end", () => {
    if (req.rawTrailers.length > 0) br.addTrailers(responseHeaders(req.trailers));
    br.end();
  });
}
