// Metacrypt's ACME server through mcdsl's ACME client and raw JWS requests: accounts with
// ES256, RS256 and EdDSA keys, profiles (directory meta, profile in newOrder), ARI (renewal
// window, `replaces`, alreadyReplaced, revoked → renew now), and the refusals with their
// stable problem types: externalAccountRequired, EAB reuse and bad MAC, badNonce on a replay,
// url mismatch, jwk where kid is required, a MAC algorithm, the wrong content type, another
// account's order, a deactivated account's key (newAccount included), an RSA-1024 account key
// (badPublicKey); EAB credentials safe to paste as arguments. Every response carries a Replay-Nonce.

import assert from "node:assert/strict";
import { generateKeyPairSync, sign, X509Certificate } from "node:crypto";
import { request } from "node:https";
import { after, before, test } from "node:test";
import {
  type AccountAlg,
  AcmeClient,
  AcmeError,
  ariCertId,
  generateAccountKey,
  type Http01Responder,
  http01Solver,
  leafCertificate,
  obtainCertificate,
  shouldRenew,
  signJws,
  startHttp01Responder,
} from "@metacircular/mcdsl/acme";
import { type AcmeServer, startAcmeServer } from "./helpers/acme.ts";

let s: AcmeServer;
let responder: Http01Responder;

before(async () => {
  s = await startAcmeServer();
  responder = await startHttp01Responder(s.httpPort);
});
after(async () => {
  await responder?.close();
  await s?.stop();
});

async function client(alg: AccountAlg = "ES256", eab = true): Promise<AcmeClient> {
  if (eab) return s.account({ alg });
  return new AcmeClient({
    directoryUrl: s.directory,
    accountKey: await generateAccountKey(alg),
    ca: s.tls.cert,
  });
}

const kindOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof AcmeError) return e.kind;
    throw e;
  }
};

type Raw = { status: number; headers: Record<string, unknown>; body: string };
function raw(
  url: string,
  body: string,
  type = "application/jose+json",
  method = "POST",
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const r = request(url, { method, ca: s.tls.cert, headers: { "Content-Type": type } }, (res) => {
      let b = "";
      res.on("data", (d) => {
        b += d;
      });
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: b }));
    });
    r.on("error", reject);
    r.end(body);
  });
}

test("ES256, RS256 and EdDSA accounts obtain certificates; profiles and ARI", async () => {
  const dir = await (await client("ES256", false)).directory();
  assert.deepEqual(Object.keys(dir.meta?.profiles ?? {}).sort(), ["acme", "short"]);
  assert.equal(dir.meta?.externalAccountRequired, true);
  for (const alg of ["ES256", "RS256", "EdDSA"] as const) {
    const c = await client(alg);
    const got = await obtainCertificate(c, {
      names: ["a.acme.test"],
      solvers: [http01Solver(responder)],
      profile: "short",
    });
    const leaf = new X509Certificate(got.certificate);
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    assert.ok(days <= 7.01, `${alg}: the short profile's lifetime (${days} days)`);
    assert.equal(leaf.subjectAltName, "DNS:a.acme.test");
  }
  const c = await client();
  const first = await obtainCertificate(c, {
    names: ["b.acme.test"],
    solvers: [http01Solver(responder)],
  });
  const ari = await shouldRenew(c, first.certificate);
  assert.equal(ari.source, "ari");
  assert.equal(ari.renew, false);
  const id = ariCertId(first.certificate);
  const second = await obtainCertificate(c, {
    names: ["b.acme.test"],
    solvers: [http01Solver(responder)],
    replaces: id,
  });
  assert.match(second.certificate, /BEGIN CERTIFICATE/);
  assert.equal(
    await kindOf(c.newOrder({ names: ["b.acme.test"], replaces: id })),
    "alreadyReplaced",
  );
  assert.equal(
    await kindOf(c.newOrder({ names: ["b.acme.test"], profile: "nope" })),
    "invalidProfile",
  );
  await c.revoke(Buffer.from(leafCertificate(second.certificate).rawData), { reason: 4 });
  assert.equal((await shouldRenew(c, second.certificate)).renew, true, "revoked: renew now");
  assert.equal(
    await kindOf(c.revoke(Buffer.from(leafCertificate(first.certificate).rawData), { reason: 7 })),
    "badRevocationReason",
  );
});

test("EAB key ids and keys never begin with '-' (certbot's argparse would take them for options)", async () => {
  // Without the redraw, 200 pairs would hold one with p ≈ 0.998.
  const keys = [];
  for (let i = 0; i < 25; i++)
    keys.push(...(await Promise.all(Array.from({ length: 8 }, () => s.eab()))));
  for (const k of keys) {
    assert.ok(!k.kid.startsWith("-") && !k.hmac_key.startsWith("-"), `${k.kid} ${k.hmac_key}`);
    assert.equal(Buffer.from(k.hmac_key, "base64url").length, 32);
  }
});

