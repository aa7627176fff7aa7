// Runs the real lego client (Debian's) against an ACME directory, with its data under a
// per-test path, trusting the server's TLS CA through LEGO_CA_CERTIFICATES.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./acme.ts";
import { openssl } from "./openssl.ts";

export interface LegoOptions {
  directory: string;
  path: string;
  tlsCa: string;
  eab?: { kid: string; hmac_key: string };
  /** e.g. ["--http", "--http.port", "127.0.0.1:5002"] */
  solver: string[];
}

export function lego(o: LegoOptions, domains: string[], command: string[]) {
  const args = [
    "--server",
    o.directory,
    "--path",
    o.path,
    "--email",
    "ops@acme.test",
    "--accept-tos",
    ...(o.eab ? ["--eab", "--kid", o.eab.kid, "--hmac", o.eab.hmac_key] : []),
    ...domains.flatMap((d) => ["-d", d]),
    ...o.solver,
    ...command,
  ];
  return run("lego", args, { env: { LEGO_CA_CERTIFICATES: o.tlsCa }, timeout: 240_000 });
}

export function legoCertFile(path: string, domain: string): string {
  return join(path, "certificates", `${domain}.crt`);
}

export function hasCert(path: string, domain: string): boolean {
  return existsSync(legoCertFile(path, domain));
}

export async function serialOf(certFile: string): Promise<string> {
  const r = await openssl(["x509", "-noout", "-serial", "-in", certFile]);
  return r.out
    .trim()
    .replace(/^serial=/, "")
    .toLowerCase();
}

/** The leaf (first certificate) of a PEM bundle. */
export function leafOf(certFile: string): string {
  return readFileSync(certFile, "utf8").split(/(?<=-----END CERTIFICATE-----\n)/)[0]!;
}
