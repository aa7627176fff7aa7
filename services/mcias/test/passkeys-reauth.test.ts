// Adding a passkey needs a recent sign-in ("sudo mode"): a session token that is old, or was
// renewed from an old one (over REST or gRPC), cannot register a credential — only a fresh
// login can.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { bothTransports, grpcOutcome, restOutcome, type Transport } from "@metacircular/testkit";
import { json, type MciasInstance, startMcias } from "./helpers.ts";
import { errorCode, userToken, WEBAUTHN_TOML } from "./passkeys-helpers.ts";

let m: MciasInstance;
/**
 * The sign-in age limit under test. A fresh login must reach the check within it (a login and one
 * request: 2 s leaves room on a loaded machine); STALE_MS waits past it.
 */
const MAX_AUTH_AGE_S = 2;
const STALE_MS = MAX_AUTH_AGE_S * 1000 + 100;

before(async () => {
  m = await startMcias({
    grpc: true,
    extraToml: [
      `${WEBAUTHN_TOML}\nregistration_max_auth_age_s = ${MAX_AUTH_AGE_S}`,
      "[policy]",
      'default = "allow"',
    ].join("\n"),
  });
  await m.createAccount("fay", { password: "fay-password-1234" });
});
after(() => m?.stop());

const begin = (token: string) => m.api("POST", "/v1/auth/passkeys/register/begin", {}, token);

test("an old or renewed session is refused; a fresh login may register", async () => {
  const fresh = await userToken(m, "fay", "fay-password-1234");
  assert.equal((await begin(fresh)).status, 200);

  await new Promise((r) => setTimeout(r, STALE_MS));
  const stale = await begin(fresh);
  assert.equal(stale.status, 401);
  assert.equal(await errorCode(stale), "reauthentication_required");

  // Renewal issues a new token but keeps the time of the original sign-in.
  const renewed = await m.api("POST", "/v1/auth/renew", {}, fresh);
  assert.equal(renewed.status, 200);
  const { token: renewedToken } = await json<{ token: string }>(renewed);
  const afterRenew = await begin(renewedToken);
  assert.equal(afterRenew.status, 401);
  assert.equal(await errorCode(afterRenew), "reauthentication_required");

  const again = await userToken(m, "fay", "fay-password-1234");
  assert.equal((await begin(again)).status, 200);
});

function grpcAuth(token: string) {
  const auth: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  return createClient(
    AuthService,
    createGrpcTransport({ baseUrl: m.grpcUrl!, interceptors: [auth] }),
  );
}

/** Renews `token` over `via`; the successor must still need a fresh sign-in on both transports. */
bothTransports("renewal keeps the sign-in time over REST and gRPC", async (via: Transport) => {
  const fresh = await userToken(m, "fay", "fay-password-1234");
  await new Promise((r) => setTimeout(r, STALE_MS));
  const renewed =
    via === "rest"
      ? await restOutcome(
          await m.api("POST", "/v1/auth/renew", {}, fresh),
          (b) => (b as { token: string }).token,
        )
      : await grpcOutcome(grpcAuth(fresh).renewToken({}), (r) => r.token);
  assert.ok(renewed.ok, JSON.stringify(renewed));
  const rest = await restOutcome(await begin(renewed.value));
  const grpc = await grpcOutcome(grpcAuth(renewed.value).beginPasskeyRegistration({}));
  assert.deepEqual(rest, grpc, "both transports judge the renewed token alike");
  assert.equal(rest.ok ? "ok" : rest.code, "reauthentication_required");
  return rest;
});
