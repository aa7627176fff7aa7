// Responding to a challenge (§7.5.1): the challenge turns processing and is validated in the
// background; the outcome moves the authorization (valid/invalid) and, once every
// authorization of the order is valid, the order to ready (any failure makes it invalid).
// The answer waits for the outcome up to `inlineValidationMs`, so a client usually reads "valid"
// (or the error) without polling; a slower validation answers "processing" with Retry-After.

import { type AcmeDeps, type AcmeReply, type AcmeRequest, POLL_AFTER_SECONDS } from "./context.ts";
import { ownAuthz } from "./orders.ts";
import { only } from "./payload.ts";
import { problem, toProblem } from "./problem.ts";
import { challengeView } from "./resources.ts";
import { type Authz, authzStatus, type Challenge } from "./store.ts";
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
      // Only a pending order all of whose authorizations are valid and unexpired becomes ready
      // (a reused one may have expired meanwhile: the next look at the order finds it invalid).
      const now = Date.now();
      const holds = (x: Authz) => authzStatus(x, now) === "valid";
      for (const orderId of d.store.ordersOfAuthz(a.id))
        if (d.store.authzOf(orderId).every(holds)) d.store.readyIfPending(orderId);
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

function settled(p: Promise<void>, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<void>((r) => {
    timer = setTimeout(r, ms);
  });
  return Promise.race([p, wait]).finally(() => clearTimeout(timer));
}

export async function respondChallenge(
  d: AcmeDeps,
  r: AcmeRequest,
  id: string,
): Promise<AcmeReply> {
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
  // run() records every validation outcome itself; only a failure to record one is left here,
  // logged rather than left unhandled when the answer has gone out before it.
  const validation = run(d, c, a, r.account!.thumbprint).catch((e: unknown) =>
    d.log.error({ err: e }, "acme validation outcome could not be recorded"),
  );
  await settled(validation, d.opts.inlineValidationMs);
  const now = d.store.challenge(id) ?? { ...c, status: "processing" as const };
  const reply: AcmeReply = { status: 200, body: challengeView(now, r.urls), links: up };
  if (now.status === "processing") reply.retryAfter = POLL_AFTER_SECONDS;
  return reply;
}
