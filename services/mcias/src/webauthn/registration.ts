// Verifies a registration (attestation) response against its pending challenge and the RP,
// yielding the credential to store. Only "none"-style trust is needed: MCIAS does not pin
// authenticator models, so attestation statements are verified when present but not required.

import { AppError } from "@metacircular/mcdsl/errors";
import { type RegistrationResponseJSON, verifyRegistrationResponse } from "@simplewebauthn/server";
import { decodeAttestationObject } from "@simplewebauthn/server/helpers";
import {
  checkAuthData,
  checkClientData,
  decodeClientData,
  fromB64url,
  passkeyError,
} from "./ceremony.ts";
import type { NewPasskey } from "./store.ts";

export interface RelyingParty {
  rpId: string;
  origins: string[];
}

function asRegistration(raw: unknown): RegistrationResponseJSON {
  const r = raw as RegistrationResponseJSON | null;
  if (typeof r !== "object" || r === null || typeof r.response !== "object" || !r.response)
    throw passkeyError.invalidResponse("expected a RegistrationResponseJSON object");
  if (typeof r.id !== "string" || r.id !== r.rawId || r.type !== "public-key")
    throw passkeyError.invalidResponse(
      "id, rawId and type must describe one public-key credential",
    );
  fromB64url(r.id, "id");
  return r;
}

export async function verifyRegistration(
  raw: unknown,
  challenge: string,
  rp: RelyingParty,
): Promise<Omit<NewPasskey, "accountId" | "name">> {
  const r = asRegistration(raw);
  const cd = decodeClientData(r.response.clientDataJSON);
  checkClientData(cd, { type: "webauthn.create", challenge, origins: rp.origins });
  let authData: Uint8Array;
  try {
    authData = decodeAttestationObject(
      fromB64url(r.response.attestationObject, "attestationObject"),
    ).get("authData");
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw passkeyError.invalidResponse("attestationObject is not valid CBOR");
  }
  if (!(authData instanceof Uint8Array))
    throw passkeyError.invalidResponse("attestationObject lacks authData");
  checkAuthData(authData, rp.rpId);

  let v: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    v = await verifyRegistrationResponse({
      response: r,
      expectedChallenge: challenge,
      expectedOrigin: cd.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
    });
  } catch (e) {
    throw attestationError(e);
  }
  if (!v.verified || !v.registrationInfo) throw attestationError(undefined);
  const { credential, credentialDeviceType, credentialBackedUp } = v.registrationInfo;
  if (credential.id !== r.id)
    throw passkeyError.invalidResponse("credential id differs from authData");
  return {
    credentialId: credential.id,
    publicKey: credential.publicKey,
    counter: credential.counter,
    transports: (r.response.transports ?? []).filter((t) => typeof t === "string").slice(0, 8),
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
  };
}

function attestationError(cause: unknown): AppError {
  const detail = cause instanceof Error ? `: ${cause.message.slice(0, 200)}` : "";
  return new AppError(
    400,
    "passkey_attestation_invalid",
    `the passkey registration did not verify${detail}`,
  );
}
