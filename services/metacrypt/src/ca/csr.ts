// Reading a PKCS#10 request: signature checked, CA:TRUE refused, names (CN and SAN) collected.
// Anything in a request that the library cannot read becomes `invalid_csr` (fuzzed in
// ca-fuzz.test.ts).

import { isIP } from "node:net";
import { AppError, isAppError } from "@metacircular/mcdsl/errors";
import { type CryptoKey, x509 } from "./x509.ts";

export interface CsrInfo {
  csr: x509.Pkcs10CertificateRequest;
  commonName: string | undefined;
  dns: string[];
  ips: string[];
}

const invalid = (why: string) => AppError.badRequest("invalid_csr", why);

function readNames(csr: x509.Pkcs10CertificateRequest): CsrInfo {
  const ext = csr.extensions;
  const bc = ext.find((e) => e instanceof x509.BasicConstraintsExtension);
  if (bc?.ca) throw AppError.forbidden("a CSR asking for CA:TRUE is refused", "ca_not_allowed");
  const cn = csr.subjectName.getField("CN")[0];
  const san = ext.find((e) => e instanceof x509.SubjectAlternativeNameExtension);
  const dns: string[] = [];
  const ips: string[] = [];
  for (const n of san?.names.items ?? []) {
    if (n.type === "dns") dns.push(n.value);
    else if (n.type === "ip") ips.push(n.value);
    else throw AppError.badRequest("unsupported_san", `unsupported SAN type ${n.type}`);
  }
  if (cn && !isIP(cn) && !dns.includes(cn.toLowerCase())) dns.unshift(cn);
  return { csr, commonName: cn, dns, ips };
}

/**
 * The last request read, by its PEM text: one issuance reads the same CSR in several places
 * (policy names, the ACME identifier check, signing), and decoding the ASN.1 is most of its CPU.
 * Only successful reads are kept; the result is never mutated by its users.
 */
let last: { pem: string; info: CsrInfo } | undefined;

export function parseCsr(pem: string): CsrInfo {
  if (last?.pem === pem) return last.info;
  try {
    const info = readNames(new x509.Pkcs10CertificateRequest(pem));
    last = { pem, info };
    return info;
  } catch (e) {
    if (isAppError(e)) throw e;
    throw invalid("the CSR is not a readable PKCS#10 request");
  }
}

/** Checks the signature; returns the request's public key. */
export async function verifyCsr(info: CsrInfo): Promise<CryptoKey> {
  const read = async (): Promise<{ ok: boolean; key: CryptoKey }> => ({
    ok: await info.csr.verify(),
    key: await info.csr.publicKey.export(),
  });
  const r = await read().catch(() => {
    throw invalid("the CSR's key or signature cannot be read");
  });
  if (!r.ok) throw invalid("the CSR signature does not verify");
  return r.key;
}
