// Routes for the authenticated caller: identity, logout, renewal, own password and TOTP.
// Logout and renewal act on the presented token itself (access level "token", src/auth/caller.ts).
import { AppError } from "@metacircular/mcdsl/errors";
import { readJson } from "@metacircular/mcdsl/http";
import { z } from "zod";
import { changeOwnPassword } from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import { logout, renewToken } from "../auth/renewal.ts";
import { beginTotpEnrolment, confirmTotpEnrolment, disableOwnTotp } from "../totp/enrolment.ts";
import { accountJson, clientIp, iso } from "./request.ts";
import type { Router } from "./router.ts";

const changePasswordSchema = z.object({
  current_password: z.string().max(1024),
  new_password: z.string().max(1024),
});
const totpCodeSchema = z.object({ code: z.string().max(16) });
const passwordSchema = z.object({ password: z.string().max(1024) });

export function registerSelfRoutes(r: Router, core: Core): void {
  const me = (c: Parameters<Parameters<Router["add"]>[2]>[0]) => {
    const id = c.get("caller")!;
    const a = core.accounts.byId(id.accountId);
    if (!a) throw AppError.unauthenticated();
    return { id, account: a };
  };

  r.add("GET", "/v1/auth/me", (c) => {
    const { id, account } = me(c);
    return c.json({
      ...accountJson(account),
      token_id: id.tokenId,
      token_expires_at: iso(id.expiresAt),
    });
  });

  r.add("POST", "/v1/auth/logout", (c) => {
    logout(core, c.get("caller")!, "rest", clientIp(c, core.cfg.trusted_proxies));
    return c.json({ logged_out: true });
  });

  r.add("POST", "/v1/auth/renew", (c) => {
    const issued = renewToken(core, c.get("caller")!, "rest");
    return c.json({ token: issued.token, token_id: issued.jti, expires_at: iso(issued.expiresAt) });
  });

  r.add("PUT", "/v1/auth/password", async (c) => {
    const { id, account } = me(c);
    const b = await readJson(c, changePasswordSchema);
    await changeOwnPassword(core, account, b.current_password, b.new_password, id.tokenId);
    return c.json({ password_changed: true });
  });

  r.add("POST", "/v1/auth/totp/enroll", async (c) => {
    const { account } = me(c);
    const e = await beginTotpEnrolment(core, account);
    return c.json({ secret: e.secret, otpauth_uri: e.otpauthUri, qr_svg: e.qrSvg });
  });

  r.add("POST", "/v1/auth/totp/confirm", async (c) => {
    const { account } = me(c);
    const b = await readJson(c, totpCodeSchema);
    return c.json({
      totp_enabled: true,
      recovery_codes: confirmTotpEnrolment(core, account, b.code),
    });
  });

  r.add("DELETE", "/v1/auth/totp", async (c) => {
    const { account } = me(c);
    const b = await readJson(c, passwordSchema);
    await disableOwnTotp(core, account, b.password);
    return c.json({ totp_enabled: false });
  });
}
