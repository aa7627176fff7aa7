// Orders and authorizations (RFC 8555 §7.4, §7.5): newOrder checks identifiers, profile
// (draft ACME profiles: a CA profile by name), `replaces` (RFC 9773) and the policy of the
// account's identity up front, then gives each name an authorization: a valid one of the same
// account for the same identifier when reuse is on (§7.1.4, `[acme] authz_reuse_days`), else a
// new one with its challenges (a wildcard gets dns-01 only). All reused: the order is ready.

import { checkDnsName } from "../names/name-pattern.ts";
import { certIdOwnedBy } from "./cert-id.ts";
import { type AcmeDeps, type AcmeReply, type AcmeRequest, POLL_AFTER_SECONDS } from "./context.ts";
import { only, optionalString, requireEmpty } from "./payload.ts";
import { problem } from "./problem.ts";
import { authzView, orderView } from "./resources.ts";
import { type Authz, authzStatus, type ChallengeType, newId, type Order } from "./store.ts";

const AUTHZ_TYPES: ChallengeType[] = ["http-01", "dns-01", "tls-alpn-01"];

function identifiers(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 100)
    throw problem("malformed", "identifiers must be an array of 1 to 100 identifiers");
  const names = v.map((i: unknown) => {
    if (typeof i !== "object" || i === null) throw problem("malformed", "bad identifier");
    const { type, value, ...rest } = i as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw problem("malformed", "identifier has extra members");
    if (type !== "dns")
      throw problem("unsupportedIdentifier", "only dns identifiers are supported");
    if (typeof value !== "string") throw problem("malformed", "identifier value must be a string");
    try {
      return checkDnsName(value);
    } catch {
      throw problem("rejectedIdentifier", `not a valid DNS name: ${JSON.stringify(value)}`);
    }
  });
  return [...new Set(names)].sort();
}

function chooseProfile(d: AcmeDeps, r: AcmeRequest, asked: string | undefined): string {
  const name = asked ?? d.opts.defaultProfile;
  if (!d.ca.profiles(r.mount).includes(name))
    throw problem("invalidProfile", `no profile ${JSON.stringify(name)} on this CA`);
  return name;
}

function checkReplaces(d: AcmeDeps, r: AcmeRequest, certId: string, names: string[]): void {
  const old = certIdOwnedBy(d, r, certId);
  if (old.replaced_by) throw problem("alreadyReplaced", "that certificate was already replaced");
  const oldOrder = d.store.order(r.mount, old.order_id);
  if (!oldOrder?.identifiers.some((n) => names.includes(n)))
    throw problem("malformed", "the replacement shares no identifier with the certificate");
}

function createOrder(
  d: AcmeDeps,
  r: AcmeRequest,
  names: string[],
  profile: string,
  replaces?: string,
) {
  const expires = new Date(Date.now() + d.opts.orderLifetimeMs).toISOString();
  const order: Order = {
    id: newId(),
    mount: r.mount,
    account_id: r.account!.id,
    status: "pending",
    identifiers: names,
    profile,
    replaces: replaces ?? null,
    expires,
    error: null,
    cert_id: null,
  };
  return d.store.tx(() => {
    const authz = names.map((n) => reusedAuthz(d, order, n) ?? freshAuthz(order, n, expires));
    if (authz.every((a) => a.status === "valid")) order.status = "ready";
    d.store.insertOrder(order);
    authz.forEach((a, i) => {
      if (a.order_id === order.id) insertAuthz(d, a);
      d.store.linkAuthz(order.id, a.id, i);
    });
    return { order, authz };
  });
}

/** A valid authorization of the ordering account for this name, when reuse is on. */
function reusedAuthz(d: AcmeDeps, order: Order, name: string): Authz | undefined {
  if (d.opts.authzReuseMs <= 0) return undefined;
  const value = name.replace(/^\*\./, "");
  const now = new Date().toISOString();
  return d.store.reusableAuthz(order.mount, order.account_id, value, name !== value, now);
}

function freshAuthz(order: Order, name: string, expires: string): Authz {
  return {
    id: newId(),
    order_id: order.id,
    account_id: order.account_id,
    value: name.replace(/^\*\./, ""),
    wildcard: name.startsWith("*."),
    status: "pending",
    expires,
  };
}

