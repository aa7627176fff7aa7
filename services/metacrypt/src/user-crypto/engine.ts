// The user-to-user engine of one mount: an X25519 key pair per MCIAS user (versioned, so a
// rotation keeps old messages readable), encryption from the calling user to another user, and
// decryption only by the recipient, who learns the authenticated sender. Pure domain: the
// transport passes the authenticated caller's user id as sender or recipient.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import type { MountStore } from "../barrier/mount-store.ts";
import { checkUserId, formatEnvelope, parseEnvelope } from "./envelope.ts";
import { openMessage, rawPublicKey, sealMessage } from "./hybrid.ts";

/** Largest plaintext of one message. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

interface UserKeys {
  userId: string;
  latestVersion: number;
  /** version -> PKCS#8 DER X25519 private key (base64) and creation time (seconds). */
  versions: Record<string, { privateKey: string; createdAt: number }>;
}

export interface UserPublicKey {
  userId: string;
  keyVersion: number;
  /** Raw X25519 public key, base64. */
  publicKey: string;
}

export interface Opened {
  /** The authenticated sender. */
  sender: string;
  senderKeyVersion: number;
  plaintext: Buffer;
}

const PREFIX = "users/";

function newKey(): string {
  return generateKeyPairSync("x25519")
    .privateKey.export({ format: "der", type: "pkcs8" })
    .toString("base64");
}

function checkBytes(b: unknown, what: string): Buffer {
  if (!Buffer.isBuffer(b)) throw AppError.badRequest("invalid_input", `${what} must be bytes`);
  if (b.length > MAX_MESSAGE_BYTES) {
    throw AppError.badRequest(
      "input_too_large",
      `${what} is larger than ${MAX_MESSAGE_BYTES} bytes`,
    );
  }
  return b;
}

export class UserCryptoEngine {
  constructor(
    private readonly store: MountStore,
    private readonly now: () => number = Date.now,
  ) {}

  private load(userId: string): UserKeys | undefined {
    const raw = this.store.get(PREFIX + checkUserId(userId));
    return raw === undefined ? undefined : (JSON.parse(raw.toString("utf8")) as UserKeys);
  }

  private save(rec: UserKeys): UserPublicKey {
    this.store.put(PREFIX + rec.userId, Buffer.from(JSON.stringify(rec), "utf8"));
    return this.describe(rec, rec.latestVersion);
  }

  private privateKey(rec: UserKeys, version: number, code: string): KeyObject {
    const entry = rec.versions[String(version)];
    if (!entry) throw AppError.badRequest(code, `${rec.userId} has no key version ${version}`);
    return createPrivateKey({
      key: Buffer.from(entry.privateKey, "base64"),
      format: "der",
      type: "pkcs8",
    });
  }

  private describe(rec: UserKeys, version: number): UserPublicKey {
    const pub = rawPublicKey(
      createPublicKey(this.privateKey(rec, version, "key_version_not_found")),
    );
    return { userId: rec.userId, keyVersion: version, publicKey: pub.toString("base64") };
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** The user's key pair, created on first use (e.g. at the user's first login). */
  ensureKeyPair(userId: string): UserPublicKey {
    const rec = this.load(userId);
    if (rec) return this.describe(rec, rec.latestVersion);
    return this.save({
      userId,
      latestVersion: 1,
      versions: { "1": { privateKey: newKey(), createdAt: this.seconds() } },
    });
  }

  /** The user's current public key; `user_key_not_found` when the user has none yet. */
  publicKey(userId: string): UserPublicKey {
    const rec = this.load(userId);
    if (!rec) throw AppError.notFound("user_key_not_found", `${userId} has no key pair`);
    return this.describe(rec, rec.latestVersion);
  }

  /** A new key pair version; messages to older versions stay readable. */
  rotateKeyPair(userId: string): UserPublicKey {
    const rec = this.load(userId);
    if (!rec) throw AppError.notFound("user_key_not_found", `${userId} has no key pair`);
    const version = rec.latestVersion + 1;
    const versions = {
      ...rec.versions,
      [version]: { privateKey: newKey(), createdAt: this.seconds() },
    };
    return this.save({ ...rec, latestVersion: version, versions });
  }

  /** Encrypt from `sender` (the caller) to `recipient`; `context` must be given again to decrypt. */
  encrypt(req: { sender: string; recipient: string; plaintext: Buffer; context?: Buffer }): {
    envelope: string;
  } {
    const plaintext = checkBytes(req.plaintext, "plaintext");
    const context = checkBytes(req.context ?? Buffer.alloc(0), "context");
    this.ensureKeyPair(req.sender);
    const sender = this.load(req.sender) as UserKeys;
    const recipient = this.load(req.recipient);
    if (!recipient)
      throw AppError.notFound("user_key_not_found", `${req.recipient} has no key pair`);
    const { headerBytes, sealed } = sealMessage({
      sender: {
        id: sender.userId,
        keyVersion: sender.latestVersion,
        privateKey: this.privateKey(sender, sender.latestVersion, "key_version_not_found"),
      },
      recipient: {
        id: recipient.userId,
        keyVersion: recipient.latestVersion,
        publicKey: createPublicKey(
          this.privateKey(recipient, recipient.latestVersion, "key_version_not_found"),
        ),
      },
      plaintext,
      context,
    });
    return { envelope: formatEnvelope(headerBytes, sealed) };
  }

  /** Decrypt as `recipient` (the caller); refused unless the envelope is addressed to them. */
  decrypt(req: { recipient: string; envelope: string; context?: Buffer }): Opened {
    const context = checkBytes(req.context ?? Buffer.alloc(0), "context");
    const envelope = parseEnvelope(req.envelope);
    if (envelope.recipient !== checkUserId(req.recipient)) {
      throw AppError.forbidden("the envelope is addressed to another user", "not_recipient");
    }
    const recipient = this.load(envelope.recipient);
    const sender = this.load(envelope.sender);
    if (!recipient || !sender)
      throw AppError.badRequest("decryption_failed", "unknown sender or recipient key");
    const plaintext = openMessage({
      envelope,
      recipientPrivateKey: this.privateKey(
        recipient,
        envelope.recipientKeyVersion,
        "decryption_failed",
      ),
      senderPublicKey: createPublicKey(
        this.privateKey(sender, envelope.senderKeyVersion, "decryption_failed"),
      ),
      context,
    });
    return { sender: envelope.sender, senderKeyVersion: envelope.senderKeyVersion, plaintext };
  }
}
