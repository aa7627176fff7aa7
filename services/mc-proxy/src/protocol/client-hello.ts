// Incremental parser for the first TLS ClientHello on a connection. It reads only what it needs
// (SNI and ALPN) and never throws: callers get "need_more", a result, or an error with a stable code.

/** Upper bound on buffered handshake bytes before we give up (a ClientHello is rarely > 2 KiB). */
export const MAX_CLIENT_HELLO_BYTES = 16 * 1024 + 5 * 4;

export type ClientHelloErrorCode = "not_tls" | "not_client_hello" | "malformed" | "too_large";

export type ClientHelloResult =
  | { kind: "need_more" }
  | { kind: "ok"; sni: string | undefined; alpn: string[] }
  | { kind: "error"; code: ClientHelloErrorCode };

const NEED_MORE: ClientHelloResult = { kind: "need_more" };
const err = (code: ClientHelloErrorCode): ClientHelloResult => ({ kind: "error", code });

/**
 * Parse the ClientHello contained in `buf` (the bytes received so far). Handshake messages may be
 * spread over several TLS records and records over several TCP segments; both are reassembled.
 */
export function parseClientHello(buf: Buffer): ClientHelloResult {
  if (buf.length === 0) return NEED_MORE;
  if (buf[0] !== 0x16) return err("not_tls");
  if (buf.length >= 2 && buf[1] !== 0x03) return err("not_tls");
  // Gather the handshake payload from consecutive handshake records.
  const parts: Buffer[] = [];
  let have = 0;
  let off = 0;
  let need = -1; // total handshake message length (header + body) once known
  while (true) {
    if (need >= 0 && have >= need) break;
    if (off + 5 > buf.length)
      return buf.length > MAX_CLIENT_HELLO_BYTES ? err("too_large") : NEED_MORE;
    if (buf[off] !== 0x16) return err(off === 0 ? "not_tls" : "malformed");
    const recLen = buf.readUInt16BE(off + 3);
    if (recLen === 0 || recLen > 16384 + 2048) return err("malformed");
    const end = off + 5 + recLen;
    const available = Math.min(end, buf.length);
    parts.push(buf.subarray(off + 5, available));
    have += available - (off + 5);
    if (need < 0 && have >= 4) {
      const hs = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
      if (hs[0] !== 0x01) return err("not_client_hello");
      need = 4 + hs.readUIntBE(1, 3);
      if (need > MAX_CLIENT_HELLO_BYTES) return err("too_large");
    }
    if (available < end) {
      if (need >= 0 && have >= need) break;
      return NEED_MORE;
    }
    off = end;
  }
  const hs = Buffer.concat(parts).subarray(0, need);
  return parseHandshakeBody(hs.subarray(4));
}

function parseHandshakeBody(b: Buffer): ClientHelloResult {
  let p = 2 + 32; // client_version + random
  if (p + 1 > b.length) return err("malformed");
  p += 1 + (b[p] as number); // session_id
  if (p + 2 > b.length) return err("malformed");
  p += 2 + b.readUInt16BE(p); // cipher_suites
  if (p + 1 > b.length) return err("malformed");
  p += 1 + (b[p] as number); // compression_methods
  if (p > b.length) return err("malformed");
  if (p === b.length) return { kind: "ok", sni: undefined, alpn: [] }; // no extensions
  if (p + 2 > b.length) return err("malformed");
  const extEnd = p + 2 + b.readUInt16BE(p);
  if (extEnd > b.length) return err("malformed");
  p += 2;
  let sni: string | undefined;
  const alpn: string[] = [];
  while (p < extEnd) {
    if (p + 4 > extEnd) return err("malformed");
    const type = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    const start = p + 4;
    const end = start + len;
    if (end > extEnd) return err("malformed");
    if (type === 0x0000) {
      const r = parseSni(b, start, end);
      if (r === null) return err("malformed");
      sni = r;
    } else if (type === 0x0010) {
      if (!parseAlpn(b, start, end, alpn)) return err("malformed");
    }
    p = end;
  }
  return { kind: "ok", sni, alpn };
}

function parseSni(b: Buffer, start: number, end: number): string | undefined | null {
  if (start + 2 > end) return null;
  const listEnd = start + 2 + b.readUInt16BE(start);
  if (listEnd > end) return null;
  let p = start + 2;
  while (p < listEnd) {
    if (p + 3 > listEnd) return null;
    const nameType = b[p];
    const len = b.readUInt16BE(p + 1);
    if (p + 3 + len > listEnd) return null;
    if (nameType === 0) {
      const name = b.toString("latin1", p + 3, p + 3 + len);
      if (!isValidHostname(name)) return null;
      return name.toLowerCase();
    }
    p += 3 + len;
  }
  return undefined;
}

function parseAlpn(b: Buffer, start: number, end: number, out: string[]): boolean {
  if (start + 2 > end) return false;
  const listEnd = start + 2 + b.readUInt16BE(start);
  if (listEnd > end) return false;
  let p = start + 2;
  while (p < listEnd) {
    const len = b[p] as number;
    if (len === 0 || p + 1 + len > listEnd) return false;
    out.push(b.toString("latin1", p + 1, p + 1 + len));
    p += 1 + len;
  }
  return true;
}

const HOSTNAME_RE =
  /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)*\.?$/;

export function isValidHostname(name: string): boolean {
  return name.length > 0 && name.length <= 253 && HOSTNAME_RE.test(name);
}
