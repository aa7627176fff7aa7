// The heads of an HTTP/2 → HTTP/1.1 exchange: the backend request text serialised from the
// HTTP/2 header block, and the backend's response head turned into the client stream's response
// (hop-by-hop fields dropped, repeated ones joined) — for a lean stream as a field list encoded
// directly, for node:http2 as a header object.
import type { IncomingHttpHeaders } from "node:http2";
import type { ConnMeta } from "../conn-meta.ts";
import type { FrontStream } from "../h2/front-stream.ts";
import type { LeanStream } from "../h2/lean-stream.ts";
import type { RequestFields } from "../h2/request-headers.ts";
import { FORWARDING_SET_BY_PROXY, HOP_BY_HOP } from "../hop-by-hop.ts";
import type { Head } from "./head.ts";

const SKIP_REQ = new Set([...HOP_BY_HOP, "host", ...FORWARDING_SET_BY_PROXY, "x-forwarded-for"]);
export const SKIP_RES = HOP_BY_HOP;

export function requestText(h: IncomingHttpHeaders, meta: ConnMeta, chunked: boolean): string {
  const host = (h[":authority"] as string | undefined) ?? h.host ?? meta.sni ?? "";
  let out = `${h[":method"] as string} ${h[":path"] as string} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const k in h) {
    if (k.charCodeAt(0) === 58 || SKIP_REQ.has(k)) continue;
    const v = h[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const one of v) out += `${k}: ${one}\r\n`;
    else out += `${k}: ${v}\r\n`;
  }
  const prior = h["x-forwarded-for"];
  const ip = meta.clientAddr;
  out += `x-forwarded-for: ${prior ? `${Array.isArray(prior) ? prior.join(", ") : prior}, ${ip}` : ip}\r\nx-real-ip: ${ip}\r\nx-forwarded-proto: https\r\n`;
  if (chunked) out += "transfer-encoding: chunked\r\n";
  return `${out}\r\n`;
}

/**
 * requestText for the lean front's field list when it is `plain` (no repeated names): the same
 * text, read from the list instead of a header object.
 */
export function fieldsRequestText(f: RequestFields, meta: ConnMeta, chunked: boolean): string {
  const names = f.names;
  const values = f.values;
  let host = f.authority;
  let prior: string | undefined;
  let out = "";
  for (let i = f.regularFrom; i < names.length; i++) {
    const k = names[i] as string;
    if (SKIP_REQ.has(k)) {
      if (k === "x-forwarded-for") prior = values[i] as string;
      else if (k === "host" && host === undefined) host = values[i] as string;
      continue;
    }
    out += `${k}: ${values[i] as string}\r\n`;
  }
  const ip = meta.clientAddr;
  out = `${f.method as string} ${f.path as string} HTTP/1.1\r\nhost: ${host ?? meta.sni ?? ""}\r\n${out}x-forwarded-for: ${prior ? `${prior}, ${ip}` : ip}\r\nx-real-ip: ${ip}\r\nx-forwarded-proto: https\r\n`;
  if (chunked) out += "transfer-encoding: chunked\r\n";
  return `${out}\r\n`;
}

/** The field list handed to a lean stream (encoded before the call returns, so shared). */
const LIST_NAMES: string[] = [];
const LIST_VALUES: string[] = [];

/**
 * Sends the response head `h` on the client stream (`lean`: the same stream when it is a lean
 * one); `endNow`: the response has no body. Returns whether trailers are to follow (a chunked
 * response announcing them). Throws what respond() throws.
 */
export function respondWithHead(
  stream: FrontStream,
  lean: LeanStream | null,
  h: Head,
  endNow: boolean,
): boolean {
  const names = h.names;
  const values = h.values;
  const tokens = h.connectionTokens;
  const dropLength = h.transferEncoding !== undefined;
  let trailerHeader = false;
  // A lean stream takes the list as it is when no name repeats and none is numeric (an object
  // would order those first); anything else goes through the header object.
  let list = lean !== null;
  let n = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (SKIP_RES.has(name) || tokens?.includes(name) === true) continue;
    if (dropLength && name === "content-length") continue;
    if (name === "trailer") trailerHeader = true;
    if (list) {
      const c = name.charCodeAt(0);
      if (c >= 48 && c <= 57) list = false;
      for (let j = 0; j < n && list; j++) if (LIST_NAMES[j] === name) list = false;
      LIST_NAMES[n] = name;
      LIST_VALUES[n] = values[i] as string;
      n++;
    }
  }
  const wantTrailers = trailerHeader && h.chunked;
  if (list && lean !== null) {
    try {
      lean.respondFields(h.status, LIST_NAMES, LIST_VALUES, n, endNow, wantTrailers && !endNow);
    } finally {
      // No strings kept alive by the shared list (a loop: Array#fill is a slow builtin).
      for (let i = 0; i < n; i++) {
        LIST_NAMES[i] = "";
        LIST_VALUES[i] = "";
      }
    }
    return wantTrailers;
  }
  const out: Record<string, string | string[] | number> = { ":status": h.status };
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (SKIP_RES.has(name) || tokens?.includes(name) === true) continue;
    if (dropLength && name === "content-length") continue;
    const v = values[i] as string;
    const prev = out[name];
    if (prev === undefined) out[name] = name === "set-cookie" ? [v] : v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[name] = `${prev}, ${v}`;
  }
  stream.respond(out, endNow ? { endStream: true } : { waitForTrailers: wantTrailers });
  return wantTrailers;
}
