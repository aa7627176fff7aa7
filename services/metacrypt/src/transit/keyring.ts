// Named transit keys in one mount: one JSON document per key with every version's material, the
// latest version and the minimum version still allowed to decrypt or verify. Only key material is
// stored here; no plaintext or input of any operation ever reaches the mount.
import { AppError } from "@metacircular/mcdsl/errors";
import type { MountStore } from "../barrier/mount-store.ts";
import { MAX_VERSION } from "./ciphertext.ts";
import {
  generateMaterial,
  KEY_TYPES,
  type KeyPurpose,
  publicKeyPem,
  purposeOf,
  type TransitKeyType,
} from "./key-material.ts";

interface KeyRecord {
  name: string;
  type: TransitKeyType;
  createdAt: number;
  latestVersion: number;
  minDecryptionVersion: number;
  deletionAllowed: boolean;
  /** version -> material (base64) and creation time (seconds). */
  versions: Record<string, { material: string; createdAt: number }>;
}

/** What a caller may see of a key: never its material (public keys of signing keys only). */
export interface KeyInfo {
  name: string;
  type: TransitKeyType;
  latestVersion: number;
  minDecryptionVersion: number;
  deletionAllowed: boolean;
  versions: Array<{ version: number; createdAt: number; publicKey?: string }>;
}

/** A resolved key version, ready for one operation. */
export interface KeyVersion {
  name: string;
  type: TransitKeyType;
  version: number;
  material: Buffer;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const PREFIX = "keys/";

function checkName(name: string): void {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw AppError.badRequest(
      "invalid_key_name",
      "key names are 1-128 of A-Z a-z 0-9 . _ - (not first)",
    );
  }
}

export class Keyring {
  constructor(
    private readonly store: MountStore,
    private readonly now: () => number,
  ) {}

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Keys read during once(): a batch opens and parses its key once, not per item. */
  private memo: Map<string, KeyRecord> | undefined;
  /** Versions resolved during once() ("name\0version"), material decoded once per batch. */
  private resolved: Map<string, KeyVersion> | undefined;

  /** Runs a synchronous `fn` (a batch) reading each key at most once: one state of the key. */
  once<T>(fn: () => T): T {
    this.memo = new Map();
    this.resolved = new Map();
    try {
      return fn();
    } finally {
      this.memo = undefined;
      for (const k of this.resolved.values()) k.material.fill(0);
      this.resolved = undefined;
    }
  }

  private load(name: string): KeyRecord {
    const hit = this.memo?.get(name);
    if (hit) return hit;
    checkName(name);
    const raw = this.store.get(PREFIX + name);
    if (!raw) throw AppError.notFound("key_not_found", `no transit key named ${name}`);
    const rec = JSON.parse(raw.toString("utf8")) as KeyRecord;
    this.memo?.set(name, rec);
    return rec;
  }

  private save(rec: KeyRecord): KeyInfo {
    this.store.put(PREFIX + rec.name, Buffer.from(JSON.stringify(rec), "utf8"));
    return info(rec);
  }

  create(name: string, type: TransitKeyType): KeyInfo {
    checkName(name);
    if (!KEY_TYPES.includes(type)) {
      throw AppError.badRequest(
        "unsupported_key_type",
        `key type must be one of ${KEY_TYPES.join(", ")}`,
      );
    }
    if (this.store.get(PREFIX + name))
      throw AppError.conflict("key_exists", `transit key ${name} exists`);
    const createdAt = this.seconds();
    const material = generateMaterial(type).toString("base64");
    return this.save({
      name,
      type,
      createdAt,
      latestVersion: 1,
      minDecryptionVersion: 1,
      deletionAllowed: false,
      versions: { "1": { material, createdAt } },
    });
  }

  get(name: string): KeyInfo {
    return info(this.load(name));
  }

  list(): string[] {
    return this.store
      .list(PREFIX)
      .map((p) => (p.startsWith(PREFIX) ? p.slice(PREFIX.length) : p))
      .sort();
  }

  rotate(name: string): KeyInfo {
    const rec = this.load(name);
    if (rec.latestVersion >= MAX_VERSION)
      throw AppError.conflict("too_many_versions", "key has every version");
    const version = rec.latestVersion + 1;
    const entry = {
      material: generateMaterial(rec.type).toString("base64"),
      createdAt: this.seconds(),
    };
    return this.save({
      ...rec,
      latestVersion: version,
      versions: { ...rec.versions, [version]: entry },
    });
  }

  configure(
    name: string,
    opts: { minDecryptionVersion?: number; deletionAllowed?: boolean },
  ): KeyInfo {
    const rec = this.load(name);
    const min = opts.minDecryptionVersion ?? rec.minDecryptionVersion;
    if (!Number.isSafeInteger(min) || min < 1 || min > rec.latestVersion) {
      throw AppError.badRequest(
        "invalid_key_version",
        `minDecryptionVersion must be 1..${rec.latestVersion}`,
      );
    }
    return this.save({
      ...rec,
      minDecryptionVersion: min,
      deletionAllowed: opts.deletionAllowed ?? rec.deletionAllowed,
    });
  }

  delete(name: string): void {
    const rec = this.load(name);
    if (!rec.deletionAllowed) {
      throw AppError.conflict(
        "deletion_not_allowed",
        `set deletionAllowed on ${name} before deleting it`,
      );
    }
    this.store.delete(PREFIX + name);
  }

  /**
   * The version an operation uses: the latest (or a requested one) to produce, the one named by
   * the input to consume. Versions below minDecryptionVersion are refused both ways.
   */
  resolve(name: string, purpose: KeyPurpose, version?: number): KeyVersion {
    const rec = this.load(name);
    if (purposeOf(rec.type) !== purpose) {
      throw AppError.badRequest(
        "unsupported_operation",
        `${name} is a ${rec.type} key, not for ${purpose}`,
      );
    }
    const v = version ?? rec.latestVersion;
    const entry = Number.isSafeInteger(v) ? rec.versions[String(v)] : undefined;
    if (!entry) throw AppError.badRequest("key_version_not_found", `${name} has no version ${v}`);
    if (v < rec.minDecryptionVersion) {
      throw AppError.badRequest(
        "key_version_too_old",
        `version ${v} of ${name} is below its minimum decryption version ${rec.minDecryptionVersion}`,
      );
    }
    const memoKey = `${name}\0${v}`;
    const hit = this.resolved?.get(memoKey);
    if (hit) return hit;
    const k = { name, type: rec.type, version: v, material: Buffer.from(entry.material, "base64") };
    this.resolved?.set(memoKey, k);
    return k;
  }
}

function info(rec: KeyRecord): KeyInfo {
  const signing = purposeOf(rec.type) === "signing";
  const versions = Object.entries(rec.versions)
    .map(([v, e]) => ({
      version: Number(v),
      createdAt: e.createdAt,
      ...(signing ? { publicKey: publicKeyPem(Buffer.from(e.material, "base64")) } : {}),
    }))
    .sort((a, b) => a.version - b.version);
  const { name, type, latestVersion, minDecryptionVersion, deletionAllowed } = rec;
  return { name, type, latestVersion, minDecryptionVersion, deletionAllowed, versions };
}