test("refusals carry stable ACME problem types", async () => {
  const bare = await client("ES256", false);
  assert.equal(await kindOf(bare.account()), "externalAccountRequired");
  const k = await s.eab();
  const one = await client("ES256", false);
  await one.account({ eab: { kid: k.kid, hmacKey: k.hmac_key } });
  const two = await client("ES256", false);
  assert.equal(
    await kindOf(two.account({ eab: { kid: k.kid, hmacKey: k.hmac_key } })),
    "unauthorized",
  );
  const k2 = await s.eab();
  const wrongMac = Buffer.alloc(32, 1).toString("base64url");
  assert.equal(
    await kindOf(two.account({ eab: { kid: k2.kid, hmacKey: wrongMac } })),
    "unauthorized",
  );

  const dir = await one.directory();
  const nonceReply = await raw(dir.newOrder, "{}", "text/plain");
  assert.equal(nonceReply.status, 415);
  assert.match(String(nonceReply.headers["content-type"]), /application\/problem\+json/);
  const nonce = String(nonceReply.headers["replay-nonce"]);
  const payload = { identifiers: [{ type: "dns", value: "c.acme.test" }] };
  const signed = JSON.stringify(
    await signJws(one.key, { kid: one.accountUrl! }, dir.newOrder, nonce, payload),
  );
  assert.equal((await raw(dir.newOrder, signed)).status, 201);
  const replay = await raw(dir.newOrder, signed);
  assert.equal(JSON.parse(replay.body).type, "urn:ietf:params:acme:error:badNonce");
  assert.ok(replay.headers["replay-nonce"], "errors carry a nonce too");

  const n = () =>
    raw(dir.newOrder, "{}", "text/plain").then((r) => String(r.headers["replay-nonce"]));
  const wrongUrl = JSON.stringify(
    await signJws(one.key, { kid: one.accountUrl! }, `${dir.newOrder}x`, await n(), payload),
  );
  assert.equal(
    JSON.parse((await raw(dir.newOrder, wrongUrl)).body).type,
    "urn:ietf:params:acme:error:unauthorized",
  );
  const jwkOnOrder = JSON.stringify(
    await signJws(one.key, { jwk: one.key.jwk }, dir.newOrder, await n(), payload),
  );
  assert.equal(
    JSON.parse((await raw(dir.newOrder, jwkOnOrder)).body).type,
    "urn:ietf:params:acme:error:malformed",
  );
  const header = Buffer.from(
    JSON.stringify({ alg: "HS256", kid: one.accountUrl, nonce: await n(), url: dir.newOrder }),
  ).toString("base64url");
  const hs = JSON.stringify({ protected: header, payload: "", signature: "AAAA" });
  const hsReply = JSON.parse((await raw(dir.newOrder, hs)).body);
  assert.equal(hsReply.type, "urn:ietf:params:acme:error:badSignatureAlgorithm");
  assert.ok(hsReply.algorithms.includes("ES256"));

  const mine = await one.newOrder({ names: ["d.acme.test"] });
  assert.equal(
    await kindOf((await client()).get(mine.url)),
    "malformed",
    "another account's order",
  );
  const unknownMount = await raw(s.directory.replace("/pki/", "/nope/"), "", "text/plain", "GET");
  assert.equal(unknownMount.status, 404);
  assert.match(unknownMount.body, /urn:ietf:params:acme:error:malformed/);
});

test("a deactivated account's key is refused everywhere, newAccount included (RFC 8555 §7.3.6)", async () => {
  const c = await client();
  const url = c.accountUrl;
  await c.deactivate();
  assert.equal(await kindOf(c.newOrder({ names: ["a.acme.test"] })), "unauthorized");
  assert.equal(await kindOf(c.account()), "unauthorized");
  assert.equal(c.accountUrl, url, "no account URL handed out again");
});

test("an RSA account key below 2048 bits is badPublicKey, not a signature failure", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const jwk = publicKey.export({ format: "jwk" });
  const dir = await (await client("ES256", false)).directory();
  const nonce = String((await raw(dir.newAccount, "{}", "text/plain")).headers["replay-nonce"]);
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const prot = b64({
    alg: "RS256",
    jwk: { e: jwk.e, kty: "RSA", n: jwk.n },
    nonce,
    url: dir.newAccount,
  });
  const payload = b64({ termsOfServiceAgreed: true });
  const signature = sign("sha256", Buffer.from(`${prot}.${payload}`), privateKey).toString(
    "base64url",
  );
  const r = await raw(dir.newAccount, JSON.stringify({ protected: prot, payload, signature }));
  assert.equal(JSON.parse(r.body).type, "urn:ietf:params:acme:error:badPublicKey", r.body);
});
