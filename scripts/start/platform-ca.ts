// The platform's certificates come from Metacrypt's CA (DEV MODE): before any service starts,
// `metacrypt dev-bootstrap` opens Metacrypt's data dir offline (Metacrypt authenticates through
// MCIAS, which needs its certificate first), initialises and unseals it with the dev password
// on the first start, creates the CA mount and issues each leaf that is missing, expires within
// 30 days, or does not chain to <data>/ca/ca.crt. Valid leaves are kept across starts. Every
// leaf also names 127.0.0.1, so direct connections to a TLS listener verify too.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { childEnv } from "./child-env.ts";
import type { PlatformContext, ServiceDescriptor } from "./descriptor.ts";
import { DEV_CA_MOUNT, devUnsealFile } from "./services/metacrypt.ts";

const RENEW_BEFORE_S = 30 * 86_400;
const METACRYPT_ENTRY = "services/metacrypt/src/cmd/metacrypt.ts";

function openssl(args: string[]): boolean {
  try {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "ignore"] });
    return true;
  } catch {
    return false;
  }
}

/** The leaf and its key exist, it is valid for 30 more days and chains to the CA file. */
export function leafValid(c: PlatformContext, hostname: string): boolean {
  const f = c.cert(hostname);
  if (!existsSync(c.layout.caCert) || !existsSync(f.cert) || !existsSync(f.key)) return false;
  return (
    openssl(["x509", "-checkend", String(RENEW_BEFORE_S), "-noout", "-in", f.cert]) &&
    openssl(["verify", "-CAfile", c.layout.caCert, f.cert])
  );
}

/** A data dir from before Metacrypt issued the certificates: its openssl CA is retired. */
function retireSelfMadeCa(caDir: string): void {
  if (!existsSync(join(caDir, "ca.key"))) return;
  for (const f of ["ca.key", "ca.srl", "ca.crt"]) rmSync(join(caDir, f), { force: true });
}

/** Runs the bootstrap for the names that need a certificate; the lines it printed. */
function bootstrap(
  c: PlatformContext,
  services: readonly ServiceDescriptor[],
  names: string[],
): string {
  const args = [
    "--import",
    "tsx",
    join(c.repoRoot, METACRYPT_ENTRY),
    "dev-bootstrap",
    "--config",
    c.layout.service("metacrypt").config,
    "--unseal-file",
    devUnsealFile(c),
    "--out-dir",
    c.layout.caDir,
    "--mount",
    DEV_CA_MOUNT,
    ...names.flatMap((n) => ["--leaf", `${n},127.0.0.1`]),
  ];
  try {
    return execFileSync(process.execPath, args, {
      cwd: c.repoRoot,
      env: childEnv(process.env, {}, services),
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    }).trim();
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    const last = `${err.stderr ?? ""}${err.stdout ?? ""}`.trim().split("\n").at(-1);
    throw new Error(`metacrypt dev-bootstrap failed: ${last || (e as Error).message}`);
  }
}

/** Ensures every name has a valid Metacrypt-issued certificate; returns what was issued. */
export function ensurePlatformCertificates(
  c: PlatformContext,
  services: readonly ServiceDescriptor[],
  names: string[],
): string[] {
  retireSelfMadeCa(c.layout.caDir);
  const fresh = !existsSync(c.layout.service("metacrypt").db);
  const due = names.filter((n) => fresh || !leafValid(c, n));
  if (due.length === 0) return [];
  console.log(bootstrap(c, services, due));
  return due;
}
