// The one-pass leaf builder against @peculiar/x509's own reading of the result: the certificate
// parses, its signature verifies with the issuer's key for every issuer key type, the serial
// survives, and the subject key identifier equals the one @peculiar/x509 computes itself.

import assert from "node:assert/strict";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { Barrier } from "../barrier/barrier.ts";
import { migrations } from "../db/migrations.ts";
import { issueWithKey } from "./issue.ts";
import { createIssuer } from "./issuers.ts";
import type { KeyType } from "./keys.ts";
import { putProfile } from "./profiles.ts";
import { x509 } from "./x509.ts";

async function mount() {
  const db = openDatabase(":memory:", { migrations });
  const barrier = new Barrier(db, { memory_kib: 256, time_cost: 1, parallelism: 1 });
  await barrier.initialize({ kind: "password", password: "leaf builder" });
  await barrier.unseal({ kind: "password", password: "leaf builder" });
  barrier.createMountKey("pki");
  return barrier.mountStore("pki");
}

const ISSUERS: KeyType[] = ["ec-p256", "ec-p384", "ed25519", "rsa-2048"];

test("leaves built in one pass verify under every issuer key type", async () => {
  const store = await mount();
  for (const [i, key_type] of ISSUERS.entries()) {
    const name = i === 0 ? "root" : `i${i}`;
    const parent = i === 0 ? {} : { parent: "root" };
    await createIssuer(store, {
      name,
      key_type,
      common_name: `CA ${key_type}`,
      ttl_days: i === 0 ? 60 : 30,
      ...parent,
    });
    putProfile(store, {
      name: `p${i}`,
      issuer: name,
      allowed_names: ["*.example.net"],
      allow_wildcards: false,
      allow_ip_sans: false,
      max_ttl_days: 10,
      key_usages: ["digitalSignature"],
      ext_key_usages: ["serverAuth"],
    });
    for (const leafType of ["ec-p256", "ed25519"] as const) {
      const r = await issueWithKey(store, "t", {
        profile: `p${i}`,
        common_name: "a.example.net",
        dns_names: [],
        ip_addresses: [],
        key_type: leafType,
      });
      const cert = new x509.X509Certificate(r.certificate);
      const issuer = new x509.X509Certificate(r.chain[0]!);
      assert.equal(cert.serialNumber, r.serial);
      assert.equal(cert.issuer, issuer.subject);
      assert.ok(await cert.verify({ publicKey: issuer, signatureOnly: true }), `${key_type} signs`);
      const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
      const expected = await x509.SubjectKeyIdentifierExtension.create(cert.publicKey);
      assert.equal(ski?.keyId, expected.keyId);
    }
  }
});
