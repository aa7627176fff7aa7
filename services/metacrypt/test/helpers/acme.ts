// An ACME-enabled Metacrypt for the acceptance tests: in-process, TLS from a throwaway CA (so
// lego and certbot trust it through LEGO_CA_CERTIFICATES / REQUESTS_CA_BUNDLE), a CA mount "pki"
// with an "acme" profile for *.acme.test, *.acme.test names pointed at 127.0.0.1 and
// validation ports chosen here. Policy lets alice issue *.acme.test and revoke on "pki".

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AccountAlg, AcmeClient, generateAccountKey } from "@metacircular/mcdsl/acme";
import { createTestCA, freePort, runNode, type TestCA } from "@metacircular/testkit";
import { IDENTITIES, PASSWORD, startTestMetacrypt, type TestMetacrypt } from "./metacrypt.ts";
import { openssl } from "./openssl.ts";
import { PKG } from "./process.ts";
import type { RevocationView } from "./revocation.ts";
import { run } from "./run.ts";

export interface Eab {
  kid: string;
  hmac_key: string;
  directory: string;
}

export const ACME_NAMES = ["a.acme.test", "b.acme.test", "c.acme.test", "d.acme.test"];
const ADMIN = IDENTITIES["tok-admin"]!;

export interface AcmeServer {
  h: TestMetacrypt;
  tls: TestCA;
  directory: string;
  httpPort: number;
  tlsPort: number;
  /** The Metacrypt CA's root and intermediate, PEM files for openssl verify. */
  rootFile: string;
  interFile: string;
  /** What the relying-party checks (openssl verify, CRL, OCSP) need. */
  view: RevocationView;
  /** POST /v1/acme/pki/eab with a bearer token, through curl (or `metacryptctl acme eab`). */
  eab(token?: string, via?: "curl" | "cli"): Promise<Eab>;
  /** mcdsl's ACME client with a new account bound by an EAB key of `token`'s holder. */
  account(o?: { token?: string; alg?: AccountAlg }): Promise<AcmeClient>;
  stop(): Promise<void>;
}

async function setupPki(h: TestMetacrypt): Promise<void> {
  await h.ops.init(ADMIN, { kind: "password", password: PASSWORD });
  await h.ops.unseal({ kind: "password", password: PASSWORD });
  await h.ops.createMount(ADMIN, "pki", "ca");
  const req = (op: string, data: unknown) => h.ops.request(ADMIN, "pki", op, data);
  await req("create-root", { common_name: "ACME Test Root", key_type: "ec-p384" });
  await req("create-intermediate", { name: "acme", common_name: "ACME Test Issuing CA" });
  await req("set-profile", {
    name: "acme",
    issuer: "acme",
    allowed_names: ["*.acme.test"],
    allow_wildcards: true,
    max_ttl_days: 30,
  });
  await req("set-profile", {
    name: "short",
    issuer: "acme",
    allowed_names: ["*.acme.test"],
    max_ttl_days: 7,
  });
  h.ops.putRule(ADMIN, {
    id: "alice-acme-issue",
    priority: 10,
    effect: "allow",
    subject: "user:alice",
    mount: "pki",
    operations: ["sign-csr"],
    names: ["*.acme.test"],
  });
  h.ops.putRule(ADMIN, {
    id: "alice-acme-revoke",
    priority: 10,
    effect: "allow",
    subject: "user:alice",
    mount: "pki",
    operations: ["revoke"],
  });
}