function insertAuthz(d: AcmeDeps, a: Authz): void {
  d.store.insertAuthz(a);
  for (const type of a.wildcard ? (["dns-01"] as const) : AUTHZ_TYPES)
    d.store.insertChallenge({
      id: newId(),
      authz_id: a.id,
      type,
      token: newId(),
      status: "pending",
      validated: null,
      error: null,
    });
}

export function newOrder(d: AcmeDeps, r: AcmeRequest): AcmeReply {
  const p = r.payload ?? {};
  only(p, ["identifiers", "notBefore", "notAfter", "profile", "replaces"], "newOrder");
  if (p.notBefore !== undefined || p.notAfter !== undefined)
    throw problem("malformed", "notBefore/notAfter are not supported: the profile sets lifetimes");
  const names = identifiers(p.identifiers);
  const profile = chooseProfile(d, r, optionalString(p, "profile"));
  const replaces = optionalString(p, "replaces");
  if (replaces) checkReplaces(d, r, replaces, names);
  d.ca.precheck(r.account!.identity, r.mount, profile, names);
  const { order, authz } = createOrder(d, r, names, profile, replaces);
  return {
    status: 201,
    body: orderView(order, authz, null, r.urls),
    location: r.urls.order(order.id),
  };
}

/**
 * Why a pending or ready order can no longer be finalized (§7.1.6): it expired, or one of its
 * authorizations left "valid"/"pending" (deactivated, revoked, invalid) or outlived its
 * expiry (a reused authorization may expire long before the order that reuses it).
 */
function staleReason(d: AcmeDeps, o: Order, now: number): string | undefined {
  if (Date.parse(o.expires) < now) return "the order expired";
  for (const a of d.store.authzOf(o.id)) {
    const status = authzStatus(a, now);
    if (status !== "valid" && status !== "pending")
      return `the authorization for ${a.value} is ${status}`;
  }
  return undefined;
}

export function ownOrder(d: AcmeDeps, r: AcmeRequest, id: string): Order {
  const o = d.store.order(r.mount, id);
  if (!o || o.account_id !== r.account!.id) throw problem("malformed", "no such order");
  if (o.status !== "pending" && o.status !== "ready") return o;
  const why = staleReason(d, o, Date.now());
  if (why === undefined) return o;
  d.store.setOrder(o.id, "invalid", problem("malformed", why).toJSON());
  return d.store.order(r.mount, id)!;
}

export function getOrder(d: AcmeDeps, r: AcmeRequest, id: string): AcmeReply {
  requireEmpty(r.payload, "an order");
  const o = ownOrder(d, r, id);
  return { status: 200, body: orderView(o, d.store.authzOf(o.id), o.cert_id, r.urls) };
}

export function ownAuthz(d: AcmeDeps, r: AcmeRequest, id: string): Authz {
  const a = d.store.authz(id);
  const o = a && d.store.order(r.mount, a.order_id);
  if (!a || !o || a.account_id !== r.account!.id)
    throw problem("malformed", "no such authorization");
  return a;
}

/** POST-as-GET, or {"status":"deactivated"} (§7.5.2). */
export function authorization(d: AcmeDeps, r: AcmeRequest, id: string): AcmeReply {
  let a = ownAuthz(d, r, id);
  if (r.payload !== undefined) {
    only(r.payload, ["status"], "authorization update");
    if (r.payload.status !== "deactivated")
      throw problem("malformed", 'status may only be set to "deactivated"');
    if (a.status !== "pending" && a.status !== "valid")
      throw problem("malformed", `a ${a.status} authorization cannot be deactivated`);
    d.store.setAuthz(a.id, "deactivated");
    a = { ...a, status: "deactivated" };
  }
  const challenges = d.store.challengesOf(a.id);
  const reply: AcmeReply = { status: 200, body: authzView(a, challenges, r.urls) };
  // A validation under way: say when to look again (lego otherwise waits 5 s).
  if (challenges.some((c) => c.status === "processing")) reply.retryAfter = POLL_AFTER_SECONDS;
  return reply;
}
