// The whole order, once: newOrder → one challenge per authorization through the first solver
// the server offers → poll → finalize with a fresh key + CSR → download. Solvers: the http-01
// responder, or hooks for dns-01 (a TXT value) and tls-alpn-01 (the key authorization).

import { createHash } from "node:crypto";
import type { AcmeClient } from "./client.ts";
import { type CertKeyType, keyAndCsr } from "./csr.ts";
import type { Http01Responder } from "./http01.ts";
import type { Authorization, Order } from "./types.ts";

export interface Solver {
  type: "http-01" | "dns-01" | "tls-alpn-01";
  present(name: string, token: string, keyAuthorization: string): Promise<void>;
  cleanup(name: string, token: string): Promise<void>;
}

export function http01Solver(r: Http01Responder): Solver {
  return {
    type: "http-01",
    present: async (_n, token, ka) => r.set(token, ka),
    cleanup: async (_n, token) => r.remove(token),
  };
}

/** dns-01 through hooks that publish `_acme-challenge.<name>` TXT `<value>`. */
export function dns01Solver(h: {
  present(name: string, value: string): Promise<void>;
  cleanup(name: string, value: string): Promise<void>;
}): Solver {
  const value = (ka: string) => createHash("sha256").update(ka).digest("base64url");
  const values = new Map<string, string>();
  return {
    type: "dns-01",
    present: (name, token, ka) => {
      values.set(token, value(ka));
      return h.present(name, value(ka));
    },
    cleanup: (name, token) => h.cleanup(name, values.get(token) ?? ""),
  };
}

/** tls-alpn-01 through hooks that serve the RFC 8737 certificate for the key authorization. */
export function tlsAlpn01Solver(h: {
  present(name: string, keyAuthorization: string): Promise<void>;
  cleanup(name: string): Promise<void>;
}): Solver {
  return {
    type: "tls-alpn-01",
    present: (n, _t, ka) => h.present(n, ka),
    cleanup: (n) => h.cleanup(n),
  };
}

export interface ObtainOptions {
  names: string[];
  solvers: Solver[];
  keyType?: CertKeyType;
  profile?: string;
  /** ARI certificate id of the certificate this one replaces. */
  replaces?: string;
  timeoutMs?: number;
}

export interface Obtained {
  certificate: string;
  privateKey: string;
  order: Order;
}

async function authorize(c: AcmeClient, url: string, solvers: Solver[], timeoutMs: number) {
  const a = await c.authorization(url);
  if (a.status === "valid") return;
  const pick = solvers
    .map((s) => [s, a.challenges.find((ch) => ch.type === s.type)] as const)
    .find(([, ch]) => ch);
  if (!pick)
    throw new Error(
      `no solver for ${a.identifier.value} (${a.challenges.map((x) => x.type).join(", ")})`,
    );
  const [solver, ch] = pick;
  const name = a.identifier.value;
  await solver.present(name, ch!.token, `${ch!.token}.${c.key.thumbprint}`);
  try {
    await c.respond(ch!.url);
    const done = await c.poll<Authorization>(url, timeoutMs);
    if (done.status !== "valid") {
      const err = done.challenges.find((x) => x.error)?.error;
      throw new Error(
        `authorization for ${name} is ${done.status}: ${err?.type ?? ""} ${err?.detail ?? ""}`,
      );
    }
  } finally {
    await solver.cleanup(name, ch!.token);
  }
}

export async function obtainCertificate(c: AcmeClient, o: ObtainOptions): Promise<Obtained> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const order = await c.newOrder({
    names: o.names,
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.replaces ? { replaces: o.replaces } : {}),
  });
  for (const url of order.authorizations) await authorize(c, url, o.solvers, timeoutMs);
  const ready = { ...(await c.poll<Order>(order.url, timeoutMs)), url: order.url };
  if (ready.status !== "ready")
    throw new Error(`order is ${ready.status}: ${ready.error?.detail ?? ""}`);
  const { privateKeyPem, csrDer } = await keyAndCsr(o.names, o.keyType);
  const done = await c.finalize(ready, csrDer);
  if (done.status !== "valid" || !done.certificate)
    throw new Error(`order is ${done.status} after finalize`);
  return {
    certificate: await c.certificate(done.certificate),
    privateKey: privateKeyPem,
    order: done,
  };
}
