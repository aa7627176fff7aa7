// Redeeming an admin-issued enrolment code: GET/POST /ui/enrol sets the account's password.
// The code is typed into a form (never carried in a URL).
import { Field } from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import { useEnrolmentLink } from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import { clientIp } from "../server/request.ts";
import type { Env, Router } from "../server/router.ts";
import { Csrf, page } from "./layout.tsx";
import { failure, fieldErrors, readForm } from "./ui-forms.ts";

function form(
  c: Context<Env>,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 429,
  error?: string,
  refused?: { token: string; code: string },
) {
  const csrf = c.get("csrfToken") ?? "";
  // A refused password keeps the code typed; a bad code is cleared.
  const passwordError =
    refused && fieldErrors({ code: refused.code, message: "" }).password !== undefined
      ? error
      : undefined;
  const token = passwordError ? refused?.token : undefined;
  return page(c, status, {
    title: "Set your password",
    csrf,
    error,
    children: (
      <form method="post" action="/ui/enrol" class="kit-form">
        <Csrf token={csrf} />
        <Field
          name="token"
          label="Enrolment code"
          autocomplete="off"
          autocapitalize="none"
          value={token}
          required
        />
        <Field
          name="password"
          type="password"
          label="New password"
          autocomplete="new-password"
          error={passwordError}
          required
        />
        <div class="kit-actions">
          <button type="submit">Set password</button>
        </div>
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
      const { status, message, code } = failure(e);
      return form(c, status, message, { token: f.str("token", 128).trim(), code });
    }
    return c.redirect("/ui/login?done=enrolled", 303);
  });
}
