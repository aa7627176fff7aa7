// The order state machine at finalize (RFC 8555 §7.1.6) and the certificate key a CSR may carry,
// through mcdsl's ACME client and openssl-made CSRs. A ready order is finalized only while it
// and every authorization it rests on still hold: a deactivated authorization, a reused one that
// has expired since, or an order past its own expiry makes it invalid (orderNotReady), and a
// validation finishing meanwhile does not bring it back to ready. A CSR whose key is RSA below
// 2048 bits or on a curve the CA does not issue for is badCSR over ACME (weak_key /
// unsupported_key through sign-csr); RSA 2048 from openssl is still accepted. revokeCert refuses
// the reason removeFromCRL (8), which OpenSSL reads in a full CRL as "not revoked". A policy rule
// denying a name also denies a wildcard order covering it. An account bound by an admin acts
// without the admin role.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  type AcmeClient,
  AcmeError,
  type Authorization,
  type Http01Responder,
  http01Solver,
  keyAndCsr,
  leafCertificate,
  type Order,
  obtainCertificate,
  startHttp01Responder,
} from "@metacircular/mcdsl/acme";
import { isAppError } from "@metacircular/mcdsl/errors";
import { type AcmeServer, startAcmeServer } from "./helpers/acme.ts";
import { IDENTITIES } from "./helpers/metacrypt.ts";
import { openssl } from "./helpers/openssl.ts";

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

const account = (): Promise<AcmeClient> => s.account();

const kindOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof AcmeError) return e.kind;
    throw e;
  }
};

const idOf = (url: string): string => url.slice(url.lastIndexOf("/") + 1);
const orderRow = (url: string) =>
  s.h.db.prepare("SELECT status FROM acme_orders WHERE id = ?").get(idOf(url)) as {
    status: string;
  };

/** A certificate for `name` (its authorization is then valid and reused), and a new order. */
async function readyOrder(c: AcmeClient, name: string): Promise<Order> {
  await obtainCertificate(c, { names: [name], solvers: [http01Solver(responder)] });
  const o = await c.newOrder({ names: [name] });
  assert.equal(o.status, "ready", "the reused authorization makes the order ready at once");
  return o;
}

async function finalizeKind(c: AcmeClient, o: Order, names: string[]): Promise<string> {
  return kindOf(c.finalize(o, (await keyAndCsr(names)).csrDer));
}

test("a deactivated authorization makes its ready order invalid: no certificate", async () => {
  const c = await account();
  const o = await readyOrder(c, "a.acme.test");
  await c.post(o.authorizations[0]!, { status: "deactivated" });
  assert.equal((await c.get<Order>(o.url)).status, "invalid");
  assert.equal(await finalizeKind(c, o, ["a.acme.test"]), "orderNotReady");
});

test("a reused authorization that expired: the order does not turn ready when the other validates", async () => {
  const c = await account();
  await obtainCertificate(c, { names: ["b.acme.test"], solvers: [http01Solver(responder)] });
  const o = await c.newOrder({ names: ["b.acme.test", "c.acme.test"] });
  assert.equal(o.status, "pending");
  const [reused, fresh] = await Promise.all(
    o.authorizations.map((u) => c.authorization(u) as Promise<Authorization>),
  );
  assert.equal(reused!.status, "valid");
  s.h.db
    .prepare("UPDATE acme_authz SET expires = '2000-01-01T00:00:00.000Z' WHERE id = ?")
    .run(idOf(o.authorizations[0]!));
  assert.equal((await c.authorization(o.authorizations[0]!)).status, "expired");
  const ch = fresh!.challenges.find((x) => x.type === "http-01")!;
  responder.set(ch.token, `${ch.token}.${c.key.thumbprint}`);
  await c.respond(ch.url);
  assert.equal((await c.poll<Authorization>(o.authorizations[1]!)).status, "valid");
  assert.notEqual(orderRow(o.url).status, "ready", "an expired authorization cannot make it ready");
  assert.equal(await finalizeKind(c, o, ["b.acme.test", "c.acme.test"]), "orderNotReady");
  assert.equal((await c.get<Order>(o.url)).status, "invalid");
});

