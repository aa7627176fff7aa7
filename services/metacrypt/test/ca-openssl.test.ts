// The CA against openssl as the relying party: every issued chain verifies (each key type, from
// a generated key and from an openssl CSR), a CSR asking for CA:TRUE and names outside the
// profile are refused, and a revocation shows in the CRL and in `openssl ocsp` against the real
// listener; every revocation reason accepted reads as revoked to `openssl verify -crl_check`
// (7 and 8 refused), CRLs carry a rising CRL number, and a leaf's key usage fits its key type.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  client,
  type Reply,
  readyAdmin,
  setupCa,
  startTestMetacrypt,
  type TestMetacrypt,
} from "./helpers/metacrypt.ts";
import { openssl } from "./helpers/openssl.ts";

let h: TestMetacrypt;
let admin: ReturnType<typeof client>;
const files: Record<string, string> = {};

const req = (mount: string, operation: string, data: unknown): Promise<Reply> =>
  admin("POST", "/v1/engine/request", { mount, operation, data });

function write(name: string, text: string): string {
  const p = join(h.dir, name);
  writeFileSync(p, text);
  return p;
}

before(async () => {
  h = await startTestMetacrypt();
  admin = await readyAdmin(h.url);
  await setupCa(admin, "pki", { root: "ec-p384", intermediate: "ec-p256" });
  await setupCa(admin, "pki-rsa", { root: "rsa-2048", intermediate: "ed25519" });
  for (const mount of ["pki", "pki-rsa"]) {
    const chain = (await client(h.url)("GET", `/v1/ca/${mount}/chain/services`)).body.toString();
    const [inter, root] = chain.split(/(?<=-----END CERTIFICATE-----\n)/);
    files[`${mount}-root`] = write(`${mount}-root.pem`, root!);
    files[`${mount}-inter`] = write(`${mount}-inter.pem`, inter!);
  }
});
after(() => h?.stop());

async function verify(mount: string, certPem: string, extra: string[] = []): Promise<string> {
  const leaf = write(`leaf-${Math.random().toString(36).slice(2)}.pem`, certPem);
  const r = await openssl([
    "verify",
    "-CAfile",
    files[`${mount}-root`]!,
    "-untrusted",
    files[`${mount}-inter`]!,
    ...extra,
    leaf,
  ]);
  return r.out;
}

