// The proxy's own error answer on an HTTP/2 stream (either front end): a JSON body with the
// stable code before the response started, a reset after.
import { constants as h2c } from "node:http2";
import { errorJson, PROXY_ERRORS, type ProxyErrorCode } from "./errors.ts";
import type { FrontStream } from "./h2/front-stream.ts";

export function sendStreamError(stream: FrontStream, code: ProxyErrorCode): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  stream.respond({ ":status": PROXY_ERRORS[code].status, "content-type": "application/json" });
  stream.end(errorJson(code));
}
