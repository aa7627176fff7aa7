// The barrier's public surface: engines get a MountStore and nothing else.
export { DecryptError } from "./aead.ts";
export {
  Barrier,
  type InitRequest,
  type SealStatus,
  type UnsealInput,
} from "./barrier.ts";
export { sealedError } from "./errors.ts";
export type { KdfParams } from "./kdf.ts";
export type { MountStore } from "./mount-store.ts";
