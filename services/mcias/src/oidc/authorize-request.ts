// Validation of an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636).
// Until the client and its exact redirect_uri are verified, errors are answered to the user
// agent as JSON 400 (MCIAS never redirects anywhere unregistered); afterwards they are
// redirected to the client per RFC 6749 §4.1.2.1. A repeated parameter is invalid_request
// (RFC 6749 §3.1): answered as JSON for client_id/redirect_uri, redirected otherwise.

import { hasScope, SUPPORTED_SCOPES } from "./claims.ts";
import type { OidcClient, OidcClients } from "./clients.ts";
import { invalidRequest, OAuthError } from "./errors.ts";
import type { OAuthParams } from "./params.ts";

export interface AuthorizeRequest {
  client: OidcClient;
  redirectUri: string;
  scope: string;
  state?: string | undefined;
  nonce?: string | undefined;
  codeChallenge?: string | undefined;
  prompt: string[];
  /** OIDC max_age: the longest time since the user's sign-in that is acceptable. */
  maxAgeS?: number;
}

/** An error to deliver to the client's redirect_uri. */
export class RedirectError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(description);
  }
}

const PROMPTS = new Set(["none", "login", "consent", "select_account"]);
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** The hidden fields the login form carries so POST sees the same request as GET. */
export function carriedFields(q: AuthorizeRequest): Record<string, string> {
  return {
    client_id: q.client.id,
    redirect_uri: q.redirectUri,
    response_type: "code",
    scope: q.scope,
    ...(q.state === undefined ? {} : { state: q.state }),
    ...(q.nonce === undefined ? {} : { nonce: q.nonce }),
    ...(q.codeChallenge === undefined
      ? {}
      : { code_challenge: q.codeChallenge, code_challenge_method: "S256" }),
  };
}

/** Verifies client and redirect_uri; throws JSON-400 OAuthErrors only. */
export function verifyClient(clients: OidcClients, params: OAuthParams) {
  const p = params.values;
  for (const name of ["client_id", "redirect_uri"])
    if (params.repeated.includes(name)) throw invalidRequest(`parameter ${name} is repeated`);
  const client = clients.get(p.client_id ?? "");
  if (!client) throw new OAuthError("invalid_client", "unknown client_id");
  const redirectUri = p.redirect_uri ?? "";
  if (!client.redirectUris.includes(redirectUri))
    throw invalidRequest("redirect_uri is missing or not registered for this client");
  return { client, redirectUri };
}

export function parseAuthorizeRequest(clients: OidcClients, params: OAuthParams): AuthorizeRequest {
  const { client, redirectUri } = verifyClient(clients, params);
  const p: Record<string, string | undefined> = params.values;
  // A repeated state is not echoed: which of the values would be the client's?
  const state = p.state === "" || params.repeated.includes("state") ? undefined : p.state;
  const fail = (error: string, description: string): never => {
    throw new RedirectError(error, description, redirectUri, state);
  };
  if (params.repeated.length > 0)
    fail("invalid_request", `parameter ${params.repeated[0]} is repeated (RFC 6749 §3.1)`);
  if (state !== undefined && state.length > 1024) fail("invalid_request", "state is too long");
  if (p.request !== undefined) fail("request_not_supported", "request objects are not supported");
  if (p.request_uri !== undefined)
    fail("request_uri_not_supported", "request_uri is not supported");
  if (p.response_type === undefined || p.response_type === "")
    fail("invalid_request", "response_type is required");
  if (p.response_type !== "code")
    fail("unsupported_response_type", "only response_type=code is supported");
  if (p.response_mode !== undefined && p.response_mode !== "query")
    fail("invalid_request", "only response_mode=query is supported");

  const scopes = (p.scope ?? "").split(" ").filter(Boolean);
  if (scopes.length === 0) fail("invalid_scope", "scope is required (openid for OpenID Connect)");
  for (const s of scopes) {
    if (!SUPPORTED_SCOPES.includes(s)) fail("invalid_scope", `unknown scope ${s}`);
    if (!client.scopes.includes(s))
      fail("invalid_scope", `scope ${s} is not allowed for this client`);
  }
  const scope = [...new Set(scopes)].join(" ");

  const isPublic = client.type === "public";
  if (isPublic && state === undefined) fail("invalid_request", "state is required");
  const nonce = p.nonce === "" ? undefined : p.nonce;
  if (nonce !== undefined && nonce.length > 512) fail("invalid_request", "nonce is too long");
  if (isPublic && hasScope(scope, "openid") && nonce === undefined)
    fail("invalid_request", "nonce is required for public clients");

  const challenge = p.code_challenge === "" ? undefined : p.code_challenge;
  if (challenge === undefined) {
    if (isPublic) fail("invalid_request", "PKCE (code_challenge, S256) is required");
  } else {
    if (p.code_challenge_method !== "S256")
      fail("invalid_request", "code_challenge_method must be S256");
    if (!CHALLENGE.test(challenge))
      fail("invalid_request", "code_challenge must be base64url SHA-256");
  }

  const prompt = (p.prompt ?? "").split(" ").filter(Boolean);
  if (prompt.some((x) => !PROMPTS.has(x))) fail("invalid_request", "unknown prompt value");
  if (prompt.includes("none") && prompt.length > 1)
    fail("invalid_request", "prompt=none cannot be combined with other values");
  if (p.max_age !== undefined && !/^\d{1,9}$/.test(p.max_age))
    fail("invalid_request", "max_age must be a non-negative integer");

  return {
    client,
    redirectUri,
    scope,
    state,
    nonce,
    codeChallenge: challenge,
    prompt,
    ...(p.max_age === undefined ? {} : { maxAgeS: Number(p.max_age) }),
  };
}
