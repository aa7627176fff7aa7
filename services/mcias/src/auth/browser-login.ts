// A login form submitted by a browser to one of MCIAS's sign-in pages for another service (SSO
// and OIDC authorize): the first factor through formLogin, the device cookie renewed on
// success, and a refusal the user can fix turned into what the page shows again (with its
// Retry-After). The pages differ only in what they do after a sign-in.
import type { Context } from "hono";
import type { Core } from "../app.ts";
import { clientIp } from "../server/request.ts";
import { deviceCookie, setDeviceCookie } from "./device-cookie.ts";
import { type FormFields, formLogin, formRefusal } from "./form-login.ts";
import type { LoginResult } from "./login.ts";

export type BrowserLogin =
  | { kind: "signed_in"; result: LoginResult }
  | { kind: "refused"; status: 401 | 403 | 429; error: string; username: string };

/** Signs in for `serviceName`; errors that are no refusal a user can fix are rethrown. */
export async function browserFormLogin(
  core: Core,
  c: Context,
  field: FormFields,
  serviceName: string,
): Promise<BrowserLogin> {
  try {
    const result = await formLogin(core, field, {
      serviceName,
      tags: [],
      ip: clientIp(c, core.cfg.trusted_proxies),
      deviceToken: deviceCookie(c),
    });
    setDeviceCookie(c, result.deviceToken, core.cfg.protection.device_ttl_days);
    return { kind: "signed_in", result };
  } catch (e) {
    const refused = formRefusal(e);
    if (!refused) throw e;
    if (refused.retryAfter) c.header("retry-after", String(refused.retryAfter));
    const username = field("username").slice(0, 256);
    return { kind: "refused", status: refused.status, error: refused.error, username };
  }
}
