// The CA engine type: its operations as the service layer dispatches them from
// `POST /v1/engine/request` (REST) and EngineService.Request (gRPC).

import { z } from "zod";
import type { EngineOperation, EngineType } from "../engines/engine.ts";
import { parseData as parse } from "../engines/parse.ts";
import { hostCert, hostCertNames, hostCertRequest } from "./host-cert.ts";
import { getCert, revokeCert, revokeRequest, searchCerts, searchRequest } from "./inventory.ts";
import {
  csrNames,
  issueFromCsr,
  issueRequest,
  issueWithKey,
  requestedNames,
  signRequest,
} from "./issue.ts";
import { chainPem, createIssuer, listIssuers, ROOT } from "./issuers.ts";
import { keyType } from "./keys.ts";
import type { LeafUrls } from "./leaf-urls.ts";
import { listProfiles, profileSchema, putProfile } from "./profiles.ts";

const rootRequest = z.strictObject({
  key_type: keyType.default("ec-p256"),
  common_name: z.string().min(1).max(200),
  ttl_days: z.number().int().min(1).max(36500).default(3650),
});
const intermediateRequest = rootRequest.extend({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
  parent: z.string().default(ROOT),
  ttl_days: z.number().int().min(1).max(36500).default(1825),
});
const issuerRef = z.strictObject({ issuer: z.string().default(ROOT) });
const serialRef = z.strictObject({ serial: z.string().min(1) });

const op = (run: EngineOperation["run"], names?: EngineOperation["names"]): EngineOperation =>
  names ? { run, names } : { run };

/** The operations of a CA mount; leaves carry CRL and OCSP URLs when a public base is set. */
function caOperations(base: string | undefined): Record<string, EngineOperation> {
  const urls = (mount: string): LeafUrls | undefined => (base ? { base, mount } : undefined);
  return {
    "create-root": op(async ({ store }, d) => {
      const r = parse(rootRequest, d);
      const rec = await createIssuer(store, { name: ROOT, ...r });
      return { issuer: rec.name, certificate: rec.cert_pem };
    }),
    "create-intermediate": op(async ({ store }, d) => {
      const r = parse(intermediateRequest, d);
      const rec = await createIssuer(store, r);
      return { issuer: rec.name, certificate: rec.cert_pem, chain: chainPem(store, rec.name) };
    }),
    "list-issuers": op(async ({ store }) => ({
      issuers: listIssuers(store).map((i) => ({
        name: i.name,
        key_type: i.key_type,
        parent: i.parent,
        certificate: i.cert_pem,
      })),
    })),
    "get-chain": op(async ({ store }, d) => ({
      chain: chainPem(store, parse(issuerRef, d).issuer),
    })),
    "set-profile": op(async ({ store }, d) => ({
      profile: putProfile(store, parse(profileSchema, d)),
    })),
    "list-profiles": op(async ({ store }) => ({ profiles: listProfiles(store) })),
    issue: op(
      ({ store, identity, mount }, d) =>
        issueWithKey(store, identity.username, parse(issueRequest, d), urls(mount)),
      (d) => requestedNames(parse(issueRequest, d)),
    ),
    "sign-csr": op(
      ({ store, identity, mount }, d) =>
        issueFromCsr(store, identity.username, parse(signRequest, d), urls(mount)),
      (d) => csrNames(parse(signRequest, d)).dns,
    ),
    "host-cert": {
      ...op(
        ({ store, identity, mount }, d) =>
          hostCert(store, identity.username, parse(hostCertRequest, d), urls(mount)),
        (d) => hostCertNames(parse(hostCertRequest, d)),
      ),
      policyOperation: "issue",
    },
    revoke: op(async ({ store }, d) => {
      const r = parse(revokeRequest, d);
      return { certificate: revokeCert(store, r.serial, r.reason) };
    }),
    "get-cert": op(async ({ store }, d) => ({
      certificate: getCert(store, parse(serialRef, d).serial),
    })),
    "list-certs": op(async ({ store }, d) => ({
      certificates: searchCerts(store, parse(searchRequest, d)),
    })),
  };
}

/** The CA engine type; `publicBaseUrl` is [ca] public_base_url. */
export function caEngineType(publicBaseUrl?: string): EngineType {
  return { type: "ca", operations: caOperations(publicBaseUrl) };
}

export const caEngine: EngineType = caEngineType();
