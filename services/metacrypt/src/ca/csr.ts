// Reading a PKCS#10 request: signature checked, CA:TRUE refused, names (CN and SAN) collected.

import { isIP } from "node:net";
import { AppError } from "@metacircular/mcdsl/errors";
import { x509 } from "./x509.ts";

export interface CsrInfo {
  csr: x509.Pkcs10CertificateRequest;
  commonName: string | undefined;
  dns: string[];
  ips: string[];
}

export function parseCsr(pem: string): CsrInfo {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch {
    throw AppError.badRequest("invalid_csr", "the CSR is not a PEM or DER PKCS#10 request");
  }
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

export async function verifyCsr(info: CsrInfo): Promise<void> {
  if (!(await info.csr.verify()))
    throw AppError.badRequest("invalid_csr", "the CSR signature does not verify");
}
