// Revocation as relying parties see it: openssl verify of a chain, the CRL fetched with curl and
// read by openssl, and an OCSP request built and checked by openssl (sent with curl over TLS).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openssl } from "./openssl.ts";
import { run } from "./run.ts";

export interface RevocationView {
  dir: string;
  base: string;
  tlsCa: string;
  rootFile: string;
  interFile: string;
  mount: string;
  issuer: string;
}

export async function verifyChain(v: RevocationView, certFile: string): Promise<string> {
  return (await openssl(["verify", "-CAfile", v.rootFile, "-untrusted", v.interFile, certFile]))
    .out;
}

export async function crlText(v: RevocationView): Promise<string> {
  const file = join(v.dir, `crl-${Date.now()}.der`);
  const url = `${v.base}/v1/ca/${v.mount}/crl/${v.issuer}`;
  const r = await run("curl", ["-sS", "--cacert", v.tlsCa, "-o", file, url]);
  if (r.code !== 0) throw new Error(`curl crl: ${r.out}`);
  return (await openssl(["crl", "-inform", "DER", "-in", file, "-noout", "-text"])).out;
}

/** `openssl ocsp` status line for the certificate ("good" / "revoked"). */
export async function ocspStatus(v: RevocationView, leafPem: string): Promise<string> {
  const tag = Math.random().toString(36).slice(2);
  const leaf = join(v.dir, `ocsp-leaf-${tag}.pem`);
  const reqFile = join(v.dir, `ocsp-req-${tag}.der`);
  const respFile = join(v.dir, `ocsp-resp-${tag}.der`);
  writeFileSync(leaf, leafPem);
  await openssl(["ocsp", "-issuer", v.interFile, "-cert", leaf, "-reqout", reqFile, "-no_nonce"]);
  const r = await run("curl", [
    "-sS",
    "--cacert",
    v.tlsCa,
    "-H",
    "Content-Type: application/ocsp-request",
    "--data-binary",
    `@${reqFile}`,
    "-o",
    respFile,
    `${v.base}/v1/ca/${v.mount}/ocsp`,
  ]);
  if (r.code !== 0) throw new Error(`curl ocsp: ${r.out}`);
  const out = await openssl([
    "ocsp",
    "-respin",
    respFile,
    "-issuer",
    v.interFile,
    "-cert",
    leaf,
    "-CAfile",
    v.rootFile,
    "-verify_other",
    v.interFile,
  ]);
  if (!/Response verify OK/.test(out.out)) throw new Error(`ocsp response: ${out.out}`);
  return out.out;
}
