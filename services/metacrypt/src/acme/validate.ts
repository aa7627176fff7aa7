// Challenge validation (RFC 8555 §8.3 http-01, §8.4 dns-01; RFC 8737 tls-alpn-01). A name's
// address comes from the [acme.hosts] override map first (tests point *.test names at
// 127.0.0.1), then from the configured resolver (e.g. MCNS) when there is one, else from the
// system's; dns-01 TXT records come from the same resolver. Ports are configurable so
// validation can run unprivileged.

import { createHash } from "node:crypto";
import { lookup, Resolver } from "node:dns/promises";
import { request } from "node:http";
import { connect } from "node:tls";
import { x509 } from "../ca/x509.ts";
import { AcmeProblem, problem } from "./problem.ts";
import type { ChallengeType } from "./store.ts";

export interface ValidationOptions {
  httpPort: number;
  tlsAlpnPort: number;
  /** host:port of the resolver dns-01 asks; undefined = the system's. */
  dnsResolver: string | undefined;
  hosts: Record<string, string>;
  timeoutMs: number;
}

export interface ChallengeInput {
  type: ChallengeType;
  name: string;
  token: string;
  keyAuthorization: string;
}

const ACME_IDENTIFIER_OID = "1.3.6.1.5.5.7.1.31";
const MAX_BODY = 4096;

function resolver(o: ValidationOptions): Resolver {
  const r = new Resolver({ timeout: o.timeoutMs, tries: 2 });
  if (o.dnsResolver) r.setServers([o.dnsResolver]);
  return r;
}

/** The override map, else the configured resolver (A, then AAAA), else the system's. */
async function address(o: ValidationOptions, name: string): Promise<string> {
  const fixed = o.hosts[name];
  if (fixed) return fixed;
  try {
    if (!o.dnsResolver) return (await lookup(name)).address;
    const r = resolver(o);
    const v4 = await r.resolve4(name).catch(() => []);
    const addr = v4[0] ?? (await r.resolve6(name))[0];
    if (addr) return addr;
  } catch {
    // reported below
  }
  throw problem("dns", `cannot resolve ${name}`);
}

function httpGet(o: ValidationOptions, addr: string, c: ChallengeInput): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: addr,
        port: o.httpPort,
        path: `/.well-known/acme-challenge/${c.token}`,
        headers: { Host: c.name, Accept: "*/*" },
        timeout: o.timeoutMs,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          body += d;
          if (body.length > MAX_BODY) req.destroy(new Error("response too large"));
        });
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(body)
            : reject(problem("unauthorized", `http-01: ${c.name} answered ${res.statusCode}`)),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (e) =>
      reject(e instanceof AcmeProblem ? e : problem("connection", `http-01: ${e.message}`)),
    );
    req.end();
  });
}

async function http01(o: ValidationOptions, c: ChallengeInput): Promise<void> {
  const body = await httpGet(o, await address(o, c.name), c);
  if (body.trim() !== c.keyAuthorization)
    throw problem("incorrectResponse", "http-01: the key authorization does not match");
}

async function dns01(o: ValidationOptions, c: ChallengeInput): Promise<void> {
  const r = resolver(o);
  const want = createHash("sha256").update(c.keyAuthorization).digest("base64url");
  let records: string[][];
  try {
    records = await r.resolveTxt(`_acme-challenge.${c.name}`);
  } catch (e) {
    throw problem(
      "dns",
      `dns-01: no TXT record for _acme-challenge.${c.name} (${(e as Error).message})`,
    );
  }
  if (!records.some((parts) => parts.join("") === want))
    throw problem("incorrectResponse", "dns-01: no TXT record holds the key authorization digest");
}

function peerCertificate(o: ValidationOptions, addr: string, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = connect({
      host: addr,
      port: o.tlsAlpnPort,
      servername: name,
      ALPNProtocols: ["acme-tls/1"],
      rejectUnauthorized: false,
      timeout: o.timeoutMs,
    });
    s.on("secureConnect", () => {
      const alpn = s.alpnProtocol;
      const raw = s.getPeerCertificate()?.raw;
      s.destroy();
      if (alpn !== "acme-tls/1") reject(problem("tls", "tls-alpn-01: acme-tls/1 not negotiated"));
      else if (!raw) reject(problem("tls", "tls-alpn-01: no certificate"));
      else resolve(raw);
    });
    s.on("timeout", () => s.destroy(new Error("timed out")));
    s.on("error", (e) => reject(problem("connection", `tls-alpn-01: ${e.message}`)));
  });
}

async function tlsAlpn01(o: ValidationOptions, c: ChallengeInput): Promise<void> {
  const der = await peerCertificate(o, await address(o, c.name), c.name);
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(der);
  } catch {
    throw problem("tls", "tls-alpn-01: the certificate cannot be read");
  }
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.items ?? [];
  if (names.length !== 1 || names[0]!.type !== "dns" || names[0]!.value.toLowerCase() !== c.name)
    throw problem("unauthorized", "tls-alpn-01: the certificate must name exactly the identifier");
  const ext = cert.extensions.find((e) => e.type === ACME_IDENTIFIER_OID);
  if (!ext?.critical)
    throw problem("unauthorized", "tls-alpn-01: no critical acmeIdentifier extension");
  const digest = createHash("sha256").update(c.keyAuthorization).digest();
  const want = Buffer.concat([Buffer.from([0x04, 0x20]), digest]);
  if (!Buffer.from(ext.value).equals(want))
    throw problem("incorrectResponse", "tls-alpn-01: acmeIdentifier does not match");
}

/** Resolves when the challenge is met; throws an AcmeProblem saying why not. */
export function validateChallenge(o: ValidationOptions, c: ChallengeInput): Promise<void> {
  if (c.type === "http-01") return http01(o, c);
  if (c.type === "dns-01") return dns01(o, c);
  return tlsAlpn01(o, c);
}
