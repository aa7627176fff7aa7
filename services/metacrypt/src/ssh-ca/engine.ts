// The SSH CA engine of one mount: a CA key kept in the mount, certificates signed for user and
// host keys, an issuance record per serial, and the revocation list sshd and ssh-keygen read.
// Pure domain: callers (REST, gRPC) authenticate, authorize and translate; this never does I/O
// beyond the MountStore. Every failure is an AppError with a stable code.
import { createPrivateKey, type KeyObject } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import type { MountStore } from "../barrier/mount-store.ts";
import { CA_KEY_TYPES, type CaKeyType, generateCaKey, sshPublicBlob } from "./ca-key.ts";
import {
  checkCriticalOptions,
  checkExtensions,
  checkKeyId,
  checkPrincipals,
  DEFAULT_USER_EXTENSIONS,
} from "./cert-policy.ts";
import { type CertType, certTypeName, encodeCertificate } from "./certificate.ts";
import { encodeKrl } from "./krl.ts";
import { fingerprint, formatPublicKey, parsePublicKey } from "./public-key.ts";
import {
  type CertificateRecord,
  type KrlState,
  type RevokeTarget,
  readJson,
  type SshCaConfig,
  serialPath,
  writeJson,
} from "./records.ts";

export interface SignRequest {
  /** The subject's public key as one authorized_keys line. */
  publicKey: string;
  certType: CertType;
  keyId: string;
  principals: string[];
  /** Lifetime from validAfter; at most the mount's maxTtlSeconds. */
  ttlSeconds: number;
  /** Seconds since the epoch; default one minute ago (tolerates clock skew). */
  validAfter?: number;
  criticalOptions?: Record<string, string>;
  /** Default for user certificates: DEFAULT_USER_EXTENSIONS; for host certificates: none. */
  extensions?: Record<string, string>;
}

export const DEFAULT_MAX_TTL_SECONDS = 30 * 24 * 3600;
const BACKDATE_SECONDS = 60;
const CA_COMMENT = "metacrypt-ssh-ca";

