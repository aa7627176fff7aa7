// Checks on a ceremony's client data and authenticator data that we make ourselves, before
// the signature work, so each refusal carries its own stable error code (the library only
// throws generic errors). The cryptographic verification itself is @simplewebauthn/server's.
import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@metacircular/mcdsl/errors";
import { challengeError } from "./challenges.ts";

export const passkeyError = {
  invalidResponse: (why: string) =>
    AppError.badRequest("passkey_invalid_response", `malformed passkey response: ${why}`),
  origin: (origin: string) =>
    AppError.badRequest("passkey_origin_mismatch", `origin ${origin} is not allowed for passkeys`),
  rpId: () =>
    AppError.badRequest("passkey_rp_id_mismatch", "the credential is scoped to another RP ID"),
  userVerification: () =>
    AppError.unauthenticated(
      "the authenticator did not verify the user (PIN or biometric required)",
      "passkey_user_verification_required",
    ),
  unknownCredential: () =>
    AppError.unauthenticated("this passkey is not registered", "passkey_unknown_credential"),
  signature: () =>
    AppError.unauthenticated("the passkey assertion did not verify", "passkey_signature_invalid"),
  counter: () =>
    AppError.unauthenticated(
      "the authenticator's signature counter went backwards (possible cloned authenticator)",
      "passkey_counter_regressed",
    ),
};

export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function fromB64url(s: unknown, what: string): Uint8Array<ArrayBuffer> {
  if (typeof s !== "string" || !B64URL.test(s) || s.length === 0)
    throw passkeyError.invalidResponse(`${what} is not base64url`);
  return new Uint8Array(Buffer.from(s, "base64url"));
}

export function decodeClientData(b64: unknown): ClientData {
  let cd: Partial<ClientData>;
  try {
    cd = JSON.parse(Buffer.from(fromB64url(b64, "clientDataJSON")).toString("utf8"));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw passkeyError.invalidResponse("clientDataJSON is not JSON");
  }
  if (typeof cd?.type !== "string" || typeof cd.challenge !== "string")
    throw passkeyError.invalidResponse("clientDataJSON lacks type or challenge");
  if (typeof cd.origin !== "string")
    throw passkeyError.invalidResponse("clientDataJSON lacks origin");
  return { type: cd.type, challenge: cd.challenge, origin: cd.origin };
}

/** type, challenge (constant time) and origin of the client data. */
export function checkClientData(
  cd: ClientData,
  want: { type: "webauthn.create" | "webauthn.get"; challenge: string; origins: string[] },
): void {
  if (cd.type !== want.type) throw passkeyError.invalidResponse(`type must be ${want.type}`);
  const a = createHash("sha256").update(cd.challenge).digest();
  const b = createHash("sha256").update(want.challenge).digest();
  if (!timingSafeEqual(a, b)) throw challengeError();
  if (!want.origins.includes(cd.origin)) throw passkeyError.origin(cd.origin);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

/** rpIdHash and the user-present + user-verified flags of authenticator data. */
export function checkAuthData(authData: Uint8Array, rpId: string): { counter: number } {
  if (authData.length < 37) throw passkeyError.invalidResponse("authenticatorData too short");
  const want = createHash("sha256").update(rpId).digest();
  if (!timingSafeEqual(Buffer.from(authData.subarray(0, 32)), want)) throw passkeyError.rpId();
  const flags = authData[32]!;
  if (!(flags & FLAG_UP) || !(flags & FLAG_UV)) throw passkeyError.userVerification();
  return { counter: Buffer.from(authData.subarray(33, 37)).readUInt32BE(0) };
}

/** The counter rule of WebAuthn §7.2 step 21: if either side counts, it must strictly grow. */
export function counterRegressed(stored: number, received: number): boolean {
  return (stored > 0 || received > 0) && received <= stored;
}
