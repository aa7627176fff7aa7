// The cryptography of one user-to-user message, in the spirit of HPKE's authenticated mode:
// two X25519 agreements, ephemeral-static (confidentiality, forward secrecy for the sender) and
// static-static (only the sender's or the recipient's private key can produce it: the sender is
// authenticated), fed to HKDF-SHA256 with both public keys and the header; AES-256-GCM seals the
// plaintext with header and context as additional data.
import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import {
  type Envelope,
  type EnvelopeHeader,
  encodeHeader,
  NONCE_BYTES,
  TAG_BYTES,
} from "./envelope.ts";

const LABEL = Buffer.from("metacrypt user-crypto v1\0");

export function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: "jwk" }).x ?? "", "base64url");
}

export function importPublicKey(raw: Buffer): KeyObject {
  if (raw.length !== 32)
    throw AppError.badRequest("malformed_envelope", "X25519 keys are 32 bytes");
  return createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: raw.toString("base64url") },
    format: "jwk",
  });
}

function agree(privateKey: KeyObject, publicKey: KeyObject): Buffer {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey });
  } catch {
    throw AppError.badRequest("decryption_failed", "the envelope does not open for this recipient");
  }
  if (shared.every((b) => b === 0)) {
    throw AppError.badRequest("decryption_failed", "the envelope does not open for this recipient");
  }
  return shared;
}

function messageKey(
  es: Buffer,
  ss: Buffer,
  header: Buffer,
  senderPub: Buffer,
  recipientPub: Buffer,
): Buffer {
  const info = Buffer.concat([LABEL, senderPub, recipientPub, header]);
  return Buffer.from(hkdfSync("sha256", Buffer.concat([es, ss]), Buffer.alloc(0), info, 32));
}

export interface SealParams {
  sender: { id: string; keyVersion: number; privateKey: KeyObject };
  recipient: { id: string; keyVersion: number; publicKey: KeyObject };
  plaintext: Buffer;
  context: Buffer;
}

/** Returns the header bytes and ciphertext || tag. */
export function sealMessage(p: SealParams): { headerBytes: Buffer; sealed: Buffer } {
  const eph = generateKeyPairSync("x25519");
  const header: EnvelopeHeader = {
    sender: p.sender.id,
    senderKeyVersion: p.sender.keyVersion,
    recipient: p.recipient.id,
    recipientKeyVersion: p.recipient.keyVersion,
    ephemeral: rawPublicKey(eph.publicKey),
    nonce: randomBytes(NONCE_BYTES),
  };
  const headerBytes = encodeHeader(header);
  const key = messageKey(
    agree(eph.privateKey, p.recipient.publicKey),
    agree(p.sender.privateKey, p.recipient.publicKey),
    headerBytes,
    rawPublicKey(p.sender.privateKey),
    rawPublicKey(p.recipient.publicKey),
  );
  const c = createCipheriv("aes-256-gcm", key, header.nonce, { authTagLength: TAG_BYTES });
  c.setAAD(Buffer.concat([headerBytes, p.context]));
  const body = Buffer.concat([c.update(p.plaintext), c.final(), c.getAuthTag()]);
  key.fill(0);
  return { headerBytes, sealed: body };
}

export interface OpenParams {
  envelope: Envelope;
  recipientPrivateKey: KeyObject;
  senderPublicKey: KeyObject;
  context: Buffer;
}

export function openMessage(p: OpenParams): Buffer {
  const e = p.envelope;
  const key = messageKey(
    agree(p.recipientPrivateKey, importPublicKey(e.ephemeral)),
    agree(p.recipientPrivateKey, p.senderPublicKey),
    e.headerBytes,
    rawPublicKey(p.senderPublicKey),
    rawPublicKey(p.recipientPrivateKey),
  );
  const body = e.sealed.subarray(0, e.sealed.length - TAG_BYTES);
  const d = createDecipheriv("aes-256-gcm", key, e.nonce, { authTagLength: TAG_BYTES });
  d.setAAD(Buffer.concat([e.headerBytes, p.context]));
  d.setAuthTag(e.sealed.subarray(e.sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([d.update(body), d.final()]);
  } catch {
    throw AppError.badRequest("decryption_failed", "the envelope does not open for this recipient");
  } finally {
    key.fill(0);
  }
}