test("openssl verify accepts every chain, for every key type, from generated keys", async () => {
  for (const mount of ["pki", "pki-rsa"]) {
    for (const key_type of ["ec-p256", "ec-p384", "ed25519", "rsa-2048"]) {
      const r = await req(mount, "issue", {
        profile: "svc",
        common_name: `${key_type}.svc.mcp.metacircular.net`,
        key_type,
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.match(r.json.private_key, /BEGIN PRIVATE KEY/);
      assert.equal(r.json.chain.length, 2);
      assert.match(await verify(mount, r.json.certificate), /: OK/, `${mount} ${key_type}`);
      const text = await openssl([
        "x509",
        "-noout",
        "-text",
        "-in",
        write("t.pem", r.json.certificate),
      ]);
      assert.match(text.out, /CA:FALSE/);
      assert.match(text.out, /DNS:ec-p256|DNS:ec-p384|DNS:ed25519|DNS:rsa-2048/);
      assert.match(text.out, /TLS Web Server Authentication/);
    }
  }
});

async function csr(name: string, extra: string[] = []): Promise<string> {
  const out = join(h.dir, `${name}.csr`);
  const r = await openssl([
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    join(h.dir, `${name}.key`),
    "-subj",
    `/CN=${name}`,
    "-addext",
    `subjectAltName=DNS:${name}`,
    ...extra,
    "-out",
    out,
  ]);
  assert.equal(r.code, 0, r.out);
  return readFileSync(out, "utf8");
}

test("a CSR from openssl is signed and verifies; one asking for CA:TRUE is refused", async () => {
  const good = await req("pki", "sign-csr", {
    profile: "svc",
    csr: await csr("web.svc.mcp.metacircular.net"),
  });
  assert.equal(good.status, 200, JSON.stringify(good.json));
  assert.equal(good.json.private_key, undefined);
  assert.match(await verify("pki", good.json.certificate), /: OK/);

  const ca = await req("pki", "sign-csr", {
    profile: "svc",
    csr: await csr("sub.svc.mcp.metacircular.net", [
      "-addext",
      "basicConstraints=critical,CA:TRUE",
    ]),
  });
  assert.equal(ca.status, 403);
  assert.equal(ca.json.error.code, "ca_not_allowed");

  const garbage = await req("pki", "sign-csr", {
    profile: "svc",
    csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
  });
  assert.equal(garbage.json.error.code, "invalid_csr");
});

test("names outside the profile, wildcards and over-long lifetimes are refused", async () => {
  const cases: Array<[unknown, string]> = [
    [{ profile: "svc", common_name: "evil.example.com" }, "name_not_allowed"],
    [{ profile: "svc", common_name: "a.b.svc.mcp.metacircular.net" }, "name_not_allowed"],
    [{ profile: "svc", common_name: "*.svc.mcp.metacircular.net" }, "wildcard_not_allowed"],
    [
      {
        profile: "svc",
        common_name: "x.svc.mcp.metacircular.net",
        dns_names: ["metacircular.net"],
      },
      "name_not_allowed",
    ],
    [{ profile: "svc", common_name: "x.svc.mcp.metacircular.net", ttl_days: 91 }, "ttl_too_long"],
    [
      { profile: "svc", common_name: "x.svc.mcp.metacircular.net", ip_addresses: ["10.0.0.1"] },
      "ip_not_allowed",
    ],
    [{ profile: "nope", common_name: "x.svc.mcp.metacircular.net" }, "profile_not_found"],
    [{ profile: "svc", common_name: "bad_name!.svc.mcp.metacircular.net" }, "invalid_name"],
  ];
  for (const [data, code] of cases) {
    const r = await req("pki", "issue", data);
    assert.equal(r.json.error?.code, code, JSON.stringify(data));
  }
  const listed = await req("pki", "issue", {
    profile: "svc",
    common_name: "metacrypt.metacircular.net",
  });
  assert.equal(listed.status, 200, "an explicitly listed public name is allowed");
});

test("a revocation shows in the CRL and in openssl ocsp against the real listener", async () => {
  const a = await req("pki", "issue", {
    profile: "svc",
    common_name: "revoked.svc.mcp.metacircular.net",
  });
  const b = await req("pki", "issue", {
    profile: "svc",
    common_name: "good.svc.mcp.metacircular.net",
  });
  const leafA = write("a.pem", a.json.certificate);
  const leafB = write("b.pem", b.json.certificate);
  const rv = await req("pki", "revoke", { serial: a.json.serial, reason: 1 });
  assert.equal(rv.status, 200, JSON.stringify(rv.json));
  assert.ok(rv.json.certificate.revoked_at);
  assert.equal(
    (await req("pki", "revoke", { serial: a.json.serial })).json.error.code,
    "already_revoked",
  );

  const crl = await client(h.url)("GET", "/v1/ca/pki/crl/services");
  assert.equal(crl.status, 200);
  const crlDer = join(h.dir, "crl.der");
  writeFileSync(crlDer, crl.body);
  const both = write(
    "both.pem",
    readFileSync(files["pki-root"]!, "utf8") + readFileSync(files["pki-inter"]!, "utf8"),
  );
  const text = await openssl([
    "crl",
    "-inform",
    "DER",
    "-in",
    crlDer,
    "-noout",
    "-text",
    "-CAfile",
    both,
    "-verify",
  ]);
  assert.match(text.out, /verify OK/);
  assert.match(text.out, new RegExp(a.json.serial.toUpperCase()));
  assert.doesNotMatch(text.out, new RegExp(b.json.serial.toUpperCase()));
  // RFC 5280 requires a CRL number, rising from one CRL to the next.
  const crlNumber = async (der: string) => {
    const r = await openssl(["crl", "-inform", "DER", "-in", der, "-noout", "-crlnumber"]);
    const m = /crlNumber=(?:0x)?([0-9A-Fa-f]+)/.exec(r.out);
    assert.ok(m, r.out);
    return BigInt(`0x${m[1]}`);
  };
  const again = join(h.dir, "crl-again.der");
  writeFileSync(again, (await client(h.url)("GET", "/v1/ca/pki/crl/services")).body);
  assert.ok((await crlNumber(again)) > (await crlNumber(crlDer)));
  const crlPem = join(h.dir, "crl.pem");
  assert.equal((await openssl(["crl", "-inform", "DER", "-in", crlDer, "-out", crlPem])).code, 0);
  const checked = await openssl([
    "verify",
    "-crl_check",
    "-CRLfile",
    crlPem,
    "-CAfile",
    both,
    leafA,
  ]);
  assert.match(checked.out, /certificate revoked/);

  const ocsp = async (leaf: string) =>
    openssl([
      "ocsp",
      "-issuer",
      files["pki-inter"]!,
      "-cert",
      leaf,
      "-url",
      `${h.url}/v1/ca/pki/ocsp`,
      "-CAfile",
      files["pki-root"]!,
      "-verify_other",
      files["pki-inter"]!,
    ]);
  const ra = await ocsp(leafA);
  assert.match(ra.out, /Response verify OK/, ra.out);
  assert.match(ra.out, /: revoked/, ra.out);
  // RFC 6960 GET form: the DER request, base64 and URL-encoded in the path.
  const reqDer = join(h.dir, "req.der");
  await openssl([
    "ocsp",
    "-issuer",
    files["pki-inter"]!,
    "-cert",
    leafA,
    "-no_nonce",
    "-reqout",
    reqDer,
  ]);
  const b64 = encodeURIComponent(readFileSync(reqDer).toString("base64"));
  const got = await client(h.url)("GET", `/v1/ca/pki/ocsp/${b64}`);
  assert.equal(got.status, 200);
  const respDer = join(h.dir, "resp.der");
  writeFileSync(respDer, got.body);
  const shown = await openssl([
    "ocsp",
    "-respin",
    respDer,
    "-issuer",
    files["pki-inter"]!,
    "-cert",
    leafA,
    "-CAfile",
    files["pki-root"]!,
    "-verify_other",
    files["pki-inter"]!,
    "-no_nonce",
  ]);
  assert.match(shown.out, /: revoked/, shown.out);
  const rb = await ocsp(leafB);
  assert.match(rb.out, /Response verify OK/, rb.out);
  assert.match(rb.out, /: good/, rb.out);
});

test("every reason code a revocation takes makes openssl -crl_check say revoked; 7 and 8 are refused", async () => {
  // removeFromCRL (8) in a full CRL reads as "not revoked" to OpenSSL, and a revoked record
  // cannot be revoked again: accepting it would let a holder of the key pre-empt revocation.
  const leaves: Array<[number, string]> = [];
  for (let reason = 0; reason <= 10; reason++) {
    const a = await req("pki", "issue", {
      profile: "svc",
      common_name: `reason-${reason}.svc.mcp.metacircular.net`,
    });
    assert.equal(a.status, 200, JSON.stringify(a.json));
    const rv = await req("pki", "revoke", { serial: a.json.serial, reason });
    if (reason === 7 || reason === 8) {
      assert.equal(rv.status, 400, `reason ${reason}: ${JSON.stringify(rv.json)}`);
      assert.equal(rv.json.error.code, "invalid_request");
      continue;
    }
    assert.equal(rv.status, 200, `reason ${reason}: ${JSON.stringify(rv.json)}`);
    leaves.push([reason, write(`reason-${reason}.pem`, a.json.certificate)]);
  }
  const crl = await client(h.url)("GET", "/v1/ca/pki/crl/services");
  const crlPem = join(h.dir, "reasons-crl.pem");
  writeFileSync(join(h.dir, "reasons-crl.der"), crl.body);
  const conv = ["crl", "-inform", "DER", "-in", join(h.dir, "reasons-crl.der"), "-out", crlPem];
  assert.equal((await openssl(conv)).code, 0);
  for (const [reason, leaf] of leaves) {
    const checked = await verify("pki", readFileSync(leaf, "utf8"), [
      ...["-crl_check", "-CRLfile", crlPem],
    ]);
    assert.match(checked, /certificate revoked/, `reason ${reason}: ${checked}`);
  }
});

test("key usage fits the key type: no keyEncipherment on EC or Ed25519 leaves (RFC 5480, 8410)", async () => {
  const usage = async (key_type: string, profile = "svc"): Promise<string> => {
    const r = await req("pki", "issue", {
      profile,
      common_name: `ku-${key_type}.svc.mcp.metacircular.net`,
      key_type,
    });
    if (r.status !== 200) return r.json.error.code;
    const text = await openssl([
      "x509",
      "-noout",
      "-ext",
      "keyUsage",
      "-in",
      write("ku.pem", r.json.certificate),
    ]);
    return text.out.split("\n")[1]!.trim();
  };
  // The svc profile asks for digitalSignature and keyEncipherment (the default).
  assert.equal(await usage("ec-p256"), "Digital Signature");
  assert.equal(await usage("ed25519"), "Digital Signature");
  assert.equal(await usage("rsa-2048"), "Digital Signature, Key Encipherment");
  const only = await req("pki", "set-profile", {
    name: "encipher",
    issuer: "services",
    allowed_names: ["*.svc.mcp.metacircular.net"],
    max_ttl_days: 30,
    key_usages: ["keyEncipherment"],
  });
  assert.equal(only.status, 200, JSON.stringify(only.json));
  assert.equal(await usage("ec-p384", "encipher"), "key_usage_mismatch");
  assert.equal(await usage("rsa-2048", "encipher"), "Key Encipherment");
});