export async function startAcmeServer(
  o: {
    requireEab?: boolean;
    dnsResolver?: string;
    authzReuseDays?: number;
    inlineValidationMs?: number;
  } = {},
): Promise<AcmeServer> {
  const tls = createTestCA("ACME test TLS CA");
  const leaf = tls.issue(["127.0.0.1", "localhost"]);
  const [httpPort, tlsPort] = [await freePort(), await freePort()];
  const h = await startTestMetacrypt({
    server: { listen_addr: "127.0.0.1:0", tls_cert: leaf.certPath, tls_key: leaf.keyPath },
    acme: {
      enabled: true,
      require_eab: o.requireEab ?? true,
      http01_port: httpPort,
      tlsalpn01_port: tlsPort,
      hosts: Object.fromEntries(ACME_NAMES.map((n) => [n, "127.0.0.1"])),
      ...(o.dnsResolver ? { dns_resolver: o.dnsResolver } : {}),
      ...(o.authzReuseDays === undefined ? {} : { authz_reuse_days: o.authzReuseDays }),
      ...(o.inlineValidationMs === undefined ? {} : { inline_validation_ms: o.inlineValidationMs }),
    },
  });
  await setupPki(h);
  const [inter, root] = h.ops.chain("pki", "acme").split(/(?<=-----END CERTIFICATE-----\n)/);
  const rootFile = join(h.dir, "acme-root.pem");
  const interFile = join(h.dir, "acme-inter.pem");
  writeFileSync(rootFile, root!);
  writeFileSync(interFile, inter!);
  const url = h.url;
  const view: RevocationView = {
    dir: h.dir,
    base: url,
    tlsCa: tls.certPath,
    rootFile,
    interFile,
    mount: "pki",
    issuer: "acme",
  };
  const eab = async (token = "tok-alice", via: "curl" | "cli" = "curl"): Promise<Eab> => {
    if (via === "cli") return eabByCli(url, tls.certPath, token, h.dir);
    const r = await run("curl", [
      "-sS",
      "--cacert",
      tls.certPath,
      "-X",
      "POST",
      "-H",
      `Authorization: Bearer ${token}`,
      `${url}/v1/acme/pki/eab`,
    ]);
    if (r.code !== 0) throw new Error(`curl eab: ${r.out}`);
    return JSON.parse(r.out);
  };
  return {
    h,
    view,
    tls,
    directory: `${url}/acme/pki/directory`,
    httpPort,
    tlsPort,
    rootFile,
    interFile,
    eab,
    async account(o = {}) {
      const c = new AcmeClient({
        directoryUrl: `${url}/acme/pki/directory`,
        accountKey: await generateAccountKey(o.alg ?? "ES256"),
        ca: tls.cert,
      });
      const k = await eab(o.token);
      await c.account({ eab: { kid: k.kid, hmacKey: k.hmac_key } });
      return c;
    },
    async stop() {
      await h.stop();
      tls.remove();
    },
  };
}

/** `metacryptctl --json acme eab pki` as the holder of `token`. */
async function eabByCli(url: string, caCert: string, token: string, home: string): Promise<Eab> {
  const args = ["--server", url, "--ca-cert", caCert, "--token", token];
  const r = await runNode(
    [
      "--import",
      "tsx",
      join(PKG, "src/cmd/metacryptctl.ts"),
      ...args,
      "--json",
      "acme",
      "eab",
      "pki",
    ],
    { cwd: PKG, env: { ...process.env, XDG_CONFIG_HOME: home } },
  );
  if (r.code !== 0) throw new Error(`metacryptctl acme eab: ${r.err}`);
  return JSON.parse(r.out) as Eab;
}

/** An openssl-made DER CSR for `name` that asks for CA:TRUE (critical basicConstraints). */
export async function caTrueCsr(dir: string, name: string): Promise<string> {
  const csr = join(dir, "ca-true.csr");
  const r = await openssl([
    ...["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ...["-keyout", join(dir, "ca-true.key"), "-subj", `/CN=${name}`],
    ...["-addext", `subjectAltName=DNS:${name}`],
    ...["-addext", "basicConstraints=critical,CA:TRUE", "-outform", "DER", "-out", csr],
  ]);
  if (r.code !== 0) throw new Error(`openssl req: ${r.out}`);
  return csr;
}
