// The user-to-user engine's public surface.

export { MAX_MESSAGE_BYTES, type Opened, UserCryptoEngine, type UserPublicKey } from "./engine.ts";
export { ENVELOPE_PREFIX } from "./envelope.ts";
