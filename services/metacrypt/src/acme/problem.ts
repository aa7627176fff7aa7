// ACME problem documents (RFC 8555 §6.7, RFC 7807): the one error type of the ACME transport.
// `type` is the stable code (urn:ietf:params:acme:error:<kind>); the CA's AppError codes are
// translated here, in one table, so a refusal from the issue use case keeps its meaning.

import { isAppError } from "@metacircular/mcdsl/errors";

export type ProblemKind =
  | "accountDoesNotExist"
  | "alreadyReplaced"
  | "alreadyRevoked"
  | "badCSR"
  | "badNonce"
  | "badPublicKey"
  | "badRevocationReason"
  | "badSignatureAlgorithm"
  | "connection"
  | "dns"
  | "externalAccountRequired"
  | "incorrectResponse"
  | "invalidProfile"
  | "malformed"
  | "orderNotReady"
  | "rejectedIdentifier"
  | "serverInternal"
  | "tls"
  | "unauthorized"
  | "unsupportedIdentifier";

const STATUS: Partial<Record<ProblemKind, number>> = {
  unauthorized: 403,
  externalAccountRequired: 403,
  orderNotReady: 403,
  alreadyReplaced: 409,
  serverInternal: 500,
};

export interface ProblemDocument {
  type: string;
  detail: string;
  status: number;
  algorithms?: string[];
}

export class AcmeProblem extends Error {
  readonly status: number;
  constructor(
    readonly kind: ProblemKind,
    detail: string,
    opts: { status?: number; algorithms?: string[] } = {},
  ) {
    super(detail);
    this.name = "AcmeProblem";
    this.status = opts.status ?? STATUS[kind] ?? 400;
    this.algorithms = opts.algorithms;
  }
  readonly algorithms: string[] | undefined;

  toJSON(): ProblemDocument {
    return {
      type: `urn:ietf:params:acme:error:${this.kind}`,
      detail: this.message,
      status: this.status,
      ...(this.algorithms ? { algorithms: this.algorithms } : {}),
    };
  }
}

export const problem = (kind: ProblemKind, detail: string): AcmeProblem =>
  new AcmeProblem(kind, detail);

/** AppError codes of the CA, policy and barrier, as ACME problem kinds. */
const FROM_APP: Record<string, ProblemKind> = {
  ca_not_allowed: "badCSR",
  invalid_csr: "badCSR",
  weak_key: "badCSR",
  unsupported_key: "badCSR",
  key_usage_mismatch: "badCSR",
  unsupported_san: "badCSR",
  no_names: "badCSR",
  name_not_allowed: "rejectedIdentifier",
  wildcard_not_allowed: "rejectedIdentifier",
  ip_not_allowed: "rejectedIdentifier",
  invalid_name: "rejectedIdentifier",
  policy_denied: "unauthorized",
  guest_forbidden: "unauthorized",
  already_revoked: "alreadyRevoked",
  profile_not_found: "invalidProfile",
};

/** Any thrown value as a problem; unexpected errors become serverInternal without details. */
export function toProblem(e: unknown): { problem: AcmeProblem; unexpected: boolean } {
  if (e instanceof AcmeProblem) return { problem: e, unexpected: false };
  if (isAppError(e)) {
    if (e.code === "sealed")
      return {
        problem: new AcmeProblem("serverInternal", "metacrypt is sealed", { status: 503 }),
        unexpected: false,
      };
    const kind = FROM_APP[e.code];
    if (kind) return { problem: problem(kind, e.message), unexpected: false };
    if (e.status < 500)
      return {
        problem: new AcmeProblem("malformed", e.message, { status: e.status === 404 ? 404 : 400 }),
        unexpected: false,
      };
  }
  return { problem: problem("serverInternal", "internal error"), unexpected: true };
}
