// The OpenSSH key revocation list (PROTOCOL.krl), as sshd's RevokedKeys and `ssh-keygen -Q` read
// it: a header, one certificates section (serials and key ids revoked under this CA) and one
// explicit-key section (plain key blobs; revoking a key revokes every certificate over it too).
import { WireWriter } from "./wire.ts";

/** "SSHKRL\n\0" */
const KRL_MAGIC = 0x5353484b524c0a00n;
const KRL_FORMAT_VERSION = 1;
const SECTION_CERTIFICATES = 1;
const SECTION_EXPLICIT_KEY = 2;
const CERT_SERIAL_LIST = 0x20;
const CERT_KEY_ID = 0x23;

export interface KrlContents {
  /** Increases with every change, so consumers can tell which list is newer. */
  version: number;
  /** Seconds since the epoch of the last change. */
  generated: number;
  comment: string;
  /** The CA's public key blob: the certificates section applies to certificates it signed. */
  caKey: Buffer;
  revokedSerials: readonly bigint[];
  revokedKeyIds: readonly string[];
  revokedKeys: readonly Buffer[];
}

function certificatesSection(k: KrlContents): Buffer {
  const w = new WireWriter().string(k.caKey).string(Buffer.alloc(0));
  if (k.revokedSerials.length > 0) {
    const serials = [...new Set(k.revokedSerials)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const list = new WireWriter();
    for (const s of serials) list.uint64(s);
    w.byte(CERT_SERIAL_LIST).string(list.toBuffer());
  }
  if (k.revokedKeyIds.length > 0) {
    const ids = new WireWriter();
    for (const id of [...new Set(k.revokedKeyIds)].sort()) ids.string(id);
    w.byte(CERT_KEY_ID).string(ids.toBuffer());
  }
  return w.toBuffer();
}

export function encodeKrl(k: KrlContents): Buffer {
  const w = new WireWriter()
    .uint64(KRL_MAGIC)
    .uint32(KRL_FORMAT_VERSION)
    .uint64(BigInt(k.version))
    .uint64(BigInt(k.generated))
    .uint64(0n)
    .string(Buffer.alloc(0))
    .string(k.comment);
  if (k.revokedSerials.length > 0 || k.revokedKeyIds.length > 0) {
    w.byte(SECTION_CERTIFICATES).string(certificatesSection(k));
  }
  if (k.revokedKeys.length > 0) {
    const keys = new WireWriter();
    for (const blob of [...k.revokedKeys].sort(Buffer.compare)) keys.string(blob);
    w.byte(SECTION_EXPLICIT_KEY).string(keys.toBuffer());
  }
  return w.toBuffer();
}
