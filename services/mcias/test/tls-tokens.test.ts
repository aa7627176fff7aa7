// TLS 1.3 serving with a throwaway CA, the AuthClient trusting that CA, token renewal and
// signing-key rotation over REST.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { connect } from "node:tls";
import { AuthClient } from "@metacircular/mcdsl/auth";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { json, type MciasInstance, startMcias } from "./helpers.ts";

let m: MciasInstance;
before(async () => {
  m = await startMcias({ tls: true });
  await m.api("POST", "/v1/policies", { priority: 1, effect: "allow", roles: ["user"] });
  await m.createAccount("tess", { roles: ["user"], password: "tess-password-1" });
});
after(async () => {
  await m?.stop();
});

test("serves TLS 1.3 only; the AuthClient trusts the configured CA", async () => {
  assert.match(m.url, /^https:/);
  const ca = readFileSync(m.caCertPath!, "utf8");
  const port = Number(new URL(m.url).port);
  const old = await new Promise<string>((resolve) => {
    const s = connect({ host: "127.0.0.1", port, ca, maxVersion: "TLSv1.2" }, () =>
      resolve("connected"),
    );
    s.on("error", (e) => resolve(e.message));
  });
  assert.notEqual(old, "connected", "TLS 1.2 is refused");
  const client = new AuthClient({ serverUrl: m.url, caCert: m.caCertPath!, serviceName: "mcns" });
  try {
    const { token } = await client.login("tess", "tess-password-1");
    assert.equal((await client.validate(token))?.username, "tess");
  } finally {
    await client.close();
  }
  const untrusting = new AuthClient({ serverUrl: m.url, serviceName: "mcns" });
  try {
    await assert.rejects(untrusting.validate("x.y.z"));
  } finally {
    await untrusting.close();
  }
});

test("renewal replaces the token; rotation keeps old tokens valid and publishes both keys", async () => {
  const login = await json<{ token: string; token_id: string }>(
    await m.api(
      "POST",
      "/v1/auth/login",
      { username: "tess", password: "tess-password-1", service_name: "mcns" },
      "",
    ),
  );
  const renewed = await json<{ token: string; token_id: string }>(
    await m.api("POST", "/v1/auth/renew", undefined, login.token),
  );
  assert.notEqual(renewed.token_id, login.token_id);
  const validate = async (token: string) =>
    json(await m.api("POST", "/v1/token/validate", { token }, ""));
  assert.equal((await validate(login.token)).valid, false);
  const v = await validate(renewed.token);
  assert.equal(v.valid, true);
  assert.equal(v.audience, "mcns");

  const rot = await json<{ kid: string; keys: string[] }>(
    await m.api("POST", "/v1/admin/keys/rotate"),
  );
  assert.equal(rot.keys.length, 2);
  assert.equal(
    (await validate(renewed.token)).valid,
    true,
    "tokens signed by the old key stay valid",
  );
  const jwks = await json<{ keys: { kid: string }[] }>(
    await m.api("GET", "/.well-known/jwks.json", undefined, ""),
  );
  assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [...rot.keys].sort());
  const fresh = await json<{ token: string }>(
    await m.api("POST", "/v1/auth/login", { username: "tess", password: "tess-password-1" }, ""),
  );
  const header = JSON.parse(Buffer.from(fresh.token.split(".")[0]!, "base64url").toString()) as {
    kid: string;
    alg: string;
  };
  assert.equal(header.kid, rot.kid);
  assert.equal(header.alg, "EdDSA");

  // an independent JOSE implementation verifies both tokens against the published JWKS
  const keySet = createLocalJWKSet(jwks as unknown as JSONWebKeySet);
  for (const t of [fresh.token, renewed.token]) {
    const { payload } = await jwtVerify(t, keySet, { issuer: "mcias", algorithms: ["EdDSA"] });
    assert.equal(payload.username, "tess");
    assert.equal(typeof payload.jti, "string");
  }
});
