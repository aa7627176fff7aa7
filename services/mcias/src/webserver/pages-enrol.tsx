// Redeeming an admin-issued enrolment code: GET/POST /ui/enrol sets the account's password.
// The code is typed into a form (never carried in a URL).
import type { Context } from "hono";
import { useEnrolmentLink } from "../accounts/admin.ts";
import type { Core } from "../core.ts";
import { clientIp } from "../server/request.ts";
import type { Env, Router } from "../server/router.ts";
import { Csrf, page } from "./layout.tsx";
import { failure, readForm } from "./ui-forms.ts";

function form(c: Context<Env>, status: 200 | 400 | 401 | 403 | 404 | 409 | 429, error?: string) {
  const csrf = c.get("csrfToken") ?? "";
  return page(c, status, {
    title: "Set your password",
    csrf,
    error,
    children: (
      <form method="post" action="/ui/enrol">
        <Csrf token={csrf} />
        <label>
          Enrolment code
          <input name="token" autocomplete="off" autocapitalize="none" required />
        </label>
        <label>
          New password
          <input name="password" type="password" autocomplete="new-password" required />
        </label>
        <button type="submit">Set password</button>
      </form>
    ),
  });
}

export function registerEnrolPages(r: Router, core: Core): void {
  r.add("GET", "/ui/enrol", (c) => form(c, 200));
  r.add("POST", "/ui/enrol", async (c) => {
    const f = await readForm(c);
    try {
      await useEnrolmentLink(
        core,
        f.str("token", 128).trim(),
        f.str("password"),
        clientIp(c, core.cfg.trusted_proxies),
      );
    } catch (e) {
      const { status, message } = failure(e);
      return form(c, status, message);
    }
    return c.redirect("/ui/login?done=enrolled", 303);
  });
}
