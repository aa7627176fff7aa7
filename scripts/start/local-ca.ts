// The local certificate authority the supervisor creates on the first start (openssl CLI, P-256),
// and the leaf certificates MC-Proxy serves for https://<service>.localhost. Leaves are
// re-issued when missing or within 30 days of expiry. Until Metacrypt issues certificates,
// this CA is what a browser or curl is told to trust (--cacert <data-dir>/ca/ca.crt).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CertFiles } from "./descriptor.ts";

/** A certificate to keep valid: its DNS name and files. */
export type LeafRequest = CertFiles & { hostname: string };

const CA_DAYS = 3650;
const LEAF_DAYS = 397;
const RENEW_BEFORE_S = 30 * 86_400;

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function newKey(dir: string, file: string): void {
  const ec = `${file}.ec`;
  openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ec], dir);
  openssl(["pkcs8", "-topk8", "-nocrypt", "-in", ec, "-out", file], dir);
  rmSync(join(dir, ec));
  chmodSync(join(dir, file), 0o600);
}

function ensureCa(dir: string): void {
  if (existsSync(join(dir, "ca.crt")) && existsSync(join(dir, "ca.key"))) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  newKey(dir, "ca.key");
  openssl(
    [
      "req",
      "-x509",
      "-new",
      "-key",
      "ca.key",
      "-sha256",
      "-days",
      String(CA_DAYS),
      "-subj",
      `/CN=Metacircular local development CA ${new Date().toISOString().slice(0, 10)}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE,pathlen:0",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-out",
      "ca.crt",
    ],
    dir,
  );
}

function leafValid(certPath: string, dir: string): boolean {
  if (!existsSync(certPath)) return false;
  try {
    openssl(["x509", "-checkend", String(RENEW_BEFORE_S), "-noout", "-in", certPath], dir);
    return true;
  } catch {
    return false;
  }
}

function issueLeaf(dir: string, r: LeafRequest): void {
  const ext = `${r.hostname}.ext`;
  writeFileSync(
    join(dir, ext),
    `subjectAltName=DNS:${r.hostname}\nbasicConstraints=critical,CA:FALSE\n` +
      "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  newKey(dir, `${r.hostname}.key`);
  const csr = `${r.hostname}.csr`;
  openssl(["req", "-new", "-key", r.key, "-subj", `/CN=${r.hostname}`, "-out", csr], dir);
  openssl(
    [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      String(LEAF_DAYS),
      "-sha256",
      "-extfile",
      ext,
      "-out",
      r.cert,
    ],
    dir,
  );
  rmSync(join(dir, csr));
  rmSync(join(dir, ext));
}

/** Creates the CA once and (re-)issues every leaf that is missing or about to expire. */
export function ensureCertificates(caDir: string, leaves: LeafRequest[]): void {
  ensureCa(caDir);
  for (const r of leaves) if (!leafValid(r.cert, caDir)) issueLeaf(caDir, r);
}
