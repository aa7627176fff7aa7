// URLs and JSON views of the ACME resources (RFC 8555 §7.1). Every URL is absolute under
// <base>/acme/<mount>; ids are random base64url.

import { type Account, type Authz, authzStatus, type Challenge, type Order } from "./store.ts";

export interface Urls {
  root: string;
  directory: string;
  newNonce: string;
  newAccount: string;
  newOrder: string;
  revokeCert: string;
  keyChange: string;
  renewalInfo: string;
  account(id: string): string;
  orders(accountId: string): string;
  order(id: string): string;
  finalize(orderId: string): string;
  authz(id: string): string;
  challenge(id: string): string;
  cert(id: string): string;
}

export function acmeUrls(base: string, mount: string): Urls {
  const root = `${base.replace(/\/$/, "")}/acme/${mount}`;
  return {
    root,
    directory: `${root}/directory`,
    newNonce: `${root}/new-nonce`,
    newAccount: `${root}/new-account`,
    newOrder: `${root}/new-order`,
    revokeCert: `${root}/revoke-cert`,
    keyChange: `${root}/key-change`,
    renewalInfo: `${root}/renewal-info`,
    account: (id) => `${root}/acct/${id}`,
    orders: (id) => `${root}/acct/${id}/orders`,
    order: (id) => `${root}/order/${id}`,
    finalize: (id) => `${root}/order/${id}/finalize`,
    authz: (id) => `${root}/authz/${id}`,
    challenge: (id) => `${root}/chall/${id}`,
    cert: (id) => `${root}/cert/${id}`,
  };
}

/** The account id a kid URL names, or undefined when it is not this mount's account URL. */
export function accountIdFromKid(urls: Urls, kid: string): string | undefined {
  const prefix = `${urls.root}/acct/`;
  if (!kid.startsWith(prefix)) return undefined;
  const id = kid.slice(prefix.length);
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
}

export const accountView = (a: Account, urls: Urls) => ({
  status: a.status,
  contact: a.contact,
  orders: urls.orders(a.id),
  ...(a.eab_kid ? { externalAccountBinding: { kid: a.eab_kid } } : {}),
});

export const orderView = (o: Order, authz: Authz[], certId: string | null, urls: Urls) => ({
  status: o.status,
  expires: o.expires,
  identifiers: o.identifiers.map((value) => ({ type: "dns", value })),
  authorizations: authz.map((a) => urls.authz(a.id)),
  finalize: urls.finalize(o.id),
  profile: o.profile,
  ...(o.replaces ? { replaces: o.replaces } : {}),
  ...(certId ? { certificate: urls.cert(certId) } : {}),
  ...(o.error ? { error: o.error } : {}),
});

export const challengeView = (c: Challenge, urls: Urls) => ({
  type: c.type,
  url: urls.challenge(c.id),
  token: c.token,
  status: c.status,
  ...(c.validated ? { validated: c.validated } : {}),
  ...(c.error ? { error: c.error } : {}),
});

export const authzView = (a: Authz, challenges: Challenge[], urls: Urls) => ({
  identifier: { type: "dns", value: a.value },
  status: authzStatus(a, Date.now()),
  expires: a.expires,
  challenges: challenges.map((c) => challengeView(c, urls)),
  ...(a.wildcard ? { wildcard: true } : {}),
});
