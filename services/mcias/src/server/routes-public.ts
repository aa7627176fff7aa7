// Public REST routes: health, JWKS, login, token validation, the revocation feed and
// enrolment links.
import { readJson } from "@metacircular/mcdsl/http";
import { z } from "zod";
import { useEnrolmentLink } from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import { DEFAULT_SERVICE, passwordLogin } from "../auth/login.ts";
import type { ValidateResult } from "../tokens/tokens.ts";
import { clientIp, iso, loginJson } from "./request.ts";
import type { Router } from "./router.ts";

const validateSchema = z.object({
  token: z.string().max(8192),
  service_name: z.string().max(128).optional(),
});
const enrolmentSchema = z.object({
  token: z.string().min(1).max(128),
  password: z.string().max(1024),
});

export const MAX_REVOCATION_WAIT_S = 30;

const loginSchema = z.object({
  username: z.string().min(1).max(256),
  password: z.string().max(1024),
  totp_code: z.string().max(64).optional(),
  service_name: z.string().min(1).max(128).default(DEFAULT_SERVICE),
  tags: z.array(z.string().max(128)).max(32).default([]),
  /** The device token from an earlier successful login (protection/devices.ts). */
  device_token: z.string().max(256).optional(),
});

export function validateJson(r: ValidateResult, epoch: number) {
  if (!r.valid) return { valid: false, epoch };
  const id = r.identity;
  return {
    valid: true,
    epoch,
    username: id.username,
    account_type: id.accountType,
    roles: id.roles,
    token_id: id.tokenId,
    audience: id.audience,
    kind: id.kind,
    expires_at: iso(id.expiresAt),
  };
}

export function registerPublicRoutes(r: Router, core: Core): void {
  r.add("GET", "/.well-known/jwks.json", (c) => {
    c.header("cache-control", "public, max-age=300");
    // Ed25519 keys for MCIAS tokens, plus the RS256 ID-token keys when OIDC is configured.
    return c.json({ keys: [...core.keys.jwks().keys, ...(core.oidcKeys?.jwks() ?? [])] });
  });

  r.add("POST", "/v1/auth/login", async (c) => {
    const b = await readJson(c, loginSchema);
    const res = await passwordLogin(core, {
      username: b.username,
      password: b.password,
      totpCode: b.totp_code,
      serviceName: b.service_name,
      tags: b.tags,
      ip: clientIp(c, core.cfg.trusted_proxies),
      deviceToken: b.device_token,
    });
    return c.json(loginJson(res));
  });

  r.add("POST", "/v1/token/validate", async (c) => {
    const b = await readJson(c, validateSchema);
    return c.json(
      validateJson(core.tokens.validateFor(b.token, b.service_name), core.tokens.epoch()),
    );
  });

  // Long-poll: answers at once when revocations newer than `since` exist (or since < 0),
  // otherwise holds the request until one happens or `wait` seconds pass.
  r.add("GET", "/v1/token/revocations", async (c) => {
    const since = Number(c.req.query("since") ?? "-1");
    const wait = Math.min(Math.max(Number(c.req.query("wait") ?? "0"), 0), MAX_REVOCATION_WAIT_S);
    if (!Number.isFinite(since) || !Number.isFinite(wait))
      return c.json(
        { error: { code: "invalid_request", message: "since and wait must be numbers" } },
        400,
      );
    const abort = new AbortController();
    c.req.raw.signal?.addEventListener("abort", () => abort.abort());
    const page = await core.tokens.waitForRevocations(Math.trunc(since), wait * 1000, abort.signal);
    return c.json(page);
  });

  // The link secret travels in the body, never in the path, so access logs cannot capture it.
  r.add("POST", "/v1/enrolment", async (c) => {
    const b = await readJson(c, enrolmentSchema);
    const a = await useEnrolmentLink(
      core,
      b.token,
      b.password,
      clientIp(c, core.cfg.trusted_proxies),
    );
    return c.json({ username: a.username, password_set: true });
  });
}
