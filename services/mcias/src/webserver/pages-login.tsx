// Sign-in and sign-out: GET/POST /ui/login (password + optional TOTP through formLogin, the
// one login entry point for HTML forms), POST /ui/logout, and the redirects / → /ui/.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import { deviceCookie, setDeviceCookie } from "../auth/device-cookie.ts";
import { FORM_ERRORS, formLogin } from "../auth/form-login.ts";
import { clientIp } from "../server/request.ts";
import type { Router } from "../server/router.ts";
import { Csrf, page } from "./layout.tsx";
import { ctx, notice, readForm } from "./ui-forms.ts";
import { safeNext } from "./ui-guard.ts";
import { signOut, startSession, UI_SERVICE } from "./ui-session.ts";

/** Full page loads (hx-boost off) so /static/webauthn.js sets up the passkey button. */
function LoginForm(p: { csrf: string; next: string; username: string }) {
  return (
    <>
      <form method="post" action="/ui/login" id="login-form" hx-boost="false">
        <Csrf token={p.csrf} />
        <input type="hidden" name="next" value={p.next} />
        <input type="hidden" name="passkey_challenge" value="" />
        <input type="hidden" name="passkey_response" value="" />
        <label>
          Username
          <input
            name="username"
            autocomplete="username webauthn"
            autocapitalize="none"
            required
            value={p.username}
          />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <label>
          TOTP code or recovery code (if enrolled)
          <input name="totp_code" inputmode="numeric" autocomplete="one-time-code" />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <section id="passkey" aria-labelledby="passkey-h" hidden>
        <h2 id="passkey-h">Or use a passkey</h2>
        <button type="button" id="passkey-sign-in">
          Sign in with a passkey
        </button>
        <p role="alert" id="passkey-error" hidden></p>
      </section>
    </>
  );
}

export function registerLoginPages(r: Router, core: Core): void {
  r.add("GET", "/", (c) => c.redirect("/ui/", 303));
  r.add("GET", "/ui", (c) => c.redirect("/ui/", 303));

  r.add("GET", "/ui/login", (c) => {
    if (c.get("caller")) return c.redirect(safeNext(c.req.query("next")), 303);
    // Reached through an htmx-boosted request (an expired session): load it as a full page,
    // so /static/webauthn.js can set up the passkey button.
    if (c.req.header("hx-request")) {
      const url = new URL(c.req.url);
      c.header("hx-redirect", url.pathname + url.search);
      return c.body(null, 200);
    }
    const csrf = c.get("csrfToken") ?? "";
    return page(c, 200, {
      title: "Sign in",
      csrf,
      notice: notice(c),
      children: <LoginForm csrf={csrf} next={safeNext(c.req.query("next"))} username="" />,
    });
  });

  r.add("POST", "/ui/login", async (c) => {
    const form = await readForm(c);
    const next = safeNext(form.str("next"));
    const field = (name: string) => form.str(name, 65_536);
    try {
      const res = await formLogin(core, field, {
        serviceName: UI_SERVICE,
        tags: [],
        ip: clientIp(c, core.cfg.trusted_proxies),
        deviceToken: deviceCookie(c),
      });
      startSession(c, res.token, res.expiresAt, core.now());
      setDeviceCookie(c, res.deviceToken, core.cfg.protection.device_ttl_days);
      return c.redirect(next, 303);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      if (e.retryAfter) c.header("retry-after", String(e.retryAfter));
      const status = e.status === 429 ? 429 : e.status === 403 ? 403 : 401;
      const csrf = c.get("csrfToken") ?? "";
      return page(c, status, {
        title: "Sign in",
        csrf,
        error: FORM_ERRORS[e.code] ?? "Sign-in failed.",
        children: <LoginForm csrf={csrf} next={next} username={form.str("username", 256)} />,
      });
    }
  });

  r.add("POST", "/ui/logout", (c) => {
    const { me } = ctx(c);
    core.audit.append({
      event: "logout",
      outcome: "success",
      actor: me.username,
      subject: me.username,
      ip: clientIp(c, core.cfg.trusted_proxies),
      detail: { jti: me.tokenId, via: "web_ui" },
    });
    signOut(core, c, me, "logout");
    return c.redirect("/ui/login?done=signed_out", 303);
  });
}
