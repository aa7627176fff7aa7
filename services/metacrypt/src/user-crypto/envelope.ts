// arch: parser
// The user-to-user envelope: "metacrypt:u1:<base64>" over a fixed layout. The header (everything
// before the ciphertext) names sender and recipient with their key versions and carries the
// ephemeral X25519 key and nonce; it is authenticated as AEAD additional data.
//   u8 len, sender id | u32 sender key version | u8 len, recipient id | u32 recipient key version
//   | 32 ephemeral public key | 12 nonce | ciphertext || 16 tag
import { AppError } from "@metacircular/mcdsl/errors";

export const ENVELOPE_PREFIX = "metacrypt:u1:";
export const EPHEMERAL_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const MAX_ENVELOPE = 8 * 1024 * 1024;
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

export interface EnvelopeHeader {
  sender: string;
  senderKeyVersion: number;
  recipient: string;
  recipientKeyVersion: number;
  ephemeral: Buffer;
  nonce: Buffer;
}

export interface Envelope extends EnvelopeHeader {
  /** The encoded header bytes exactly as sent (the AEAD's additional data). */
  headerBytes: Buffer;
  /** ciphertext || tag */
  sealed: Buffer;
}

export function checkUserId(id: unknown, what = "user id"): string {
  if (typeof id !== "string" || !USER_ID.test(id)) {
    throw AppError.badRequest("invalid_user_id", `${what} must be 1-128 of A-Z a-z 0-9 . _ @ -`);
  }
  return id;
}

export function encodeHeader(h: EnvelopeHeader): Buffer {
  const s = Buffer.from(checkUserId(h.sender), "utf8");
  const r = Buffer.from(checkUserId(h.recipient), "utf8");
  const out = Buffer.alloc(1 + s.length + 4 + 1 + r.length + 4);
  let o = out.writeUInt8(s.length, 0);
  o += s.copy(out, o);
  o = out.writeUInt32BE(h.senderKeyVersion, o);
  o = out.writeUInt8(r.length, o);
  o += r.copy(out, o);
  out.writeUInt32BE(h.recipientKeyVersion, o);
  return Buffer.concat([out, h.ephemeral, h.nonce]);
}

export function formatEnvelope(headerBytes: Buffer, sealed: Buffer): string {
  return ENVELOPE_PREFIX + Buffer.concat([headerBytes, sealed]).toString("base64");
}

function malformed(why: string): AppError {
  return AppError.badRequest("malformed_envelope", `envelope is malformed: ${why}`);
}

function decodeBody(bytes: Buffer): Envelope {
  let o = 0;
  const need = (n: number) => {
    if (o + n > bytes.length) throw malformed("truncated");
  };
  const id = (what: string) => {
    need(1);
    const len = bytes.readUInt8(o);
    need(1 + len);
    const v = bytes.subarray(o + 1, o + 1 + len).toString("utf8");
    o += 1 + len;
    if (!USER_ID.test(v)) throw malformed(`${what} is not a user id`);
    return v;
  };
  const u32 = () => {
    need(4);
    const v = bytes.readUInt32BE(o);
    o += 4;
    if (v === 0) throw malformed("key version 0");
    return v;
  };
  const sender = id("sender");
  const senderKeyVersion = u32();
  const recipient = id("recipient");
  const recipientKeyVersion = u32();
  need(EPHEMERAL_BYTES + NONCE_BYTES + TAG_BYTES);
  const ephemeral = bytes.subarray(o, o + EPHEMERAL_BYTES);
  const nonce = bytes.subarray(o + EPHEMERAL_BYTES, o + EPHEMERAL_BYTES + NONCE_BYTES);
  o += EPHEMERAL_BYTES + NONCE_BYTES;
  const header = { sender, senderKeyVersion, recipient, recipientKeyVersion, ephemeral, nonce };
  return { ...header, headerBytes: bytes.subarray(0, o), sealed: bytes.subarray(o) };
}

export function parseEnvelope(value: unknown): Envelope {
  if (typeof value !== "string") throw malformed("not a string");
  if (value.length > MAX_ENVELOPE) throw malformed("too long");
  if (!value.startsWith(ENVELOPE_PREFIX)) throw malformed(`does not start with ${ENVELOPE_PREFIX}`);
  const b64 = value.slice(ENVELOPE_PREFIX.length);
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw malformed("not base64");
  const bytes = Buffer.from(b64, "base64");
  if (bytes.toString("base64") !== b64) throw malformed("not canonical base64");
  return decodeBody(bytes);
}
