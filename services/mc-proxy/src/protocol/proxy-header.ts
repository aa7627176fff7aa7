// PROXY protocol v1 (text) and v2 (binary) header parsing and encoding. The parser is incremental
// and never throws; the encoder produces the headers sent to backends that ask for them.
import { isIP } from "node:net";

export const PROXY_V2_SIGNATURE = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);
const V1_PREFIX = Buffer.from("PROXY ", "latin1");
const V1_MAX = 107;
const V2_MAX_PAYLOAD = 2048;

export interface ProxyAddresses {
  family: "tcp4" | "tcp6";
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
}

export type ProxyHeaderErrorCode = "not_proxy" | "malformed" | "unsupported";

export type ProxyHeaderResult =
  | { kind: "need_more" }
  /** `addresses` is undefined for v1 UNKNOWN, v2 LOCAL and v2 UNSPEC/UDP/Unix: use the socket peer. */
  | { kind: "ok"; version: 1 | 2; consumed: number; addresses: ProxyAddresses | undefined }
  | { kind: "error"; code: ProxyHeaderErrorCode };

const NEED_MORE: ProxyHeaderResult = { kind: "need_more" };
const err = (code: ProxyHeaderErrorCode): ProxyHeaderResult => ({ kind: "error", code });

export function parseProxyHeader(buf: Buffer): ProxyHeaderResult {
  if (buf.length === 0) return NEED_MORE;
  if (buf[0] === 0x0d) return parseV2(buf);
  if (buf[0] === 0x50) return parseV1(buf);
  return err("not_proxy");
}

function prefixMatches(buf: Buffer, prefix: Buffer): boolean {
  const n = Math.min(buf.length, prefix.length);
  return buf.subarray(0, n).equals(prefix.subarray(0, n));
}

function parseV1(buf: Buffer): ProxyHeaderResult {
  if (!prefixMatches(buf, V1_PREFIX)) return err("not_proxy");
  const limit = Math.min(buf.length, V1_MAX);
  let nl = -1;
  for (let i = 0; i < limit; i++) {
    if (buf[i] === 0x0a) {
      nl = i;
      break;
    }
  }
  if (nl < 0) return buf.length >= V1_MAX ? err("malformed") : NEED_MORE;
  if (nl < 1 || buf[nl - 1] !== 0x0d) return err("malformed");
  const line = buf.toString("latin1", 0, nl - 1);
  const f = line.split(" ");
  const consumed = nl + 1;
  if (f[1] === "UNKNOWN") return { kind: "ok", version: 1, consumed, addresses: undefined };
  if (f.length !== 6) return err("malformed");
  const [, proto, src, dst, sp, dp] = f as [string, string, string, string, string, string];
  const want = proto === "TCP4" ? 4 : proto === "TCP6" ? 6 : 0;
  if (want === 0) return err("malformed");
  if (isIP(src) !== want || isIP(dst) !== want) return err("malformed");
  const srcPort = parsePort(sp);
  const dstPort = parsePort(dp);
  if (srcPort < 0 || dstPort < 0) return err("malformed");
  return {
    kind: "ok",
    version: 1,
    consumed,
    addresses: {
      family: want === 4 ? "tcp4" : "tcp6",
      srcAddr: src,
      srcPort,
      dstAddr: dst,
      dstPort,
    },
  };
}

function parsePort(s: string): number {
  if (!/^(0|[1-9][0-9]{0,4})$/.test(s)) return -1;
  const n = Number(s);
  return n <= 65535 ? n : -1;
}

