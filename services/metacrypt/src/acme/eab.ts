// External Account Binding (RFC 8555 §7.3.4) tied to MCIAS identities. An MCIAS-authenticated
// caller creates a key id + HMAC key for one CA mount; the MAC key is sealed in that mount's
// barrier store (acme/eab/<kid>), the row in acme_eab records whose identity it carries. A new
// account presenting the binding acts as that identity for policy from then on. One account
// per key: a second account with the same key id is refused.

import { randomBytes } from "node:crypto";
import type { Identity } from "@metacircular/mcdsl/identity";
import { flattenedVerify, type JWK } from "jose";
import type { MountStore } from "../barrier/mount-store.ts";
import type { AcmeDeps } from "./context.ts";
import { decodeB64Json, publicJwk, strictObject, thumbprint } from "./jws.ts";
import { problem } from "./problem.ts";
import { acmeUrls } from "./resources.ts";
import { type AcmeStore, newId } from "./store.ts";

const MAC_ALGS = ["HS256", "HS384", "HS512"];
const keyPath = (kid: string) => `acme/eab/${kid}`;

export interface EabCredentials {
  kid: string;
  hmac_key: string; // base64url, no padding
}

export function createEab(
  store: AcmeStore,
  sealed: MountStore,
  mount: string,
  identity: Identity,
): EabCredentials {
  const kid = argSafe(newId);
  const key = Buffer.from(
    argSafe(() => randomBytes(32).toString("base64url")),
    "base64url",
  );
  sealed.put(keyPath(kid), key);
  store.insertEab(kid, mount, identity);
  return { kid, hmac_key: key.toString("base64url") };
}

/**
 * Draws until the value does not begin with "-": operators paste the kid and key as separate
 * command-line arguments (certbot --eab-hmac-key KEY), and argument parsers such as Python's
 * argparse take a leading "-" for an option. Costs under 0.03 bits of the key's 256.
 */
function argSafe(draw: () => string): string {
  for (;;) {
    const v = draw();
    if (!v.startsWith("-")) return v;
  }
}

/**
 * The use case behind POST /v1/acme/<mount>/eab and AcmeService.CreateEab: a key for the caller
 * (a member, not a guest) on a mount it can see, audited as acme-eab. `origin` is the base of
 * the directory URL (external_url when configured, else the transport's own).
 */
export function issueEab(
  d: AcmeDeps,
  who: Identity,
  mount: string,
  origin: string,
): EabCredentials & { directory: string } {
  const sealed = d.ca.storeFor(who, mount);
  const creds = createEab(d.store, sealed, mount, who);
  d.ca.recordEab(who, mount, creds.kid);
  return { ...creds, directory: acmeUrls(d.opts.externalUrl ?? origin, mount).directory };
}

function bindingHeader(binding: unknown): {
  jws: { protected: string; payload: string; signature: string };
  kid: string;
  url: string;
} {
  if (typeof binding !== "object" || binding === null || Array.isArray(binding))
    throw problem("malformed", "externalAccountBinding must be a JWS object");
  const parsed = strictObject(JSON.stringify(binding), "externalAccountBinding");
  const { protected: prot, payload, signature } = parsed;
  if (typeof prot !== "string" || typeof payload !== "string" || typeof signature !== "string")
    throw problem("malformed", "externalAccountBinding must be a flattened JWS");
  const h = decodeB64Json(prot, "externalAccountBinding header");
  for (const k of Object.keys(h))
    if (!["alg", "kid", "url"].includes(k))
      throw problem("malformed", `externalAccountBinding header has "${k}"`);
  if (typeof h.alg !== "string" || !MAC_ALGS.includes(h.alg))
    throw problem("malformed", "externalAccountBinding must be MACed with HS256/384/512");
  if (typeof h.kid !== "string" || typeof h.url !== "string")
    throw problem("malformed", "externalAccountBinding needs kid and url");
  return { jws: { protected: prot, payload, signature }, kid: h.kid, url: h.url };
}

/** The identity an account binding grants, after checking its MAC, url and bound key. */
export async function verifyEab(
  store: AcmeStore,
  sealed: MountStore,
  mount: string,
  binding: unknown,
  accountJwk: JWK,
  url: string,
): Promise<{ kid: string; identity: Identity }> {
  const b = bindingHeader(binding);
  if (b.url !== url) throw problem("malformed", "externalAccountBinding url mismatch");
  const row = store.eab(mount, b.kid);
  const key = row && sealed.get(keyPath(b.kid));
  if (!row || !key) throw problem("unauthorized", "unknown external account key id");
  if (row.account_id) throw problem("unauthorized", "this external account key is already bound");
  try {
    await flattenedVerify(b.jws, new Uint8Array(key), { algorithms: MAC_ALGS });
  } catch {
    throw problem("unauthorized", "the external account binding MAC does not verify");
  }
  const inner = publicJwk(decodeB64Json(b.jws.payload, "externalAccountBinding payload"));
  if ((await thumbprint(inner)) !== (await thumbprint(accountJwk)))
    throw problem("malformed", "externalAccountBinding does not bind the account key");
  return { kid: b.kid, identity: row.identity };
}
