// Builds and signs a leaf certificate with @peculiar/asn1-x509 and node:crypto in one pass: the
// TBSCertificate is serialised once, signed synchronously with the issuer's KeyObject (ECDSA
// signatures come out DER-encoded, as X.509 wants them), and the certificate's DER is kept, so
// nothing is parsed back. The signature AlgorithmIdentifier comes from @peculiar/x509's
// algorithm provider, the same one its generator uses.

import { createHash, type KeyObject, sign as nodeSign } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  type AlgorithmIdentifier,
  Certificate,
  Extension,
  Extensions,
  Name,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import { type KeyType, signingAlgorithm } from "./keys.ts";
import { x509 } from "./x509.ts";

export interface LeafTemplate {
  serialHex: string;
  subject: string;
  issuer: x509.Name;
  notBefore: Date;
  notAfter: Date;
  spki: ArrayBuffer;
  extensions: x509.Extension[];
}

export interface LeafSigner {
  key: KeyObject;
  keyType: KeyType;
}

const HASH: Partial<Record<KeyType, string>> = { "ec-p256": "sha256", "ec-p384": "sha384" };

const provider = new x509.AlgorithmProvider();
const algorithms = new Map<KeyType, AlgorithmIdentifier>();

function signatureAlgorithm(t: KeyType): AlgorithmIdentifier {
  let alg = algorithms.get(t);
  if (!alg) {
    const found = provider.toAsnAlgorithm(signingAlgorithm(t) as x509.HashedAlgorithm);
    if (!found) throw new Error(`no signature algorithm identifier for ${t}`);
    alg = found;
    algorithms.set(t, alg);
  }
  return alg;
}

/** A Buffer's own bytes as an ArrayBuffer (a Buffer may be a view into a shared pool). */
const arrayBuffer = (b: Buffer): ArrayBuffer => new Uint8Array(b).buffer;

/**
 * The subject key identifier of a public key (RFC 5280 4.2.1.2 method 1: SHA-1 of the
 * subjectPublicKey bits), hashed synchronously: WebCrypto's async digest costs more than the hash.
 */
export function subjectKeyIdentifier(spki: ArrayBuffer): x509.SubjectKeyIdentifierExtension {
  const bits = AsnConvert.parse(spki, SubjectPublicKeyInfo).subjectPublicKey;
  const id = createHash("sha1").update(new Uint8Array(bits)).digest("hex");
  return new x509.SubjectKeyIdentifierExtension(id, false);
}

/** The signed certificate's DER and PEM. */
export function buildLeaf(t: LeafTemplate, signer: LeafSigner): { der: Buffer; pem: string } {
  const alg = signatureAlgorithm(signer.keyType);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: arrayBuffer(Buffer.from(t.serialHex, "hex")),
    signature: alg,
    issuer: AsnConvert.parse(t.issuer.toArrayBuffer(), Name),
    validity: new Validity({ notBefore: t.notBefore, notAfter: t.notAfter }),
    subject: AsnConvert.parse(new x509.Name(t.subject).toArrayBuffer(), Name),
    subjectPublicKeyInfo: AsnConvert.parse(t.spki, SubjectPublicKeyInfo),
    extensions: new Extensions(t.extensions.map((e) => AsnConvert.parse(e.rawData, Extension))),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const hash = signer.keyType.startsWith("rsa-") ? "sha256" : (HASH[signer.keyType] ?? null);
  const signatureValue = nodeSign(hash, tbsDer, signer.key);
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: alg,
    signatureValue: arrayBuffer(signatureValue),
  });
  const der = Buffer.from(AsnConvert.serialize(cert));
  return { der, pem: x509.PemConverter.encode(der, "CERTIFICATE") };
}
