// Runs the real lego client (Debian's) against an ACME directory, with its data under a
// per-test path, trusting the server's TLS CA through LEGO_CA_CERTIFICATES.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { openssl } from "./openssl.ts";
import { run } from "./run.ts";

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

export interface FlowChecks {
  /** `openssl verify` output for a certificate file. */
  verify(certFile: string): Promise<string>;
  /** Whether the server now reports the certificate revoked (OCSP, CRL or management API). */
  isRevoked(certFile: string, serial: string): Promise<boolean>;
}

export interface FlowResult {
  issued: boolean;
  renewedSerialChanged: boolean;
  revoked: boolean;
  secondRevokeOutput: string;
}

/** issue → renew (forced) → revoke (kept) → revoke again, asserting each step worked. */
export async function legoLifecycle(
  o: LegoOptions,
  name: string,
  c: FlowChecks,
): Promise<FlowResult> {
  const first = await lego(o, [name], ["run"]);
  if (first.code !== 0) throw new Error(`lego run: ${first.out}`);
  const crt = legoCertFile(o.path, name);
  if (!/: OK/.test(await c.verify(crt))) throw new Error("first chain does not verify");
  const serial1 = await serialOf(crt);
  const renewed = await lego(o, [name], ["renew", "--days", "9999", "--no-random-sleep"]);
  if (renewed.code !== 0) throw new Error(`lego renew: ${renewed.out}`);
  const serial2 = await serialOf(crt);
  if (!/: OK/.test(await c.verify(crt))) throw new Error("renewed chain does not verify");
  if (await c.isRevoked(crt, serial2)) throw new Error("fresh certificate already revoked");
  const revoked = await lego(o, [name], ["revoke", "--keep"]);
  if (revoked.code !== 0) throw new Error(`lego revoke: ${revoked.out}`);
  const again = await lego(o, [name], ["revoke", "--keep"]);
  return {
    issued: true,
    renewedSerialChanged: serial1 !== serial2,
    revoked: await c.isRevoked(crt, serial2),
    secondRevokeOutput: again.code === 0 ? "" : again.out,
  };
}
