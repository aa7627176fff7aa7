// The transit engine's public surface.
export { type BatchResult, MAX_BATCH_ITEMS } from "./batch.ts";
export { formatVersioned, parseVersioned, type Versioned } from "./ciphertext.ts";
export {
  type DecryptRequest,
  type EncryptRequest,
  type HmacRequest,
  MAX_INPUT_BYTES,
  type RewrapRequest,
  type Sealed,
  type SignRequest,
  TransitEngine,
  type VerifyHmacRequest,
  type VerifyRequest,
} from "./engine.ts";
export { KEY_TYPES, type SignHash, type TransitKeyType } from "./key-material.ts";
export type { KeyInfo } from "./keyring.ts";
