// Admin routes: accounts, roles, passwords, unlock, enrolment links and tokens. Each translates
// the request into one call of the domain (src/accounts/admin.ts, src/tokens/admin.ts).
import { readJson } from "@metacircular/mcdsl/http";
import { z } from "zod";
import {
  createAccount,
  createEnrolmentLink,
  deleteAccount,
  resetAccountTotp,
  resetPassword,
  setAccountEnabled,
  setAccountRoles,
  unlockAccount,
} from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import { issueSystemToken, listAccountTokens, revokeLiveToken } from "../tokens/admin.ts";
import { accountJson, iso, param } from "./request.ts";
import type { Router } from "./router.ts";

const rolesSchema = z.object({ roles: z.array(z.string()) });
const passwordSchema = z.object({ password: z.string().max(1024) });
const enrolmentLinkSchema = z.object({
  ttl_s: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
});
const issueSchema = z.object({
  username: z.string().min(1),
  audience: z.string().max(128),
});
const revokeSchema = z.object({ token_id: z.string().min(1).max(128) });

const createSchema = z.object({
  username: z.string().min(1).max(256),
  type: z.enum(["human", "system"]).default("human"),
  roles: z.array(z.enum(["admin", "user", "guest"])).default([]),
  password: z.string().max(1024).optional(),
});

export function registerAdminRoutes(r: Router, core: Core): void {
  const actor = (c: Parameters<Parameters<Router["add"]>[2]>[0]) => c.get("caller")!.username;

  r.add("GET", "/v1/accounts", (c) =>
    c.json({
      accounts: core.accounts
        .list({ includeDeleted: c.req.query("include_deleted") === "true" })
        .map(accountJson),
    }),
  );
  r.add("POST", "/v1/accounts", async (c) => {
    const b = await readJson(c, createSchema);
    return c.json(accountJson(await createAccount(core, actor(c), b)), 201);
  });
  r.add("GET", "/v1/accounts/:username", (c) =>
    c.json(accountJson(core.accounts.get(param(c, "username")))),
  );
  r.add("DELETE", "/v1/accounts/:username", (c) => {
    deleteAccount(core, actor(c), param(c, "username"));
    return c.json({ deleted: true });
  });
  r.add("POST", "/v1/accounts/:username/disable", (c) =>
    c.json(accountJson(setAccountEnabled(core, actor(c), param(c, "username"), false))),
  );
  r.add("POST", "/v1/accounts/:username/enable", (c) =>
    c.json(accountJson(setAccountEnabled(core, actor(c), param(c, "username"), true))),
  );
  r.add("PUT", "/v1/accounts/:username/roles", async (c) => {
    const b = await readJson(c, rolesSchema);
    return c.json(accountJson(setAccountRoles(core, actor(c), param(c, "username"), b.roles)));
  });
  r.add("PUT", "/v1/accounts/:username/password", async (c) => {
    const b = await readJson(c, passwordSchema);
    await resetPassword(core, actor(c), param(c, "username"), b.password);
    return c.json({ password_reset: true });
  });
  r.add("POST", "/v1/accounts/:username/unlock", (c) =>
    c.json({ unlocked: true, had_failures: unlockAccount(core, actor(c), param(c, "username")) }),
  );
  r.add("POST", "/v1/accounts/:username/enrolment-link", async (c) => {
    const b = await readJson(c, enrolmentLinkSchema);
    const link = createEnrolmentLink(core, actor(c), param(c, "username"), b.ttl_s);
    return c.json({ token: link.token, expires_at: iso(link.expiresAt) }, 201);
  });
  r.add("DELETE", "/v1/accounts/:username/totp", (c) => {
    resetAccountTotp(core, actor(c), param(c, "username"));
    return c.json({ totp_enabled: false });
  });
  r.add("GET", "/v1/accounts/:username/tokens", (c) => {
    return c.json({
      tokens: listAccountTokens(core, param(c, "username")).map((t) => ({
        token_id: t.jti,
        kind: t.kind,
        audience: t.audience,
        issued_at: iso(t.issuedAt),
        expires_at: iso(t.expiresAt),
        revoked_at: iso(t.revokedAt),
      })),
    });
  });

  r.add("POST", "/v1/token/issue", async (c) => {
    const b = await readJson(c, issueSchema);
    const t = issueSystemToken(core, actor(c), b.username, b.audience);
    return c.json({ token: t.token, token_id: t.jti, expires_at: iso(t.expiresAt) }, 201);
  });
  r.add("POST", "/v1/token/revoke", async (c) => {
    const b = await readJson(c, revokeSchema);
    revokeLiveToken(core, actor(c), b.token_id);
    return c.json({ revoked: true, epoch: core.tokens.epoch() });
  });
}
