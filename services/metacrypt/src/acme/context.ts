// What every ACME use case receives: its stores, the CA port, the options from [acme], and
// (per request) the authenticated JWS: the account (kid) or bare key (jwk) and the payload.

import type { Identity } from "@metacircular/mcdsl/identity";
import type { Logger } from "@metacircular/mcdsl/log";
import type { JWK } from "jose";
import type { AcmeCa } from "./ca-port.ts";
import type { ParsedJws } from "./jws.ts";
import type { NonceStore } from "./nonces.ts";
import type { Urls } from "./resources.ts";
import type { Account, AcmeStore } from "./store.ts";
import type { ValidationOptions } from "./validate.ts";

/** Seconds a client should wait before polling an object whose validation is under way. */
export const POLL_AFTER_SECONDS = 1;

export interface AcmeOptions {
  requireEab: boolean;
  /** The identity of accounts made without a binding (only when requireEab is false). */
  anonymousIdentity: Identity;
  defaultProfile: string;
  /** Absolute base of the URLs handed out; undefined = scheme and Host of each request. */
  externalUrl: string | undefined;
  orderLifetimeMs: number;
  /** Lifetime of a valid authorization, reused meanwhile by the same account; 0 = no reuse. */
  authzReuseMs: number;
  /** How long a challenge response waits for its validation before answering "processing". */
  inlineValidationMs: number;
  validation: ValidationOptions;
}

export interface AcmeDeps {
  store: AcmeStore;
  ca: AcmeCa;
  nonces: NonceStore;
  opts: AcmeOptions;
  log: Logger;
}

export interface AcmeRequest {
  mount: string;
  urls: Urls;
  jws: ParsedJws;
  /** The key that signed: the account's for kid requests. */
  jwk: JWK;
  account: Account | undefined;
  /** undefined for POST-as-GET. */
  payload: Record<string, unknown> | undefined;
}

/** A reply of a use case; the transport adds Replay-Nonce, Link and the content type. */
export interface AcmeReply {
  status: number;
  body: unknown;
  location?: string;
  links?: string[];
  contentType?: string;
  retryAfter?: number;
}