function parseV2(buf: Buffer): ProxyHeaderResult {
  if (!prefixMatches(buf, PROXY_V2_SIGNATURE)) return err("not_proxy");
  if (buf.length < 16) return NEED_MORE;
  const verCmd = buf[12] as number;
  if (verCmd >> 4 !== 2) return err("unsupported");
  const cmd = verCmd & 0x0f;
  if (cmd > 1) return err("unsupported");
  const fam = buf[13] as number;
  const len = buf.readUInt16BE(14);
  if (len > V2_MAX_PAYLOAD) return err("malformed");
  if (buf.length < 16 + len) return NEED_MORE;
  const consumed = 16 + len;
  if (cmd === 0) return { kind: "ok", version: 2, consumed, addresses: undefined };
  if (fam === 0x11) {
    if (len < 12) return err("malformed");
    return {
      kind: "ok",
      version: 2,
      consumed,
      addresses: {
        family: "tcp4",
        srcAddr: ipv4(buf, 16),
        dstAddr: ipv4(buf, 20),
        srcPort: buf.readUInt16BE(24),
        dstPort: buf.readUInt16BE(26),
      },
    };
  }
  if (fam === 0x21) {
    if (len < 36) return err("malformed");
    return {
      kind: "ok",
      version: 2,
      consumed,
      addresses: {
        family: "tcp6",
        srcAddr: ipv6(buf, 16),
        dstAddr: ipv6(buf, 32),
        srcPort: buf.readUInt16BE(48),
        dstPort: buf.readUInt16BE(50),
      },
    };
  }
  // UNSPEC, UDP and Unix sockets carry no TCP client address we can use.
  return { kind: "ok", version: 2, consumed, addresses: undefined };
}

function ipv4(b: Buffer, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

function ipv6(b: Buffer, o: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(o + i * 2).toString(16));
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}

/** Strip the IPv4-mapped IPv6 prefix Node reports on dual-stack sockets. */
export function normalizeAddress(addr: string): string {
  return addr.startsWith("::ffff:") && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
}

function familyOf(a: ProxyAddresses): ProxyAddresses {
  const src = normalizeAddress(a.srcAddr);
  const dst = normalizeAddress(a.dstAddr);
  if (isIP(src) === 4 && isIP(dst) === 4)
    return { ...a, family: "tcp4", srcAddr: src, dstAddr: dst };
  const to6 = (x: string) => (isIP(x) === 4 ? `::ffff:${x}` : x);
  return { ...a, family: "tcp6", srcAddr: to6(src), dstAddr: to6(dst) };
}

export function encodeProxyV1(addrs: ProxyAddresses): Buffer {
  const a = familyOf(addrs);
  const proto = a.family === "tcp4" ? "TCP4" : "TCP6";
  return Buffer.from(
    `PROXY ${proto} ${a.srcAddr} ${a.dstAddr} ${a.srcPort} ${a.dstPort}\r\n`,
    "latin1",
  );
}

export function encodeProxyV2(addrs: ProxyAddresses): Buffer {
  const a = familyOf(addrs);
  const v4 = a.family === "tcp4";
  const len = v4 ? 12 : 36;
  const out = Buffer.alloc(16 + len);
  PROXY_V2_SIGNATURE.copy(out, 0);
  out[12] = 0x21;
  out[13] = v4 ? 0x11 : 0x21;
  out.writeUInt16BE(len, 14);
  if (v4) {
    writeV4(out, 16, a.srcAddr);
    writeV4(out, 20, a.dstAddr);
    out.writeUInt16BE(a.srcPort, 24);
    out.writeUInt16BE(a.dstPort, 26);
  } else {
    writeV6(out, 16, a.srcAddr);
    writeV6(out, 32, a.dstAddr);
    out.writeUInt16BE(a.srcPort, 48);
    out.writeUInt16BE(a.dstPort, 50);
  }
  return out;
}

function writeV4(out: Buffer, o: number, addr: string): void {
  const p = addr.split(".");
  for (let i = 0; i < 4; i++) out[o + i] = Number(p[i]);
}

export function ipv6ToBytes(addr: string): Buffer {
  const out = Buffer.alloc(16);
  let s = addr;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  const maybeV4 = s.slice(lastColon + 1);
  if (isIP(maybeV4) === 4) {
    const q = maybeV4.split(".").map(Number) as [number, number, number, number];
    tail.push((q[0] << 8) | q[1], (q[2] << 8) | q[3]);
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = s.includes("::") ? (s.split("::") as [string, string]) : [s, undefined];
  const h = head ? head.split(":") : [];
  const r = rest !== undefined && rest !== "" ? rest.split(":") : [];
  const fill = rest === undefined ? [] : new Array<string>(8 - h.length - r.length).fill("0");
  const groups = [...h, ...fill, ...r].map((g) => Number.parseInt(g, 16));
  if (tail.length === 2) groups.splice(6, 2, tail[0] as number, tail[1] as number);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(groups[i] ?? 0, i * 2);
  return out;
}

function writeV6(out: Buffer, o: number, addr: string): void {
  ipv6ToBytes(addr).copy(out, o);
}
