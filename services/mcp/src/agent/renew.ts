// Certificate renewal without a deploy: on each monitor pass, every Metacrypt certificate of a
// service that should run and is due (renewalDue: within [certs] renew_before_days of expiry,
// or in the last third of its lifetime) is issued again and its files replaced in one rename
// each. MC-Proxy watches the files of its L7 routes and serves the new certificate without a
// restart or a dropped connection; the registry records the new serial and expiry, and an
// event says what changed.
import { issueInto, RENEW_BEFORE_MS, renewalDue } from "./certs.ts";
import type { AgentDeps } from "./deps.ts";

export interface Renewal {
  service: string;
  hostname: string;
  serial: string;
  /** Empty when renewed. */
  error: string;
}

export async function renewCertificates(d: AgentDeps, now = Date.now()): Promise<Renewal[]> {
  const src = d.certs;
  if (src?.kind !== "metacrypt") return [];
  const window = src.renewBeforeMs ?? RENEW_BEFORE_MS;
  const out: Renewal[] = [];
  for (const s of d.registry.listServices()) {
    if (s.desired !== "running" || !s.active) continue;
    for (const old of d.registry.certificates(s.name)) {
      if (!old.serial || !renewalDue(old, now, window)) continue;
      const at = { service: s.name, hostname: old.hostname };
      try {
        const { row } = await issueInto(src, at);
        d.registry.putCertificate(row);
        d.registry.event(
          s.name,
          "cert_renewed",
          `${old.hostname}: serial ${old.serial} → ${row.serial}, until ${row.notAfter}`,
        );
        out.push({ ...at, serial: row.serial ?? "", error: "" });
      } catch (e) {
        const error = (e as Error).message;
        d.registry.event(s.name, "cert_renew_failed", `${old.hostname}: ${error}`);
        out.push({ ...at, serial: old.serial, error });
      }
    }
  }
  return out;
}
