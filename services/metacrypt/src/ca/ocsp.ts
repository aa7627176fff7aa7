// The OCSP responder (RFC 6960) of a CA mount: requests and responses are read and written with
// @peculiar/asn1-ocsp; each response is signed by the issuer of the certificates asked about
// (the CA is its own responder). A request that does not parse gets `malformedRequest`.

import { createHash } from "node:crypto";
import {
  BasicOCSPResponse,
  CertStatus,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import type { MountStore } from "../barrier/mount-store.ts";
import { type LoadedIssuer, listIssuers, loadIssuer } from "./issuers.ts";
import { signingAlgorithm } from "./keys.ts";
import type { CertRecord } from "./records.ts";
import { readJson } from "./records.ts";
import { subtle, x509 } from "./x509.ts";

type EcSignAlg = Parameters<x509.AsnEcSignatureFormatter["toAsnSignature"]>[0];

const HASHES: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
};

const status = (s: OCSPResponseStatus) =>
  Buffer.from(AsnConvert.serialize(new OCSPResponse({ responseStatus: s })));

interface IssuerIds {
  name: string;
  nameHash: Record<string, string>;
  keyHash: Record<string, string>;
  sha1Key: Buffer;
}

function issuerIds(name: string, pem: string): IssuerIds {
  const cert = new x509.X509Certificate(pem);
  const asn = AsnConvert.parse(cert.rawData, Certificate);
  const nameDer = Buffer.from(cert.subjectName.toArrayBuffer());
  const key = Buffer.from(asn.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey);
  const h = (alg: string, b: Buffer) => createHash(alg).update(b).digest();
  const ids: IssuerIds = { name, nameHash: {}, keyHash: {}, sha1Key: h("sha1", key) };
  for (const alg of Object.values(HASHES)) {
    ids.nameHash[alg] = h(alg, nameDer).toString("hex");
    ids.keyHash[alg] = h(alg, key).toString("hex");
  }
  return ids;
}

export async function answerOcsp(store: MountStore, der: Buffer): Promise<Buffer> {
  let req: OCSPRequest;
  try {
    req = AsnConvert.parse(der, OCSPRequest);
  } catch {
    return status(OCSPResponseStatus.malformedRequest);
  }
  const list = req.tbsRequest.requestList;
  if (list.length === 0 || list.length > 32) return status(OCSPResponseStatus.malformedRequest);
  const issuers = listIssuers(store).map((r) => issuerIds(r.name, r.cert_pem));
  const match = (id: (typeof list)[number]["reqCert"]) => {
    const alg = HASHES[id.hashAlgorithm.algorithm];
    if (!alg) return undefined;
    const nh = Buffer.from(id.issuerNameHash.buffer).toString("hex");
    const kh = Buffer.from(id.issuerKeyHash.buffer).toString("hex");
    return issuers.find((i) => i.nameHash[alg] === nh && i.keyHash[alg] === kh);
  };
  const signer = match(list[0]!.reqCert);
  if (!signer) return status(OCSPResponseStatus.unauthorized);
  const issuer = await loadIssuer(store, signer.name);
  const now = new Date();
  const responses = list.map((r) => {
    const serial = Buffer.from(r.reqCert.serialNumber)
      .toString("hex")
      .replace(/^0+(?=.)/, "");
    const rec =
      match(r.reqCert) === signer ? readJson<CertRecord>(store, `certs/${serial}`) : undefined;
    return new SingleResponse({
      certID: r.reqCert,
      certStatus: certStatus(rec, signer.name),
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 3_600_000),
    });
  });
  const nonce = req.tbsRequest.requestExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
  const data = new ResponseData({
    responderID: new ResponderID({ byKey: new OctetString(signer.sha1Key) }),
    producedAt: now,
    responses,
    ...(nonce ? { responseExtensions: [nonce] } : {}),
  });
  return signResponse(issuer, data);
}

function certStatus(rec: CertRecord | undefined, issuer: string): CertStatus {
  if (!rec || rec.issuer !== issuer) return new CertStatus({ unknown: null });
  if (!rec.revoked_at) return new CertStatus({ good: null });
  return new CertStatus({
    revoked: new RevokedInfo({ revocationTime: new Date(rec.revoked_at) }),
  });
}

async function signResponse(issuer: LoadedIssuer, data: ResponseData): Promise<Buffer> {
  const alg = signingAlgorithm(issuer.record.key_type);
  const tbs = AsnConvert.serialize(data);
  let sig = await subtle.sign(alg, issuer.key, tbs);
  if (alg.name === "ECDSA") {
    const curve = issuer.record.key_type === "ec-p384" ? "P-384" : "P-256";
    const params = { ...alg, namedCurve: curve } as unknown as EcSignAlg;
    sig = new x509.AsnEcSignatureFormatter().toAsnSignature(params, sig)!;
  }
  const basic = new BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: new x509.AlgorithmProvider().toAsnAlgorithm(alg),
    signature: sig,
  });
  const resp = new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({
      responseType: id_pkix_ocsp_basic,
      response: new OctetString(AsnConvert.serialize(basic)),
    }),
  });
  return Buffer.from(AsnConvert.serialize(resp));
}
