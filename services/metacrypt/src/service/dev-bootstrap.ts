// Development bootstrap (`metacrypt dev-bootstrap`, used by the repository's `npm start`): with
// the server not running, initialise the barrier with a password when it is not yet, unseal it,
// create a CA mount with a root and a profile for *.localhost names when it is missing, and issue
// the requested leaves — every step through the use cases of ops.ts, as an admin acting offline.
// Never for production: the unseal password is handed in by the caller, who keeps it in a file.

import type { Identity } from "@metacircular/mcdsl/identity";
import type { Issued } from "../ca/issue.ts";
import type { MetacryptOps } from "./ops.ts";

/** The identity the bootstrap acts as (recorded as the actor in the audit log). */
export const DEV_BOOTSTRAP_ACTOR: Identity = {
  username: "dev-bootstrap",
  accountType: "system",
  roles: ["admin"],
};

export const DEV_PROFILE = "dev-localhost";

export interface DevLeafRequest {
  dns: string[];
  ips: string[];
}

export interface DevBootstrapRequest {
  unsealPassword: string;
  mount: string;
  leaves: DevLeafRequest[];
}

export interface DevBootstrapResult {
  initialized: boolean;
  mountCreated: boolean;
  /** The root certificate of the mount (PEM): what clients trust. */
  caPem: string;
  issued: Issued[];
}

async function ensureCaMount(ops: MetacryptOps, mount: string): Promise<boolean> {
  const who = DEV_BOOTSTRAP_ACTOR;
  if (ops.listMounts(who).some((m) => m.name === mount)) return false;
  await ops.createMount(who, mount, "ca");
  await ops.request(who, mount, "create-root", {
    common_name: "Metacircular DEV CA (npm start; not for production)",
    key_type: "ec-p256",
  });
  await ops.request(who, mount, "set-profile", {
    name: DEV_PROFILE,
    issuer: "root",
    allowed_names: ["localhost", "*.localhost"],
    allow_ip_sans: true,
    max_ttl_days: 397,
  });
  return true;
}

export async function devBootstrap(
  ops: MetacryptOps,
  req: DevBootstrapRequest,
): Promise<DevBootstrapResult> {
  const who = DEV_BOOTSTRAP_ACTOR;
  const password = { kind: "password" as const, password: req.unsealPassword };
  const initialized = !ops.status().initialized;
  if (initialized) await ops.init(who, password);
  if (ops.status().sealed) await ops.unseal(password);
  try {
    const mountCreated = await ensureCaMount(ops, req.mount);
    const { chain } = (await ops.request(who, req.mount, "get-chain", { issuer: "root" })) as {
      chain: string[];
    };
    const issued: Issued[] = [];
    for (const leaf of req.leaves) {
      const r = await ops.request(who, req.mount, "issue", {
        profile: DEV_PROFILE,
        common_name: leaf.dns[0],
        dns_names: leaf.dns,
        ip_addresses: leaf.ips,
        ttl_days: 397,
      });
      issued.push(r as Issued);
    }
    return { initialized, mountCreated, caPem: chain.at(-1) ?? "", issued };
  } finally {
    ops.seal(who);
  }
}
