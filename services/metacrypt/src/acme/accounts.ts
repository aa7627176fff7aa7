// Account use cases (RFC 8555 §7.3): create or find by key (newAccount, with External Account
// Binding as configured), fetch, update contacts, deactivate (certbot unregister), list
// orders, and roll the key (keyChange).

import type { Identity } from "@metacircular/mcdsl/identity";
import type { AcmeDeps, AcmeReply, AcmeRequest } from "./context.ts";
import { verifyEab } from "./eab.ts";
import { parseJws, payloadOf, publicJwk, thumbprint, verifyJws } from "./jws.ts";
import { only, optionalBoolean, requireEmpty } from "./payload.ts";
import { problem } from "./problem.ts";
import { accountView } from "./resources.ts";
import { type Account, newId } from "./store.ts";

const MAILTO = /^mailto:[^@\s,]{1,64}@[A-Za-z0-9.-]{1,253}$/;

function contacts(v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 10)
    throw problem("malformed", "contact must be an array of at most 10 URLs");
  for (const c of v)
    if (typeof c !== "string" || !MAILTO.test(c))
      throw problem("malformed", "contact entries must be mailto: addresses");
  return v as string[];
}

async function binding(
  d: AcmeDeps,
  r: AcmeRequest,
  eab: unknown,
): Promise<{ kid: string | null; identity: Identity }> {
  if (eab === undefined) {
    if (d.opts.requireEab)
      throw problem("externalAccountRequired", "this server requires an external account binding");
    return { kid: null, identity: d.opts.anonymousIdentity };
  }
  const sealed = d.ca.store(r.mount);
  return verifyEab(d.store, sealed, r.mount, eab, r.jwk, r.urls.newAccount);
}

export async function newAccount(d: AcmeDeps, r: AcmeRequest): Promise<AcmeReply> {
  const p = r.payload ?? {};
  only(
    p,
    ["contact", "termsOfServiceAgreed", "onlyReturnExisting", "externalAccountBinding"],
    "newAccount",
  );
  optionalBoolean(p, "termsOfServiceAgreed");
  const tp = await thumbprint(r.jwk);
  const existing = d.store.accountByThumbprint(r.mount, tp);
  // §7.3.6: no further request is accepted with a deactivated account's key, this one included.
  if (existing && existing.status !== "valid")
    throw problem("unauthorized", `the account of this key is ${existing.status}`);
  if (existing)
    return {
      status: 200,
      body: accountView(existing, r.urls),
      location: r.urls.account(existing.id),
    };
  if (optionalBoolean(p, "onlyReturnExisting"))
    throw problem("accountDoesNotExist", "no account exists for this key");
  const contact = contacts(p.contact);
  const b = await binding(d, r, p.externalAccountBinding);
  const a: Account = {
    id: newId(),
    mount: r.mount,
    thumbprint: tp,
    jwk: r.jwk,
    status: "valid",
    contact,
    eab_kid: b.kid,
    identity: b.identity,
  };
  d.store.tx(() => {
    if (b.kid && !d.store.bindEab(b.kid, a.id))
      throw problem("unauthorized", "this external account key is already bound");
    d.store.insertAccount(a);
  });
  return { status: 201, body: accountView(a, r.urls), location: r.urls.account(a.id) };
}

function own(r: AcmeRequest, id: string): Account {
  if (r.account?.id !== id) throw problem("unauthorized", "this is not your account");
  return r.account;
}

export function updateAccount(d: AcmeDeps, r: AcmeRequest, id: string): AcmeReply {
  const a = own(r, id);
  if (r.payload === undefined) return { status: 200, body: accountView(a, r.urls) };
  only(r.payload, ["contact", "status", "termsOfServiceAgreed"], "account update");
  const status = r.payload.status;
  if (status !== undefined && status !== "deactivated")
    throw problem("malformed", 'status may only be set to "deactivated"');
  const next: Account = {
    ...a,
    status: status === "deactivated" ? "deactivated" : a.status,
    contact: r.payload.contact === undefined ? a.contact : contacts(r.payload.contact),
  };
  d.store.updateAccount(next);
  return { status: 200, body: accountView(next, r.urls) };
}

export function listOrders(d: AcmeDeps, r: AcmeRequest, id: string): AcmeReply {
  const a = own(r, id);
  requireEmpty(r.payload, "the orders list");
  return { status: 200, body: { orders: d.store.ordersOf(a.id).map((o) => r.urls.order(o)) } };
}

/** keyChange (§7.3.5): the inner JWS, signed by the new key, names the account and old key. */
export async function keyChange(d: AcmeDeps, r: AcmeRequest): Promise<AcmeReply> {
  const a = r.account!;
  if (r.payload === undefined) throw problem("malformed", "keyChange needs an inner JWS");
  const inner = parseJws(JSON.stringify(r.payload));
  if (inner.key.kind !== "jwk" || inner.nonce !== undefined || inner.url !== r.jws.url)
    throw problem("malformed", "the inner JWS needs jwk, no nonce, and the same url");
  await verifyJws(inner, inner.key.jwk);
  const body = payloadOf(inner) ?? {};
  only(body, ["account", "oldKey"], "keyChange");
  if (body.account !== r.urls.account(a.id))
    throw problem("malformed", "the inner JWS names another account");
  if ((await thumbprint(publicJwk(body.oldKey))) !== a.thumbprint)
    throw problem("unauthorized", "oldKey is not the account's current key");
  const tp = await thumbprint(inner.key.jwk);
  const taken = d.store.accountByThumbprint(r.mount, tp);
  if (taken)
    return {
      status: 409,
      body: problem("malformed", "the new key belongs to another account").toJSON(),
      location: r.urls.account(taken.id),
    };
  d.store.changeAccountKey(a.id, inner.key.jwk, tp);
  return { status: 200, body: accountView({ ...a, jwk: inner.key.jwk, thumbprint: tp }, r.urls) };
}
