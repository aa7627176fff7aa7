// Responding to a challenge (§7.5.1): the challenge turns processing and is validated in the
// background; the outcome moves the authorization (valid/invalid) and, once every
// authorization of the order is valid, the order to ready (any failure makes it invalid).

import type { AcmeDeps, AcmeReply, AcmeRequest } from "./context.ts";
import { ownAuthz } from "./orders.ts";
import { only } from "./payload.ts";
import { problem, toProblem } from "./problem.ts";
import { challengeView } from "./resources.ts";
import type { Authz, Challenge } from "./store.ts";
import { validateChallenge } from "./validate.ts";

async function run(d: AcmeDeps, c: Challenge, a: Authz, thumbprint: string): Promise<void> {
  try {
    await validateChallenge(d.opts.validation, {
      type: c.type,
      name: a.value,
      token: c.token,
      keyAuthorization: `${c.token}.${thumbprint}`,
    });
    d.store.tx(() => {
      d.store.setChallenge(c.id, "valid", null);
      // A valid authorization lasts authz_reuse_days (reused meanwhile), else its order's time.
      const reuse = d.opts.authzReuseMs;
      const expires = reuse > 0 ? new Date(Date.now() + reuse).toISOString() : undefined;
      d.store.setAuthz(a.id, "valid", expires);
      for (const orderId of d.store.ordersOfAuthz(a.id)) {
        const all = d.store.authzOf(orderId);
        if (all.every((x) => x.status === "valid")) d.store.setOrder(orderId, "ready", null);
      }
    });
  } catch (e) {
    const { problem: p, unexpected } = toProblem(e);
    if (unexpected) d.log.error({ err: e }, "acme validation failed unexpectedly");
    d.store.tx(() => {
      d.store.setChallenge(c.id, "invalid", p.toJSON());
      d.store.setAuthz(a.id, "invalid");
      d.store.setOrder(a.order_id, "invalid", p.toJSON());
    });
  }
}

export function respondChallenge(d: AcmeDeps, r: AcmeRequest, id: string): AcmeReply {
  const c = d.store.challenge(id);
  if (!c) throw problem("malformed", "no such challenge");
  const a = ownAuthz(d, r, c.authz_id);
  const up = [`<${r.urls.authz(a.id)}>;rel="up"`];
  if (r.payload === undefined) return { status: 200, body: challengeView(c, r.urls), links: up };
  only(r.payload, [], "challenge response");
  if (c.status !== "pending" || a.status !== "pending")
    return { status: 200, body: challengeView(c, r.urls), links: up };
  if (Date.parse(a.expires) < Date.now()) throw problem("malformed", "the authorization expired");
  d.store.setChallenge(c.id, "processing", null);
  void run(d, c, a, r.account!.thumbprint);
  return { status: 200, body: challengeView({ ...c, status: "processing" }, r.urls), links: up };
}
