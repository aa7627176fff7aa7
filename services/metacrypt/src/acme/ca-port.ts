// What the ACME server needs from the rest of Metacrypt, over MetacryptOps: the CA mount's sealed
// store (profiles, EAB keys), a policy preview at newOrder, and the one issue and revoke use
// cases (ops.request "sign-csr" / "revoke": policy as the account's identity, audit, inventory).

import { AppError } from "@metacircular/mcdsl/errors";
import type { Identity } from "@metacircular/mcdsl/identity";
import { sealedError } from "../barrier/index.ts";
import type { MountStore } from "../barrier/mount-store.ts";
import { getCert } from "../ca/inventory.ts";
import type { Issued } from "../ca/issue.ts";
import { checkNames, getProfile, listProfiles } from "../ca/profiles.ts";
import type { MetacryptOps } from "../service/ops.ts";
import { problem } from "./problem.ts";

/** The identity Metacrypt itself acts as for ACME's read-only look-ups. */
const ACME_SYSTEM: Identity = { username: "acme", accountType: "system", roles: [] };

export class AcmeCa {
  constructor(private readonly ops: MetacryptOps) {}

  /** The CA mount's store; throws sealed, or malformed when the mount is not a CA. */
  store(mount: string): MountStore {
    if (this.ops.barrier.isSealed()) throw sealedError();
    const info = this.ops.listMounts(ACME_SYSTEM).find((m) => m.name === mount);
    if (info?.type !== "ca") throw AppError.notFound("mount_not_found", `no CA mount ${mount}`);
    return this.ops.barrier.mountStore(mount);
  }

  /** The CA mount's store for an MCIAS caller creating an EAB key (guests are refused). */
  storeFor(who: Identity, mount: string): MountStore {
    this.ops.listMounts(who);
    return this.store(mount);
  }

  recordEab(who: Identity, mount: string, kid: string): void {
    this.ops.audit.append({
      actor: who.username,
      action: "acme-eab",
      mount,
      target: kid,
      decision: "info",
    });
  }

  profiles(mount: string): string[] {
    return listProfiles(this.store(mount)).map((p) => p.name);
  }

  /** Refuses an order the profile or the policy would refuse at finalize (nothing audited). */
  precheck(who: Identity, mount: string, profile: string, names: string[]): void {
    const p = getProfile(this.store(mount), profile);
    checkNames(p, names, []);
    const d = this.ops.explain(who, { subject: who, mount, operation: "sign-csr", names });
    if (!d.allowed)
      throw problem("unauthorized", `policy denies issuance of these names (${d.rule})`);
  }

  isRevoked(mount: string, serial: string): boolean {
    return Boolean(getCert(this.store(mount), serial).revoked_at);
  }

  async issue(who: Identity, mount: string, profile: string, csrPem: string): Promise<Issued> {
    return (await this.ops.request(who, mount, "sign-csr", { profile, csr: csrPem })) as Issued;
  }

  async revoke(who: Identity, mount: string, serial: string, reason: number): Promise<void> {
    await this.ops.request(who, mount, "revoke", { serial, reason });
  }
}
