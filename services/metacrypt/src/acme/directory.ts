// The directory (RFC 8555 §7.1.1) with meta: externalAccountRequired and the draft ACME
// profiles extension (each CA profile of the mount by name, with what it allows).

import { getProfile } from "../ca/profiles.ts";
import type { AcmeDeps } from "./context.ts";
import type { Urls } from "./resources.ts";

export function directory(d: AcmeDeps, mount: string, urls: Urls) {
  const store = d.ca.store(mount);
  const profiles: Record<string, string> = {};
  for (const name of d.ca.profiles(mount)) {
    const p = getProfile(store, name);
    profiles[name] = `names ${p.allowed_names.join(", ")}; at most ${p.max_ttl_days} days`;
  }
  return {
    newNonce: urls.newNonce,
    newAccount: urls.newAccount,
    newOrder: urls.newOrder,
    revokeCert: urls.revokeCert,
    keyChange: urls.keyChange,
    renewalInfo: urls.renewalInfo,
    meta: { externalAccountRequired: d.opts.requireEab, profiles },
  };
}
