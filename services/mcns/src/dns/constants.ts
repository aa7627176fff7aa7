// DNS protocol numbers (RFC 1035, 2782, 3403, 3596, 4034, 4255, 4398, 6698, 6891, 7553, 8659,
// 9460) used across the codec and the server.

export const RR = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  CERT: 37,
  OPT: 41,
  DS: 43,
  SSHFP: 44,
  DNSKEY: 48,
  TLSA: 52,
  SVCB: 64,
  HTTPS: 65,
  URI: 256,
  CAA: 257,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

export const CLASS_IN = 1;
export const CLASS_ANY = 255;

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  NOTAUTH: 9,
  BADVERS: 16,
} as const;

export const OPCODE = { QUERY: 0, NOTIFY: 4 } as const;

/** Header flag bits in the 16-bit flags word. */
export const FLAG = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

const TYPE_NAMES: Record<number, string> = {};
for (const [k, v] of Object.entries(RR)) TYPE_NAMES[v] = k;

/** Mnemonic for a type number; RFC 3597 form (TYPE1234) for the ones we do not know. */
export function typeName(t: number): string {
  return TYPE_NAMES[t] ?? `TYPE${t}`;
}

/** Type number from a mnemonic or RFC 3597 TYPEnnn; undefined when neither. */
export function typeNumber(name: string): number | undefined {
  const up = name.toUpperCase();
  const known = (RR as Record<string, number>)[up];
  if (known !== undefined) return known;
  const m = /^TYPE(\d{1,5})$/.exec(up);
  if (m) {
    const n = Number(m[1]);
    if (n <= 0xffff) return n;
  }
  return undefined;
}

export const RCODE_NAMES: Record<number, string> = {
  0: "NOERROR",
  1: "FORMERR",
  2: "SERVFAIL",
  3: "NXDOMAIN",
  4: "NOTIMP",
  5: "REFUSED",
  9: "NOTAUTH",
  16: "BADVERS",
};