test("a ready order past its expiry is not finalized", async () => {
  const c = await account();
  const o = await readyOrder(c, "d.acme.test");
  s.h.db
    .prepare("UPDATE acme_orders SET expires = '2000-01-01T00:00:00.000Z' WHERE id = ?")
    .run(idOf(o.url));
  assert.equal(await finalizeKind(c, o, ["d.acme.test"]), "orderNotReady");
  assert.equal((await c.get<Order>(o.url)).status, "invalid");
});

/** An openssl CSR for `name` with a new key made by `newkey` (openssl req -newkey ...). */
async function csr(name: string, file: string, newkey: string[]): Promise<Buffer> {
  const out = join(s.h.dir, `${file}.csr`);
  const r = await openssl([
    ...["req", "-new", ...newkey, "-nodes", "-keyout", join(s.h.dir, `${file}.key`)],
    ...["-subj", `/CN=${name}`, "-addext", `subjectAltName=DNS:${name}`],
    ...["-outform", "DER", "-out", out],
  ]);
  assert.equal(r.code, 0, r.out);
  return readFileSync(out);
}

const pem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;

async function signCsrCode(der: Buffer): Promise<string> {
  try {
    await s.h.ops.request(IDENTITIES["tok-alice"]!, "pki", "sign-csr", {
      profile: "acme",
      csr: pem(der),
    });
    return "ok";
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
}

test("CSR keys: RSA 1024 and P-521 are refused (badCSR, weak_key, unsupported_key); RSA 2048 is not", async () => {
  const name = "a.acme.test";
  const rsa1024 = await csr(name, "rsa1024", ["-newkey", "rsa:1024"]);
  const p521 = await csr(name, "p521", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521"]);
  const rsa2048 = await csr(name, "rsa2048", ["-newkey", "rsa:2048"]);
  assert.equal(await signCsrCode(rsa1024), "weak_key");
  assert.equal(await signCsrCode(p521), "unsupported_key");
  assert.equal(await signCsrCode(rsa2048), "ok");

  const c = await account();
  assert.equal(await kindOf(c.finalize(await readyOrder(c, name), rsa1024)), "badCSR");
  assert.equal(await kindOf(c.finalize(await c.newOrder({ names: [name] }), p521)), "badCSR");
  assert.equal((await c.finalize(await c.newOrder({ names: [name] }), rsa2048)).status, "valid");
});

test("revokeCert refuses removeFromCRL (8) like the unassigned 7; keyCompromise still works", async () => {
  const c = await account();
  const got = await obtainCertificate(c, {
    names: ["c.acme.test"],
    solvers: [http01Solver(responder)],
  });
  const der = Buffer.from(leafCertificate(got.certificate).rawData);
  assert.equal(await kindOf(c.revoke(der, { reason: 8 })), "badRevocationReason");
  assert.equal(await kindOf(c.revoke(der, { reason: 1 })), "ok");
});

test("a wildcard order cannot slip past a policy rule denying a name it covers", async () => {
  const c = await account();
  assert.equal((await c.newOrder({ names: ["*.acme.test"] })).status, "pending");
  s.h.ops.putRule(IDENTITIES["tok-admin"]!, {
    id: "no-vault",
    priority: 1,
    effect: "deny",
    subject: "*",
    mount: "pki",
    operations: ["*"],
    names: ["vault.acme.test"],
  });
  assert.equal(await kindOf(c.newOrder({ names: ["*.acme.test"] })), "unauthorized");
  assert.equal(await kindOf(c.newOrder({ names: ["vault.acme.test"] })), "unauthorized");
  assert.equal((await c.newOrder({ names: ["a.acme.test"] })).status, "pending");
});

test("an ACME account bound by an admin gets no admin bypass: policy rules decide", async () => {
  const c = await s.account({ token: "tok-admin" });
  // No rule names "root"; its admin role would have bypassed policy before.
  assert.equal(await kindOf(c.newOrder({ names: ["adm.acme.test"] })), "unauthorized");
  const stored = s.h.db
    .prepare("SELECT identity FROM acme_eab WHERE identity LIKE '%\"root\"%'")
    .pluck()
    .all() as string[];
  assert.deepEqual(
    stored.map((i) => JSON.parse(i)),
    [{ username: "root", accountType: "human", roles: [] }],
  );
});
