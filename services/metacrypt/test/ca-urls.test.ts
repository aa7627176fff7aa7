// With [ca] public_base_url set, leaves carry a CRL distribution point and an OCSP responder URL
// (AIA). openssl reads both from the certificate: `openssl ocsp -url` with the URL taken from the
// leaf gets a verified "good", then "revoked" after a revocation; the CRL fetched from the
// distribution point lists the serial. Without the setting leaves carry neither.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort } from "@metacircular/testkit";
import {
  readyAdmin,
  setupCa,
  startTestMetacrypt,
  type TestMetacrypt,
} from "./helpers/metacrypt.ts";
import { openssl } from "./helpers/openssl.ts";

let h: TestMetacrypt;
let admin: Awaited<ReturnType<typeof readyAdmin>>;
let base: string;

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  h = await startTestMetacrypt({
    server: { listen_addr: `127.0.0.1:${port}` },
    ca: { public_base_url: base },
  });
  admin = await readyAdmin(h.url);
  await setupCa(admin);
});
after(() => h?.stop());

async function issue(cn: string) {
  const r = await admin("POST", "/v1/engine/request", {
    mount: "pki",
    operation: "issue",
    data: { profile: "svc", common_name: cn },
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const leaf = join(h.dir, `${cn}.pem`);
  writeFileSync(leaf, r.json.certificate);
  writeFileSync(join(h.dir, "inter.pem"), r.json.chain[0]);
  writeFileSync(join(h.dir, "root.pem"), r.json.chain[1]);
  return { leaf, serial: r.json.serial as string };
}

test("openssl ocsp -url taken from the leaf: good, then revoked; the CRL from its DP", async () => {
  const { leaf, serial } = await issue("urls.svc.mcp.metacircular.net");
  const uri = (await openssl(["x509", "-in", leaf, "-noout", "-ocsp_uri"])).out.trim();
  assert.equal(uri, `${base}/v1/ca/pki/ocsp`);
  const text = (await openssl(["x509", "-in", leaf, "-noout", "-text"])).out;
  const crlUri = text.match(/URI:(\S+\/crl\/\S+)/)?.[1];
  assert.equal(crlUri, `${base}/v1/ca/pki/crl/services`);

  const ocsp = () =>
    openssl([
      "ocsp",
      "-issuer",
      join(h.dir, "inter.pem"),
      "-cert",
      leaf,
      "-url",
      uri,
      "-CAfile",
      join(h.dir, "root.pem"),
      "-verify_other",
      join(h.dir, "inter.pem"),
    ]);
  const good = await ocsp();
  assert.match(good.out, /Response verify OK/, good.out);
  assert.match(good.out, /: good/, good.out);

  await admin("POST", "/v1/engine/request", {
    mount: "pki",
    operation: "revoke",
    data: { serial, reason: 1 },
  });
  const revoked = await ocsp();
  assert.match(revoked.out, /: revoked/, revoked.out);

  const der = Buffer.from(await (await fetch(crlUri!)).arrayBuffer());
  writeFileSync(join(h.dir, "crl.der"), der);
  const crl = await openssl([
    "crl",
    "-inform",
    "DER",
    "-in",
    join(h.dir, "crl.der"),
    "-noout",
    "-text",
  ]);
  assert.match(crl.out.toLowerCase().replace(/:/g, ""), new RegExp(serial.replace(/^0+/, "")));
});

test("without [ca] public_base_url leaves carry neither URL", async (t) => {
  const plain = await startTestMetacrypt();
  t.after(() => plain.stop());
  const a = await readyAdmin(plain.url);
  await setupCa(a);
  const r = await a("POST", "/v1/engine/request", {
    mount: "pki",
    operation: "issue",
    data: { profile: "svc", common_name: "plain.svc.mcp.metacircular.net" },
  });
  const leaf = join(plain.dir, "plain.pem");
  writeFileSync(leaf, r.json.certificate);
  const text = (await openssl(["x509", "-in", leaf, "-noout", "-text"])).out;
  assert.doesNotMatch(text, /CRL Distribution|Authority Information Access/);
});
