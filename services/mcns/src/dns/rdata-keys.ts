// Key and digest types: DS and DNSKEY (RFC 4034, stored and served as data), CERT (RFC 4398),
// TLSA (RFC 6698) and SSHFP (RFC 4255). Digests and fingerprints are upper-case hex, keys and
// certificates base64, algorithms numeric in canonical text (mnemonics accepted on input).

import { DnsFormatError } from "./errors.ts";
import type { RdataCodec } from "./rdata-codec.ts";
import {
  ALGORITHMS,
  atLeast,
  base64Blob,
  digestLength,
  hexBlob,
  int,
  intOrMnemonic,
  u16,
} from "./rdata-fields.ts";
import type { WireReader } from "./reader.ts";

const rest = (r: WireReader) => r.bytes(r.end - r.pos);
const hexOut = (b: Buffer) => b.toString("hex").toUpperCase();

/** RFC 4034 §5.1.3 / RFC 4509 / RFC 5933 / RFC 6605 digest sizes. */
const DS_DIGESTS: Record<number, number> = { 1: 20, 2: 32, 3: 32, 4: 48 };
/** RFC 4255 / RFC 6594 fingerprint sizes. */
const SSHFP_DIGESTS: Record<number, number> = { 1: 20, 2: 32 };
/** RFC 6698 §2.1.3 matching types: 1 SHA-256, 2 SHA-512 (0 is the full data). */
const TLSA_DIGESTS: Record<number, number> = { 1: 32, 2: 64 };

/** RFC 4398 §2.1 certificate type mnemonics. */
const CERT_TYPES: Record<string, number> = {
  PKIX: 1,
  SPKI: 2,
  PGP: 3,
  IPKIX: 4,
  ISPKI: 5,
  IPGP: 6,
  ACPKIX: 7,
  IACPKIX: 8,
  URI: 253,
  OID: 254,
};

function nonEmpty(b: Buffer, what: string): Buffer {
  if (b.length === 0) throw new DnsFormatError("bad_rdata", `${what} is empty`);
  return b;
}

export const DS: RdataCodec = {
  parse(tk) {
    atLeast(tk, 4, "DS");
    const tag = int(tk[0], 0xffff, "key tag");
    const alg = intOrMnemonic(tk[1], 255, "algorithm", ALGORITHMS);
    const dt = int(tk[2], 255, "digest type");
    const digest = hexBlob(tk.slice(3), "DS digest");
    digestLength(digest, dt, DS_DIGESTS, "DS digest");
    return {
      text: `${tag} ${alg} ${dt} ${hexOut(digest)}`,
      parts: [Buffer.concat([u16(tag), Buffer.from([alg, dt]), digest])],
    };
  },
  text(r) {
    const tag = r.u16();
    const alg = r.u8();
    const dt = r.u8();
    return `${tag} ${alg} ${dt} ${hexOut(nonEmpty(rest(r), "DS digest"))}`;
  },
};

export const DNSKEY: RdataCodec = {
  parse(tk) {
    atLeast(tk, 4, "DNSKEY");
    const flags = int(tk[0], 0xffff, "flags");
    const proto = int(tk[1], 255, "protocol");
    if (proto !== 3) throw new DnsFormatError("bad_rdata", "DNSKEY protocol must be 3 (RFC 4034)");
    const alg = intOrMnemonic(tk[2], 255, "algorithm", ALGORITHMS);
    const key = base64Blob(tk.slice(3), "DNSKEY public key");
    return {
      text: `${flags} ${proto} ${alg} ${key.toString("base64")}`,
      parts: [Buffer.concat([u16(flags), Buffer.from([proto, alg]), key])],
    };
  },
  text(r) {
    const flags = r.u16();
    const proto = r.u8();
    const alg = r.u8();
    return `${flags} ${proto} ${alg} ${nonEmpty(rest(r), "DNSKEY key").toString("base64")}`;
  },
};

export const CERT: RdataCodec = {
  parse(tk) {
    atLeast(tk, 4, "CERT");
    const ctype = intOrMnemonic(tk[0], 0xffff, "certificate type", CERT_TYPES);
    const tag = int(tk[1], 0xffff, "key tag");
    const alg = intOrMnemonic(tk[2], 255, "algorithm", ALGORITHMS);
    const cert = base64Blob(tk.slice(3), "certificate");
    return {
      text: `${ctype} ${tag} ${alg} ${cert.toString("base64")}`,
      parts: [Buffer.concat([u16(ctype), u16(tag), Buffer.from([alg]), cert])],
    };
  },
  text(r) {
    const ctype = r.u16();
    const tag = r.u16();
    const alg = r.u8();
    return `${ctype} ${tag} ${alg} ${nonEmpty(rest(r), "certificate").toString("base64")}`;
  },
};

export const TLSA: RdataCodec = {
  parse(tk) {
    atLeast(tk, 4, "TLSA");
    const usage = int(tk[0], 255, "certificate usage");
    const selector = int(tk[1], 255, "selector");
    const mtype = int(tk[2], 255, "matching type");
    const data = hexBlob(tk.slice(3), "certificate association data");
    digestLength(data, mtype, TLSA_DIGESTS, "TLSA matching");
    return {
      text: `${usage} ${selector} ${mtype} ${hexOut(data)}`,
      parts: [Buffer.concat([Buffer.from([usage, selector, mtype]), data])],
    };
  },
  text(r) {
    const u = r.u8();
    const s = r.u8();
    const m = r.u8();
    return `${u} ${s} ${m} ${hexOut(nonEmpty(rest(r), "TLSA data"))}`;
  },
};

export const SSHFP: RdataCodec = {
  parse(tk) {
    atLeast(tk, 3, "SSHFP");
    const alg = int(tk[0], 255, "algorithm");
    const fpType = int(tk[1], 255, "fingerprint type");
    const fp = hexBlob(tk.slice(2), "fingerprint");
    digestLength(fp, fpType, SSHFP_DIGESTS, "SSHFP fingerprint");
    return {
      text: `${alg} ${fpType} ${hexOut(fp)}`,
      parts: [Buffer.concat([Buffer.from([alg, fpType]), fp])],
    };
  },
  text(r) {
    const alg = r.u8();
    const t = r.u8();
    return `${alg} ${t} ${hexOut(nonEmpty(rest(r), "fingerprint"))}`;
  },
};
