// Responses the lean HTTP/1.1 path produces itself: a JSON error body with the stable code.
import { errorJson, PROXY_ERRORS, type ProxyErrorCode } from "../errors.ts";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

/** The whole response (head and body) as a string. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  close: boolean,
): string {
  const body =
    code in PROXY_ERRORS
      ? errorJson(code as ProxyErrorCode)
      : JSON.stringify({ error: { code, message } });
  const conn = close ? "connection: close\r\n" : "";
  return `HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${conn}\r\n${body}`;
}
