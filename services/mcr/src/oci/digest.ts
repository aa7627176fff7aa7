// arch: parser
// Content digests ("algorithm:hex"): the two registered algorithms, sha256 and sha512, in their
// canonical lower-case hex form. Anything else is a malformed digest (400 DIGEST_INVALID).
import { createHash, type Hash } from "node:crypto";
import { OciError } from "./errors.ts";

export type DigestAlgorithm = "sha256" | "sha512";

export interface Digest {
  algorithm: DigestAlgorithm;
  hex: string;
  /** The canonical text form, "sha256:<64 hex>". */
  text: string;
}

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };
const GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Parses a digest or returns why it is not one (never throws). */
export function tryParseDigest(text: string): Digest | string {
  if (text.length > 200) return "digest too long";
  if (!GRAMMAR.test(text)) return "not algorithm:encoded";
  const i = text.indexOf(":");
  const algorithm = text.slice(0, i);
  const hex = text.slice(i + 1);
  if (algorithm !== "sha256" && algorithm !== "sha512")
    return `unsupported digest algorithm "${algorithm}"`;
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex))
    return `${algorithm} needs ${HEX_LENGTH[algorithm]} lower-case hex digits`;
  return { algorithm, hex, text };
}

/** Parses a digest or throws 400 DIGEST_INVALID. */
export function parseDigest(text: string): Digest {
  const d = tryParseDigest(text);
  if (typeof d === "string")
    throw new OciError(400, "DIGEST_INVALID", `invalid digest: ${d}`, { detail: { digest: text } });
  return d;
}

export function isDigest(text: string): boolean {
  return typeof tryParseDigest(text) !== "string";
}

export function hasher(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function digestOf(data: Uint8Array, algorithm: DigestAlgorithm = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}
