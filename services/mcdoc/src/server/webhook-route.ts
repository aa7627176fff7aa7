// POST /v1/webhook: a push from Gitea (X-Gitea-Signature) or GitHub (X-Hub-Signature-256).
// The signature is checked over the raw body before anything is parsed; a refused delivery is
// logged with its reason and size (never the secret or the signature) and changes nothing. A
// good one queues a refresh of the repositories it names, and only those.
import { AppError } from "@metacircular/mcdsl/errors";
import { type AppEnv, readBodyBytes } from "@metacircular/mcdsl/http";
import type { Hono } from "hono";
import type { McdocMetrics } from "../metrics.ts";
import type { Library } from "../site/library.ts";
import { canonicalName, parsePushPayload, refMatches } from "../webhook/payload.ts";
import { checkSignature } from "../webhook/signature.ts";

export interface WebhookDeps {
  library: Library;
  metrics: McdocMetrics;
  /** The shared secret; undefined = webhooks are off. */
  secret: Buffer | undefined;
}

/** The configured repositories a push names (by alias) whose branch or tag it touches. */
export function targets(library: Library, names: string[], ref: string | undefined) {
  const wanted = new Set(names.map(canonicalName));
  const named = library
    .entries()
    .filter((e) => e.aliases.some((a) => wanted.has(canonicalName(a))));
  return { named, matching: named.filter((e) => refMatches(ref, e.ref)) };
}

export function registerWebhook(app: Hono<AppEnv>, d: WebhookDeps): void {
  app.post("/v1/webhook", async (c) => {
    const log = c.get("log");
    if (!d.secret) {
      d.metrics.webhooks.inc({ result: "refused" });
      throw AppError.forbidden(
        "webhooks are not configured ([webhook] secret_file)",
        "webhook_disabled",
      );
    }
    const body = await readBodyBytes(c);
    const check = checkSignature(d.secret, body, {
      gitea: c.req.header("x-gitea-signature"),
      github: c.req.header("x-hub-signature-256"),
    });
    if (!check.ok) {
      d.metrics.webhooks.inc({ result: "refused" });
      log.warn({ code: check.code, bytes: body.length }, "webhook refused: bad signature");
      if (check.code === "signature_missing")
        throw AppError.unauthenticated("the delivery carries no signature", "signature_missing");
      throw AppError.forbidden("the signature does not match the body", "signature_invalid");
    }
    const kind = c.req.header("x-gitea-event") ?? c.req.header("x-github-event");
    if (kind === "ping") return c.json({ status: "pong" });
    const parsed = parsePushPayload(body.toString("utf8"));
    if (!parsed.ok) throw AppError.badRequest(parsed.code, parsed.message);
    const { named, matching } = targets(d.library, parsed.event.names, parsed.event.ref);
    if (named.length === 0) {
      d.metrics.webhooks.inc({ result: "unknown_repo" });
      throw AppError.notFound("unknown_repository", "no configured repository has that name");
    }
    const repos = matching.map((e) => e.info.name);
    for (const name of repos) void d.library.refresh(name);
    d.metrics.webhooks.inc({ result: repos.length ? "queued" : "ignored" });
    log.info({ scheme: check.scheme, repos, ref: parsed.event.ref }, "webhook accepted");
    return c.json({ status: repos.length ? "queued" : "ignored", repos }, 202);
  });
}
