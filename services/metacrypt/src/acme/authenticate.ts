// Turns a POST body into an authenticated ACME request: structure, url header, nonce, key (kid
// of a valid account, or a bare jwk where RFC 8555 allows one), signature, payload. The order
// matters: a replayed or stale nonce is badNonce before any key is looked up.

import type { AcmeDeps, AcmeRequest } from "./context.ts";
import { parseJws, payloadOf, verifyJws } from "./jws.ts";
import { problem } from "./problem.ts";
import { accountIdFromKid, type Urls } from "./resources.ts";

export type KeyMode = "kid" | "jwk" | "either";

export async function authenticate(
  d: AcmeDeps,
  mount: string,
  urls: Urls,
  requestUrl: string,
  body: string,
  mode: KeyMode,
): Promise<AcmeRequest> {
  const jws = parseJws(body);
  if (jws.url !== requestUrl)
    throw problem("unauthorized", "the url header does not match the request URL");
  if (jws.nonce === undefined || !d.nonces.consume(jws.nonce))
    throw problem("badNonce", "the nonce is missing, unknown, used or expired");
  if (jws.key.kind === "jwk") {
    if (mode === "kid") throw problem("malformed", "this resource needs kid, not jwk");
    await verifyJws(jws, jws.key.jwk);
    return { mount, urls, jws, jwk: jws.key.jwk, account: undefined, payload: payloadOf(jws) };
  }
  if (mode === "jwk") throw problem("malformed", "this resource needs jwk, not kid");
  const id = accountIdFromKid(urls, jws.key.kid);
  const account = id === undefined ? undefined : d.store.account(mount, id);
  if (!account) throw problem("accountDoesNotExist", "no account with this kid");
  if (account.status !== "valid") throw problem("unauthorized", `the account is ${account.status}`);
  await verifyJws(jws, account.jwk);
  return { mount, urls, jws, jwk: account.jwk, account, payload: payloadOf(jws) };
}
