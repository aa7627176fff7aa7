// The ACME resources the client reads (RFC 8555 §7.1).

export interface Directory {
  newNonce: string;
  newAccount: string;
  newOrder: string;
  revokeCert: string;
  keyChange?: string;
  renewalInfo?: string;
  meta?: { externalAccountRequired?: boolean; profiles?: Record<string, string> };
}

export interface Problem {
  type: string;
  detail?: string;
  status?: number;
}

export interface Order {
  url: string;
  status: "pending" | "ready" | "processing" | "valid" | "invalid";
  identifiers: { type: string; value: string }[];
  authorizations: string[];
  finalize: string;
  certificate?: string;
  error?: Problem;
}

export interface Challenge {
  type: string;
  url: string;
  token: string;
  status: string;
  error?: Problem;
}

export interface Authorization {
  identifier: { type: string; value: string };
  status: string;
  challenges: Challenge[];
  wildcard?: boolean;
}
