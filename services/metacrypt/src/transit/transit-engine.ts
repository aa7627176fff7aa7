// The transit engine type: named-key cryptography as the service layer dispatches it from
// `POST /v1/engine/request` and EngineService.Request. Binary fields are base64; the policy name
// of every key operation is the key name.

import { z } from "zod";
import type { EngineOperation, EngineType } from "../engines/engine.ts";
import { parseData as parse } from "../engines/parse.ts";
import { bytes, toWire } from "../engines/wire.ts";
import { TransitEngine } from "./engine.ts";
import { KEY_TYPES } from "./key-material.ts";

const name = z.string().min(1).max(128);
const version = z.number().int().min(1).optional();
const hash = z.enum(["sha256", "sha384", "sha512"]).optional();
const keyRef = z.strictObject({ name });

const encryptItem = z.strictObject({
  plaintext: bytes,
  context: bytes.optional(),
  key_version: version,
});
const decryptItem = z.strictObject({ ciphertext: z.string().min(1), context: bytes.optional() });
const rewrapItem = decryptItem.extend({ key_version: version });
const signItem = z.strictObject({ input: bytes, key_version: version, hash_algorithm: hash });
const verifyItem = z.strictObject({
  input: bytes,
  signature: z.string().min(1),
  hash_algorithm: hash,
});
const hmacItem = z.strictObject({ input: bytes, key_version: version, algorithm: hash });
const verifyHmacItem = z.strictObject({ input: bytes, hmac: z.string().min(1), algorithm: hash });

type Req<S extends z.ZodType> = z.infer<S>;
const enc = (r: Req<typeof encryptItem>) => ({
  plaintext: r.plaintext,
  context: r.context,
  keyVersion: r.key_version,
});
const dec = (r: Req<typeof decryptItem>) => ({ ciphertext: r.ciphertext, context: r.context });
const rew = (r: Req<typeof rewrapItem>) => ({ ...dec(r), keyVersion: r.key_version });
const sig = (r: Req<typeof signItem>) => ({
  input: r.input,
  keyVersion: r.key_version,
  hashAlgorithm: r.hash_algorithm,
});
const ver = (r: Req<typeof verifyItem>) => ({
  input: r.input,
  signature: r.signature,
  hashAlgorithm: r.hash_algorithm,
});
const mac = (r: Req<typeof hmacItem>) => ({
  input: r.input,
  keyVersion: r.key_version,
  algorithm: r.algorithm,
});
const vmac = (r: Req<typeof verifyHmacItem>) => ({
  input: r.input,
  hmac: r.hmac,
  algorithm: r.algorithm,
});

/** Built once: zod compiles each schema on first use, so `.loose()` per request cost ~0.05 ms. */
const keyRefLoose = keyRef.loose();
const keyName = (d: unknown): string[] => [parse(keyRefLoose, d).name];

/** One operation on a named key: `item` is the request without its name. */
function keyOp<S extends z.ZodObject, R>(
  item: S,
  run: (t: TransitEngine, name: string, r: z.infer<S>) => R,
): EngineOperation {
  const schema = item.extend({ name });
  return {
    names: keyName,
    run: async ({ store }, d) => {
      const r = parse(schema, d) as z.infer<S> & { name: string };
      return toWire(run(new TransitEngine(store), r.name, r));
    },
  };
}

/** A batch is one policy decision and one audit row, which records how many items it held. */
const batchDetail = (d: unknown): Record<string, unknown> => {
  const items = (d as { items?: unknown } | null)?.items;
  return { items: Array.isArray(items) ? items.length : 0 };
};

/** A batch of one operation on a named key: `{name, items: [...]}` → `{results: [...]}`. */
function batchOp<S extends z.ZodObject, I, R>(
  item: S,
  toDomain: (r: z.infer<S>) => I,
  run: (t: TransitEngine, name: string, items: I[]) => R,
): EngineOperation {
  const schema = z.strictObject({ name, items: z.array(item).min(1) });
  return {
    names: keyName,
    auditDetail: batchDetail,
    run: async ({ store }, d) => {
      const r = parse(schema, d);
      return { results: toWire(run(new TransitEngine(store), r.name, r.items.map(toDomain))) };
    },
  };
}

const configure = z.strictObject({
  min_decryption_version: version,
  deletion_allowed: z.boolean().optional(),
});
const dataKey = z.strictObject({
  bits: z.union([z.literal(128), z.literal(256), z.literal(512)]).optional(),
  include_plaintext: z.boolean().optional(),
  context: bytes.optional(),
});
const none = z.strictObject({});

const operations: Record<string, EngineOperation> = {
  "create-key": keyOp(
    z.strictObject({ type: z.enum(KEY_TYPES).default("aes256-gcm") }),
    (t, n, r) => t.createKey(n, r),
  ),
  "get-key": keyOp(none, (t, n) => t.getKey(n)),
  "list-keys": {
    run: async ({ store }, d) => {
      parse(none, d);
      return { keys: new TransitEngine(store).listKeys() };
    },
  },
  "rotate-key": keyOp(none, (t, n) => t.rotateKey(n)),
  "configure-key": keyOp(configure, (t, n, r) =>
    t.configureKey(n, {
      minDecryptionVersion: r.min_decryption_version,
      deletionAllowed: r.deletion_allowed,
    }),
  ),
  "delete-key": keyOp(none, (t, n) => {
    t.deleteKey(n);
    return { deleted: n };
  }),
  encrypt: keyOp(encryptItem, (t, n, r) => t.encrypt(n, enc(r))),
  decrypt: keyOp(decryptItem, (t, n, r) => t.decrypt(n, dec(r))),
  rewrap: keyOp(rewrapItem, (t, n, r) => t.rewrap(n, rew(r))),
  "data-key": keyOp(dataKey, (t, n, r) =>
    t.dataKey(n, { bits: r.bits, includePlaintext: r.include_plaintext, context: r.context }),
  ),
  sign: keyOp(signItem, (t, n, r) => t.sign(n, sig(r))),
  verify: keyOp(verifyItem, (t, n, r) => t.verify(n, ver(r))),
  hmac: keyOp(hmacItem, (t, n, r) => t.hmac(n, mac(r))),
  "verify-hmac": keyOp(verifyHmacItem, (t, n, r) => t.verifyHmac(n, vmac(r))),
  "encrypt-batch": batchOp(encryptItem, enc, (t, n, i) => t.encryptBatch(n, i)),
  "decrypt-batch": batchOp(decryptItem, dec, (t, n, i) => t.decryptBatch(n, i)),
  "rewrap-batch": batchOp(rewrapItem, rew, (t, n, i) => t.rewrapBatch(n, i)),
  "sign-batch": batchOp(signItem, sig, (t, n, i) => t.signBatch(n, i)),
  "verify-batch": batchOp(verifyItem, ver, (t, n, i) => t.verifyBatch(n, i)),
  "hmac-batch": batchOp(hmacItem, mac, (t, n, i) => t.hmacBatch(n, i)),
};

export const transitEngine: EngineType = { type: "transit", operations };
