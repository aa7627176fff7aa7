// A minimal MaxMind DB (MMDB v2) writer for tests: an IPv4 search tree with 24-bit records mapping
// networks to {country: {iso_code}} maps, enough for maxmind's reader to answer country lookups.
import { writeFileSync } from "node:fs";

type Rec = { node: number } | { data: number } | null;

function ctrl(type: number, size: number): Buffer {
  if (size >= 29) throw new Error("mmdb-writer: field too long for this minimal writer");
  return type <= 7 ? Buffer.from([(type << 5) | size]) : Buffer.from([size, type - 7]);
}

function uint(type: number, n: number | bigint): Buffer {
  let v = BigInt(n);
  const bytes: number[] = [];
  while (v > 0n) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return Buffer.concat([ctrl(type, bytes.length), Buffer.from(bytes)]);
}

function str(s: string): Buffer {
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([ctrl(2, b.length), b]);
}

type Value =
  | string
  | { u16: number }
  | { u32: number }
  | { u64: number }
  | Value[]
  | { [k: string]: Value };

function encode(v: Value): Buffer {
  if (typeof v === "string") return str(v);
  if (Array.isArray(v)) return Buffer.concat([ctrl(11, v.length), ...v.map(encode)]);
  if ("u16" in v && typeof v.u16 === "number") return uint(5, v.u16);
  if ("u32" in v && typeof v.u32 === "number") return uint(6, v.u32);
  if ("u64" in v && typeof v.u64 === "number") return uint(9, v.u64);
  const entries = Object.entries(v as Record<string, Value>);
  return Buffer.concat([
    ctrl(7, entries.length),
    ...entries.flatMap(([k, x]) => [str(k), encode(x)]),
  ]);
}

/** networks: e.g. { "198.51.100.0/24": "XX", "203.0.113.7/32": "YY" } (non-overlapping). */
export function buildCountryMmdb(networks: Record<string, string>): Buffer {
  const nodes: [Rec, Rec][] = [[null, null]];
  const dataParts: Buffer[] = [];
  let dataLen = 0;
  for (const [cidr, iso] of Object.entries(networks)) {
    const [ip, lenStr] = cidr.split("/") as [string, string];
    const prefix = Number(lenStr);
    const bits = ip.split(".").reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
    const rec = encode({ country: { iso_code: iso } });
    const dataOffset = dataLen;
    dataParts.push(rec);
    dataLen += rec.length;
    let n = 0;
    for (let depth = 0; depth < prefix; depth++) {
      const bit = (bits >>> (31 - depth)) & 1;
      const node = nodes[n] as [Rec, Rec];
      if (depth === prefix - 1) {
        node[bit] = { data: dataOffset };
      } else {
        const next = node[bit];
        if (next && "node" in next) n = next.node;
        else {
          nodes.push([null, null]);
          node[bit] = { node: nodes.length - 1 };
          n = nodes.length - 1;
        }
      }
    }
  }
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 6);
  const value = (r: Rec) =>
    r === null ? nodeCount : "node" in r ? r.node : nodeCount + 16 + r.data;
  nodes.forEach(([l, r], i) => {
    tree.writeUIntBE(value(l), i * 6, 3);
    tree.writeUIntBE(value(r), i * 6 + 3, 3);
  });
  const meta = encode({
    node_count: { u32: nodeCount },
    record_size: { u16: 24 },
    ip_version: { u16: 4 },
    database_type: "Test-Country",
    languages: ["en"],
    binary_format_major_version: { u16: 2 },
    binary_format_minor_version: { u16: 0 },
    build_epoch: { u64: Math.floor(Date.now() / 1000) },
    description: { en: "test" },
  });
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    ...dataParts,
    Buffer.from([0xab, 0xcd, 0xef]),
    Buffer.from("MaxMind.com"),
    meta,
  ]);
}

export function writeCountryMmdb(path: string, networks: Record<string, string>): void {
  writeFileSync(path, buildCountryMmdb(networks));
}
