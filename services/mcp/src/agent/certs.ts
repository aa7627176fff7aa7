// Certificates for L7 routes, from the source [certs] mode names: one static pair every L7 route
// shares, or one certificate per host name from Metacrypt's host-cert path, asked for with the
// agent's MCIAS token (audience metacrypt) and written 0600 into MC-Proxy's certificate
// directory. A recorded Metacrypt certificate whose files are in place and that is not due for
// renewal (renewalDue) is used again without asking; otherwise Metacrypt answers (and itself
// hands back the same certificate while it is valid for more than 30 days).

import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonClient } from "@metacircular/mcdsl/auth";
import { AppError } from "@metacircular/mcdsl/errors";
import type { AgentConfig } from "../config.ts";
import type { CertRow, Registry } from "../db/registry.ts";
import type { Undo } from "./steps.ts";

/** The default renewal window ([certs] renew_before_days). */
export const RENEW_BEFORE_MS = 30 * 86_400_000;

export interface HostCertTarget {
  url: string;
  caCert?: string;
  /** A file holding the agent's MCIAS token for the metacrypt audience (read per call). */
  tokenFile: string;
  mount: string;
  profile: string;
}

export interface HostCert {
  serial: string;
  certificate: string;
  chain: string[];
  private_key: string;
  not_after: string;
  reused: boolean;
}

/** Metacrypt's `POST /v1/certs/host`. */
export class HostCerts {
  private readonly client: JsonClient;

  constructor(private readonly t: HostCertTarget) {
    this.client = new JsonClient(t.url, t.caCert);
  }

  async issue(hostname: string): Promise<HostCert> {
    const token = readFileSync(this.t.tokenFile, "utf8").trim();
    const body = { mount: this.t.mount, hostname, profile: this.t.profile };
    return (await this.client.call("POST", "/v1/certs/host", { body, token })) as HostCert;
  }

  close(): void {
    this.client.close();
  }
}

export type CertSource =
  | { kind: "static"; cert: string; key: string }
  | { kind: "metacrypt"; issuer: HostCerts; dir: string; renewBeforeMs?: number };

/** The source [certs] configures; none when static mode has no pair. */
export function certSourceFrom(c: AgentConfig["certs"]): CertSource | undefined {
  if (c.mode === "metacrypt" && c.url && c.token_file) {
    const issuer = new HostCerts({
      url: c.url,
      tokenFile: c.token_file,
      mount: c.mount,
      profile: c.profile,
      ...(c.ca_cert ? { caCert: c.ca_cert } : {}),
    });
    return {
      kind: "metacrypt",
      issuer,
      dir: c.dir,
      renewBeforeMs: c.renew_before_days * 86_400_000,
    };
  }
  if (c.mode === "static" && c.cert && c.key) return { kind: "static", cert: c.cert, key: c.key };
  return undefined;
}

/** Writes `text` to `path` with mode 0600, replacing it in one rename. */
function writePrivate(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Whether a certificate the agent holds is due for renewal at `now`: its files are gone, or it
 * is within `windowMs` of expiry or in the last third of its lifetime, whichever comes first
 * (so a short-lived certificate is not renewed at every look).
 */
export function renewalDue(row: CertRow, now: number, windowMs: number): boolean {
  if (!row.notAfter || !existsSync(row.certPath) || !existsSync(row.keyPath)) return true;
  const notAfter = Date.parse(row.notAfter);
  let lifetime = Number.POSITIVE_INFINITY;
  try {
    lifetime = notAfter - Date.parse(new X509Certificate(readFileSync(row.certPath)).validFrom);
  } catch {
    // unreadable: the window alone decides
  }
  return notAfter - now <= Math.min(windowMs, lifetime / 3);
}

function reusable(row: CertRow | undefined, now: number, windowMs: number): row is CertRow {
  return Boolean(row?.serial) && !renewalDue(row as CertRow, now, windowMs);
}

/** Asks Metacrypt for the host name's certificate and writes its files; the row to record. */
export async function issueInto(
  src: Extract<CertSource, { kind: "metacrypt" }>,
  base: { service: string; hostname: string },
): Promise<{ row: CertRow; fresh: boolean }> {
  const c = await src.issuer.issue(base.hostname);
  mkdirSync(src.dir, { recursive: true, mode: 0o700 });
  const certPath = join(src.dir, `${base.hostname}.pem`);
  const keyPath = join(src.dir, `${base.hostname}.key`);
  const fresh = !existsSync(certPath);
  const chain = c.chain.filter((p) => p.trim() !== c.certificate.trim());
  writePrivate(keyPath, c.private_key);
  writePrivate(certPath, [c.certificate, ...chain].map((p) => `${p.trim()}\n`).join(""));
  return { row: { ...base, certPath, keyPath, serial: c.serial, notAfter: c.not_after }, fresh };
}

async function fromMetacrypt(
  src: Extract<CertSource, { kind: "metacrypt" }>,
  prior: CertRow | undefined,
  base: { service: string; hostname: string },
  undo: (u: Undo) => void,
): Promise<CertRow> {
  if (reusable(prior, Date.now(), src.renewBeforeMs ?? RENEW_BEFORE_MS)) return prior;
  const { row, fresh } = await issueInto(src, base);
  if (fresh) undo(async () => removeCertFiles([row]));
  return row;
}

/** The certificate of each L7 host name of a service, issued or reused as the source says. */
export async function certificatesFor(
  src: CertSource | undefined,
  reg: Registry,
  service: string,
  hostnames: string[],
  undo: (u: Undo) => void,
): Promise<CertRow[]> {
  if (hostnames.length === 0) return [];
  if (!src) {
    throw new AppError(409, "no_certificate", "L7 routes need [certs] (static pair or metacrypt)");
  }
  if (src.kind === "static") {
    return hostnames.map((hostname) => ({
      service,
      hostname,
      certPath: src.cert,
      keyPath: src.key,
    }));
  }
  const prior = reg.certificates(service);
  const out: CertRow[] = [];
  for (const hostname of hostnames) {
    const was = prior.find((r) => r.hostname === hostname);
    out.push(await fromMetacrypt(src, was, { service, hostname }, undo));
  }
  return out;
}

/** Removes the files of certificates the agent wrote (Metacrypt's); a static pair is kept. */
export function removeCertFiles(rows: CertRow[]): void {
  for (const r of rows) {
    if (!r.serial) continue;
    rmSync(r.certPath, { force: true });
    rmSync(r.keyPath, { force: true });
  }
}
