// Serialises the heads the lean HTTP/1.1 path sends: the request to the backend (hop-by-hop
// headers dropped, X-Forwarded-For / X-Real-IP / X-Forwarded-Proto set) and the response to the
// client (hop-by-hop headers dropped, framing headers kept as the forwarded bytes need them).

import { HOP_BY_HOP } from "../hop-by-hop.ts";
import type { Head } from "./head.ts";

function dropped(name: string, tokens: string[] | null): boolean {
  return HOP_BY_HOP.has(name) || tokens?.includes(name) === true;
}

/** The request head for the backend (always HTTP/1.1 keep-alive unless the client spoke 1.0). */
export function backendRequestHead(h: Head, clientAddr: string, host: string): string {
  let out = `${h.method} ${h.target} HTTP/1.${h.minor}\r\nhost: ${host}\r\n`;
  let xff: string | undefined;
  const tokens = h.connectionTokens;
  for (let i = 0; i < h.names.length; i++) {
    const n = h.names[i] as string;
    if (n === "host" || n === "x-real-ip" || n === "x-forwarded-proto" || dropped(n, tokens))
      continue;
    const v = h.values[i] as string;
    if (n === "x-forwarded-for") {
      xff = xff === undefined ? v : `${xff}, ${v}`;
      continue;
    }
    out += `${n}: ${v}\r\n`;
  }
  out += `x-forwarded-for: ${xff === undefined ? clientAddr : `${xff}, ${clientAddr}`}\r\nx-real-ip: ${clientAddr}\r\nx-forwarded-proto: https\r\n`;
  if (h.chunked) out += "transfer-encoding: chunked\r\n";
  if (h.minor === 0) out += "connection: close\r\n";
  return `${out}\r\n`;
}

/** The response head for the client. */
export function clientResponseHead(h: Head, close: boolean): string {
  let out = `HTTP/1.1 ${h.status} ${h.reason}\r\n`;
  const tokens = h.connectionTokens;
  for (let i = 0; i < h.names.length; i++) {
    const n = h.names[i] as string;
    if (dropped(n, tokens) || (n === "content-length" && h.transferEncoding !== undefined))
      continue;
    out += `${n}: ${h.values[i] as string}\r\n`;
  }
  // The body bytes are forwarded as they are, so their coding header goes with them.
  if (h.transferEncoding !== undefined) out += `transfer-encoding: ${h.transferEncoding}\r\n`;
  if (close) out += "connection: close\r\n";
  return `${out}\r\n`;
}

/** Header list → Node's lower-cased header object (duplicates joined, set-cookie as an array). */
export function headerObject(names: string[], values: string[]): Record<string, string | string[]> {
  const o: Record<string, string | string[]> = {};
  for (let i = 0; i < names.length; i++) {
    const n = names[i] as string;
    const v = values[i] as string;
    const prev = o[n];
    if (prev === undefined) o[n] = n === "set-cookie" ? [v] : v;
    else if (Array.isArray(prev)) prev.push(v);
    else o[n] = `${prev}, ${v}`;
  }
  return o;
}
