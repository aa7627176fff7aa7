// Seeded fuzz of the CA's network parsers: OCSP requests (a valid request, mutated) and CSRs
// (a valid request, mutated). The responder must always answer with an OCSPResponse
// (successful, malformedRequest or unauthorized) and the CSR reader must either accept or refuse
// with an AppError, never throw anything else. Replay with MC_FUZZ_SEED=<seed>.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { openDatabase } from "@metacircular/mcdsl/db";
import { isAppError } from "@metacircular/mcdsl/errors";
import { fuzzSeed, type Rng, replayHint, rng } from "@metacircular/testkit";
import { CertID, OCSPRequest, OCSPResponse, Request, TBSRequest } from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate } from "@peculiar/asn1-x509";
import { Barrier } from "../barrier/barrier.ts";
import { migrations } from "../db/migrations.ts";
import { parseCsr, verifyCsr } from "./csr.ts";
import { issueWithKey } from "./issue.ts";
import { createIssuer } from "./issuers.ts";
import { generateKey } from "./keys.ts";
import { answerOcsp } from "./ocsp.ts";
import { putProfile } from "./profiles.ts";
import { x509 } from "./x509.ts";

const SEED = fuzzSeed();

function mutate(r: Rng, input: Buffer): Buffer {
  const b = Buffer.from(input);
  switch (r.int(4)) {
    case 0:
      for (let i = 0; i < 1 + r.int(4); i++) b[r.int(b.length)] = r.int(256);
      return b;
    case 1:
      return b.subarray(0, r.int(b.length));
    case 2: {
      const at = r.int(b.length);
      return Buffer.concat([b.subarray(0, at), r.bytes(1 + r.int(8)), b.subarray(at)]);
    }
    default:
      return r.bytes(r.int(200));
  }
}

async function caStore() {
  const db = openDatabase(":memory:", { migrations });
  const barrier = new Barrier(db, { memory_kib: 256, time_cost: 1, parallelism: 1 });
  await barrier.initialize({ kind: "password", password: "fuzz password" });
  await barrier.unseal({ kind: "password", password: "fuzz password" });
  barrier.createMountKey("pki");
  const store = barrier.mountStore("pki");
  const root = await createIssuer(store, {
    name: "root",
    key_type: "ec-p256",
    common_name: "Fuzz Root",
    ttl_days: 30,
  });
  putProfile(store, {
    name: "p",
    issuer: "root",
    allowed_names: ["*.example.net"],
    allow_wildcards: false,
    allow_ip_sans: false,
    max_ttl_days: 10,
    key_usages: ["digitalSignature"],
    ext_key_usages: ["serverAuth"],
  });
  const leaf = await issueWithKey(store, "fuzz", {
    profile: "p",
    common_name: "a.example.net",
    dns_names: [],
    ip_addresses: [],
    key_type: "ec-p256",
  });
  return { store, root, leaf };
}

function ocspRequestFor(issuerPem: string, serialHex: string): Buffer {
  const cert = AsnConvert.parse(new x509.X509Certificate(issuerPem).rawData, Certificate);
  const sha1 = (b: ArrayBuffer) =>
    new OctetString(createHash("sha1").update(Buffer.from(b)).digest());
  const certId = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: "1.3.14.3.2.26", parameters: null }),
    issuerNameHash: sha1(AsnConvert.serialize(cert.tbsCertificate.subject)),
    issuerKeyHash: sha1(cert.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey),
    serialNumber: new Uint8Array(Buffer.from(serialHex, "hex")).buffer,
  });
  const req = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }),
  });
  return Buffer.from(AsnConvert.serialize(req));
}

test(`OCSP responder fuzz: always an OCSPResponse (${replayHint(SEED)})`, async () => {
  const { store, root, leaf } = await caStore();
  const valid = ocspRequestFor(root.cert_pem, leaf.serial);
  const ok = AsnConvert.parse(await answerOcsp(store, valid), OCSPResponse);
  assert.equal(ok.responseStatus, 0, "the unmutated request is answered");
  const r = rng(SEED);
  for (let i = 0; i < 400; i++) {
    const input = mutate(r, valid);
    const out = await answerOcsp(store, input).catch((e: unknown) => {
      assert.fail(`case ${i} threw ${String(e)} (${replayHint(SEED)})`);
    });
    const resp = AsnConvert.parse(out, OCSPResponse);
    assert.ok(
      [0, 1, 6].includes(resp.responseStatus),
      `case ${i}: status ${resp.responseStatus} (${replayHint(SEED)})`,
    );
  }
});

test(`CSR reader fuzz: accepted or an AppError, nothing else (${replayHint(SEED)})`, async () => {
  const keys = await generateKey("ec-p256");
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: "CN=a.example.net",
    keys,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as never,
    extensions: [
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "a.example.net" }]),
    ],
  });
  const der = Buffer.from(csr.rawData);
  const r = rng(SEED + 1);
  for (let i = 0; i < 400; i++) {
    const input = mutate(r, der);
    const pem = x509.PemConverter.encode(new Uint8Array(input).buffer, "CERTIFICATE REQUEST");
    try {
      await verifyCsr(parseCsr(pem));
    } catch (e) {
      assert.ok(isAppError(e), `case ${i}: ${String(e)} (${replayHint(SEED)})`);
    }
  }
});

test("the CSR reader keeps the last request read: same text, same answer; a bad one still refused", async () => {
  const make = async (name: string) => {
    const keys = await generateKey("ec-p256");
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: `CN=${name}`,
      keys,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as never,
    });
    return csr.toString("pem");
  };
  const a = await make("a.example.net");
  const b = await make("b.example.net");
  assert.equal(parseCsr(a), parseCsr(a));
  assert.deepEqual(parseCsr(b).dns, ["b.example.net"]);
  assert.deepEqual(parseCsr(a).dns, ["a.example.net"]);
  const broken =
    "-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n";
  assert.throws(
    () => parseCsr(broken),
    (e: unknown) => isAppError(e),
  );
  assert.deepEqual(parseCsr(a).dns, ["a.example.net"]);
});
