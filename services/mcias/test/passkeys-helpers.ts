// Shared steps of the passkey integration tests: a user token, registration and login over
// REST with the software authenticator.
import assert from "node:assert/strict";
import { json, type MciasInstance } from "./helpers.ts";
import { SoftAuthenticator, type Tamper } from "./passkeys-soft-authenticator.ts";

/** The origin the tests' software authenticator reports; configured in [webauthn]. */
export const ORIGIN = "https://localhost:8443";
export const WEBAUTHN_TOML = ["[webauthn]", 'rp_id = "localhost"', `origins = ["${ORIGIN}"]`].join(
  "\n",
);

export interface Begin {
  challenge_id: string;
  // biome-ignore lint/suspicious/noExplicitAny: WebAuthn options JSON
  options: any;
}

export async function userToken(m: MciasInstance, username: string, password: string) {
  const res = await m.api("POST", "/v1/auth/login", { username, password }, "");
  assert.equal(res.status, 200, await res.clone().text());
  return (await json<{ token: string }>(res)).token;
}

export async function registerPasskey(
  m: MciasInstance,
  token: string,
  auth: SoftAuthenticator,
  name = "test key",
  tamper: Tamper = {},
) {
  const begin = await json<Begin>(
    await m.api("POST", "/v1/auth/passkeys/register/begin", undefined, token),
  );
  return m.api(
    "POST",
    "/v1/auth/passkeys/register/finish",
    { challenge_id: begin.challenge_id, response: auth.create(begin.options, tamper), name },
    token,
  );
}

export async function beginLogin(m: MciasInstance, username?: string): Promise<Begin> {
  const res = await m.api(
    "POST",
    "/v1/auth/passkey/login/begin",
    username === undefined ? {} : { username },
    "",
  );
  assert.equal(res.status, 200);
  return json<Begin>(res);
}

export async function passkeyLogin(
  m: MciasInstance,
  auth: SoftAuthenticator,
  opts: { username?: string; tamper?: Tamper; serviceName?: string } = {},
) {
  const begin = await beginLogin(m, opts.username);
  return m.api(
    "POST",
    "/v1/auth/passkey/login/finish",
    {
      challenge_id: begin.challenge_id,
      response: auth.get(begin.options, opts.tamper),
      ...(opts.serviceName ? { service_name: opts.serviceName } : {}),
    },
    "",
  );
}

export async function errorCode(res: Response): Promise<string> {
  return (await json<{ error: { code: string } }>(res)).error.code;
}

export { SoftAuthenticator };
