// The certificate path of the MCP agent: one call returns a certificate, its key and the chain
// for a host name. A certificate this path issued earlier for the same profile and host is
// handed out again while it is unrevoked and more than 30 days from expiry (the inventory
// decides); otherwise a new one is issued with a generated key. The key is kept next to the
// index entry (`hosts/<profile>/<hostname>`, sealed by the barrier like every value).

import { z } from "zod";
import type { MountStore } from "../barrier/mount-store.ts";
import { checkDnsName } from "../names/name-pattern.ts";
import { getCert } from "./inventory.ts";
import { type Issued, issueWithKey } from "./issue.ts";
import { chainPem } from "./issuers.ts";
import { keyType } from "./keys.ts";
import type { LeafUrls } from "./leaf-urls.ts";
import { readJson, writeJson } from "./records.ts";

/** A certificate closer to expiry than this is replaced, not reused. */
export const REUSE_MARGIN_MS = 30 * 86_400_000;

export const hostCertRequest = z.strictObject({
  hostname: z.string().min(1).max(253),
  profile: z.string().min(1).default("host"),
  key_type: keyType.default("ec-p256"),
});
export type HostCertRequest = z.infer<typeof hostCertRequest>;

export interface HostCert extends Issued {
  private_key: string;
  /** True when an earlier certificate was handed out again. */
  reused: boolean;
}

interface HostEntry {
  serial: string;
  private_key: string;
}

const entryPath = (profile: string, host: string) => `hosts/${profile}/${host}`;

function reusable(store: MountStore, e: HostEntry, now: number): HostCert | undefined {
  const rec = getCert(store, e.serial);
  if (rec.revoked_at || Date.parse(rec.not_after) - now <= REUSE_MARGIN_MS) return undefined;
  return {
    serial: rec.serial,
    certificate: rec.cert_pem,
    chain: chainPem(store, rec.issuer),
    not_after: rec.not_after,
    private_key: e.private_key,
    reused: true,
  };
}

export async function hostCert(
  store: MountStore,
  requester: string,
  r: HostCertRequest,
  urls?: LeafUrls,
  now = Date.now(),
): Promise<HostCert> {
  const host = checkDnsName(r.hostname);
  const path = entryPath(r.profile, host);
  const prior = readJson<HostEntry>(store, path);
  const again = prior ? reusable(store, prior, now) : undefined;
  if (again) return again;
  const issued = await issueWithKey(
    store,
    requester,
    {
      profile: r.profile,
      common_name: host,
      dns_names: [],
      ip_addresses: [],
      key_type: r.key_type,
    },
    urls,
  );
  const privateKey = issued.private_key!;
  writeJson(store, path, { serial: issued.serial, private_key: privateKey } satisfies HostEntry);
  return { ...issued, private_key: privateKey, reused: false };
}

/** The policy names of a host-cert request: its host name. */
export function hostCertNames(r: HostCertRequest): string[] {
  return [checkDnsName(r.hostname)];
}
