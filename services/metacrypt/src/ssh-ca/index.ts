// The SSH CA engine's public surface.
export { CA_KEY_TYPES, type CaKeyType } from "./ca-key.ts";
export type { CertType } from "./certificate.ts";
export { DEFAULT_MAX_TTL_SECONDS, type SignRequest, SshCaEngine } from "./engine.ts";
export { fingerprint, parsePublicKey, type SshPublicKey } from "./public-key.ts";
export type { CertificateRecord, RevokeTarget, SshCaConfig } from "./records.ts";