export class SshCaEngine {
  constructor(
    private readonly store: MountStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Create the CA key. Refuses a second time: a CA key is never silently replaced. */
  initialize(opts: { keyType: CaKeyType; maxTtlSeconds?: number }): { publicKey: string } {
    if (this.store.get("config")) throw AppError.conflict("ca_exists", "the SSH CA already exists");
    if (!CA_KEY_TYPES.includes(opts.keyType)) {
      throw AppError.badRequest(
        "unsupported_key_type",
        `CA key type must be one of ${CA_KEY_TYPES.join(", ")}`,
      );
    }
    const maxTtlSeconds = opts.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
    if (!Number.isSafeInteger(maxTtlSeconds) || maxTtlSeconds <= 0) {
      throw AppError.badRequest("invalid_ttl", "maxTtlSeconds must be a positive integer");
    }
    const key = generateCaKey(opts.keyType);
    this.store.put("ca-key", Buffer.from(key.export({ format: "pem", type: "pkcs8" })));
    writeJson<SshCaConfig>(this.store, "config", { keyType: opts.keyType, maxTtlSeconds });
    return { publicKey: this.publicKey() };
  }

  config(): SshCaConfig {
    const c = readJson<SshCaConfig>(this.store, "config");
    if (!c) throw AppError.notFound("ca_not_initialized", "the SSH CA has no key yet");
    return c;
  }

  /** The CA public key as an authorized_keys line (for TrustedUserCAKeys / @cert-authority). */
  publicKey(): string {
    const { type, blob } = sshPublicBlob(this.caKey());
    return formatPublicKey(type, blob, CA_COMMENT);
  }

  /** Sign a user or host key; returns the issuance record with the certificate line. */
  sign(req: SignRequest): CertificateRecord {
    const { maxTtlSeconds } = this.config();
    const subject = parsePublicKey(req.publicKey);
    if (req.certType !== "user" && req.certType !== "host") {
      throw AppError.badRequest("invalid_cert_type", "certType is user or host");
    }
    checkKeyId(req.keyId);
    const principals = checkPrincipals(req.principals);
    const criticalOptions = req.criticalOptions ?? {};
    const extensions =
      req.extensions ?? (req.certType === "user" ? { ...DEFAULT_USER_EXTENSIONS } : {});
    checkCriticalOptions(req.certType, criticalOptions);
    checkExtensions(req.certType, extensions);
    const validAfter = req.validAfter ?? Math.floor(this.now() / 1000) - BACKDATE_SECONDS;
    if (
      !Number.isSafeInteger(req.ttlSeconds) ||
      req.ttlSeconds <= 0 ||
      req.ttlSeconds > maxTtlSeconds
    ) {
      throw AppError.badRequest("invalid_ttl", `ttlSeconds must be between 1 and ${maxTtlSeconds}`);
    }
    if (!Number.isSafeInteger(validAfter) || validAfter < 0) {
      throw AppError.badRequest("invalid_ttl", "validAfter must be a non-negative integer");
    }
    const serial = this.nextSerial();
    const fields = { subject, serial, certType: req.certType, keyId: req.keyId, principals };
    const validity = { validAfter, validBefore: validAfter + req.ttlSeconds };
    const blob = encodeCertificate(
      { ...fields, ...validity, criticalOptions, extensions },
      this.caKey(),
    );
    const record: CertificateRecord = {
      serial: serial.toString(),
      certType: req.certType,
      keyId: req.keyId,
      principals,
      ...validity,
      criticalOptions,
      extensions,
      keyFingerprint: fingerprint(subject.blob),
      certificate: formatPublicKey(certTypeName(subject.type), blob, req.keyId.replace(/\s/g, "_")),
      issuedAt: Math.floor(this.now() / 1000),
      revoked: false,
    };
    writeJson(this.store, serialPath(serial), record);
    return record;
  }

  getCertificate(serial: string): CertificateRecord {
    const r = /^[1-9]\d{0,19}$/.test(serial)
      ? readJson<CertificateRecord>(this.store, serialPath(BigInt(serial)))
      : undefined;
    if (!r)
      throw AppError.notFound("certificate_not_found", `no certificate with serial ${serial}`);
    return r;
  }

  /** Every issued certificate, oldest first. */
  listCertificates(): CertificateRecord[] {
    return this.store
      .list("certs/")
      .map((p) =>
        readJson<CertificateRecord>(this.store, p.startsWith("certs/") ? p : `certs/${p}`),
      )
      .filter((r): r is CertificateRecord => r !== undefined)
      .sort((a, b) => Number(BigInt(a.serial) - BigInt(b.serial)));
  }

  /** Put a certificate (by serial or key id) or a key into the KRL; returns the KRL version. */
  revoke(target: RevokeTarget): { krlVersion: number } {
    const state = this.krlState();
    switch (target.kind) {
      case "serial": {
        const rec = this.getCertificate(target.serial);
        writeJson(this.store, serialPath(BigInt(rec.serial)), { ...rec, revoked: true });
        state.revokedSerials = [...new Set([...state.revokedSerials, rec.serial])];
        break;
      }
      case "key-id":
        checkKeyId(target.keyId);
        state.revokedKeyIds = [...new Set([...state.revokedKeyIds, target.keyId])];
        break;
      case "key": {
        const blob = parsePublicKey(target.publicKey).blob.toString("base64");
        state.revokedKeys = [...new Set([...state.revokedKeys, blob])];
        break;
      }
    }
    const next = { ...state, version: state.version + 1, generated: Math.floor(this.now() / 1000) };
    writeJson(this.store, "krl", next);
    return { krlVersion: next.version };
  }

  /** The binary KRL for sshd's RevokedKeys and `ssh-keygen -Q` (valid even when empty). */
  krl(): Buffer {
    const s = this.krlState();
    return encodeKrl({
      version: s.version,
      generated: s.generated,
      comment: CA_COMMENT,
      caKey: sshPublicBlob(this.caKey()).blob,
      revokedSerials: s.revokedSerials.map((x) => BigInt(x)),
      revokedKeyIds: s.revokedKeyIds,
      revokedKeys: s.revokedKeys.map((b) => Buffer.from(b, "base64")),
    });
  }

  private krlState(): KrlState {
    this.config();
    return (
      readJson<KrlState>(this.store, "krl") ?? {
        version: 0,
        generated: 0,
        revokedSerials: [],
        revokedKeyIds: [],
        revokedKeys: [],
      }
    );
  }

  private caKey(): KeyObject {
    this.config();
    const pem = this.store.get("ca-key");
    if (!pem) throw AppError.internal("SSH CA key missing from its mount");
    return createPrivateKey(pem);
  }

  private nextSerial(): bigint {
    const stored = this.store.get("next-serial");
    const serial = stored ? BigInt(stored.toString("utf8")) : 1n;
    this.store.put("next-serial", Buffer.from((serial + 1n).toString()));
    return serial;
  }
}
