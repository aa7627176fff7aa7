// Verifies an authentication (assertion) response: client data and RP checks with their own
// error codes, then the signature over authData ‖ SHA-256(clientDataJSON) with the stored
// public key, then the signature-counter rule (a counter that does not grow means a cloned
// authenticator).
import {
  type AuthenticationResponseJSON,
  verifyAuthenticationResponse,
} from "@simplewebauthn/server";
import {
  checkAuthData,
  checkClientData,
  counterRegressed,
  decodeClientData,
  fromB64url,
  passkeyError,
} from "./ceremony.ts";
import type { RelyingParty } from "./registration.ts";
import type { StoredPasskey } from "./store.ts";

export function asAssertion(raw: unknown): AuthenticationResponseJSON {
  const r = raw as AuthenticationResponseJSON | null;
  if (typeof r !== "object" || r === null || typeof r.response !== "object" || !r.response)
    throw passkeyError.invalidResponse("expected an AuthenticationResponseJSON object");
  if (typeof r.id !== "string" || r.id !== r.rawId || r.type !== "public-key")
    throw passkeyError.invalidResponse(
      "id, rawId and type must describe one public-key credential",
    );
  fromB64url(r.id, "id");
  return r;
}

/** The user handle we give each account's credentials: its account id (no personal data). */
export function userHandleFor(accountId: string): string {
  return Buffer.from(accountId, "utf8").toString("base64url");
}

/**
 * Verifies an assertion for the stored credential `pk` (found by the response's id) and
 * returns the counter value to record.
 */
export async function verifyAssertion(
  r: AuthenticationResponseJSON,
  challenge: string,
  rp: RelyingParty,
  pk: StoredPasskey,
): Promise<number> {
  const cd = decodeClientData(r.response.clientDataJSON);
  checkClientData(cd, { type: "webauthn.get", challenge, origins: rp.origins });
  const { counter } = checkAuthData(
    fromB64url(r.response.authenticatorData, "authenticatorData"),
    rp.rpId,
  );
  if (r.response.userHandle && r.response.userHandle !== userHandleFor(pk.accountId))
    throw passkeyError.unknownCredential();
  let verified = false;
  try {
    // counter 0 here: the library's own counter check would fire before we know the signature
    // is good; the counter rule is applied below, on a verified assertion only.
    const v = await verifyAuthenticationResponse({
      response: r,
      expectedChallenge: challenge,
      expectedOrigin: cd.origin,
      expectedRPID: rp.rpId,
      credential: { id: pk.credentialId, publicKey: pk.publicKey, counter: 0 },
      requireUserVerification: true,
    });
    verified = v.verified && v.authenticationInfo.newCounter === counter;
  } catch {
    verified = false;
  }
  if (!verified) throw passkeyError.signature();
  if (counterRegressed(pk.counter, counter)) throw passkeyError.counter();
  return counter;
}
