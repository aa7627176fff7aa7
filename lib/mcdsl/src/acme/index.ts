export {
  type AccountAlg,
  type AccountKey,
  generateAccountKey,
  importAccountKey,
  signJws,
} from "./account-key.ts";
export { AcmeClient, type AcmeClientOptions, type Reply } from "./client.ts";
export { type CertKeyType, type KeyAndCsr, keyAndCsr } from "./csr.ts";
export { AcmeError } from "./errors.ts";
export { type Http01Responder, startHttp01Responder } from "./http01.ts";
export {
  dns01Solver,
  http01Solver,
  type Obtained,
  type ObtainOptions,
  obtainCertificate,
  type Solver,
  tlsAlpn01Solver,
} from "./obtain.ts";
export {
  ariCertId,
  FALLBACK_DAYS,
  leafCertificate,
  type RenewDecision,
  shouldRenew,
} from "./renewal.ts";
export type { Authorization, Challenge, Directory, Order, Problem } from "./types.ts";
