// Header rewriting for L7 forwarding: drop hop-by-hop headers, add X-Forwarded-For/X-Real-IP/
// X-Forwarded-Proto. Works on Node's lower-cased header objects.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { HOP_BY_HOP } from "./hop-by-hop.ts";

/** Not copied: hop-by-hop headers, and host (sent as h1 Host / h2 :authority by the caller). */
const NOT_COPIED = new Set([...HOP_BY_HOP, "host"]);

/** Request headers for the backend. `host` is returned separately (h1 Host / h2 :authority). */
export function requestHeaders(
  src: IncomingHttpHeaders,
  clientAddr: string,
  keepTeTrailers: boolean,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const extra = connectionTokens(src.connection);
  for (const k in src) {
    if (k.charCodeAt(0) === 58 /* ':' */ || NOT_COPIED.has(k)) continue;
    if (extra?.has(k)) continue;
    out[k] = src[k];
  }
  const prior = src["x-forwarded-for"];
  out["x-forwarded-for"] = prior
    ? `${Array.isArray(prior) ? prior.join(", ") : prior}, ${clientAddr}`
    : clientAddr;
  out["x-real-ip"] = clientAddr;
  out["x-forwarded-proto"] = "https";
  if (keepTeTrailers && typeof src.te === "string" && src.te.includes("trailers"))
    out.te = "trailers";
  return out;
}

/** Response headers for the client (also used for trailers). */
export function responseHeaders(src: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const extra = connectionTokens(src.connection);
  for (const k in src) {
    if (k.charCodeAt(0) === 58 || NOT_COPIED.has(k)) continue;
    if (extra?.has(k)) continue;
    out[k] = src[k];
  }
  return out;
}

function connectionTokens(v: string | string[] | undefined): Set<string> | null {
  if (v === undefined || v === "keep-alive" || v === "close") return null;
  const s = new Set<string>();
  for (const t of (Array.isArray(v) ? v.join(",") : v).split(",")) s.add(t.trim().toLowerCase());
  return s;
}
