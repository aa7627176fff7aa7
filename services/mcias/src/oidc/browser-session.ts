// The OpenID Connect provider's browser session: after a sign-in on the authorization form,
// MCIAS remembers the user in an HttpOnly cookie (Path=/oauth2/; Secure and SameSite=None over
// https, SameSite=Lax on plain-http loopback installations), so later authorization requests —
// from this client or another — are answered without the form (single sign-on) and
// `prompt=none` can succeed. The cookie holds an MCIAS login token for the reserved audience
// SESSION_AUDIENCE: it is recorded and revocable like every token (it shows among the user's
// active sessions; logout, password resets, disabling and admin revocation end it) and is good
// for nothing but this cookie. Its tokens live browser_sessions.idle_s and slide while the
// session is used, never beyond browser_sessions.max_s after the sign-in.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Account } from "../accounts/accounts.ts";
import type { Core } from "../app.ts";
import { SlidingSessions } from "../auth/sliding-session.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";

/** Not a service name any login can ask for: the service context is the client's. */
export const SESSION_AUDIENCE = "mcias:oidc-browser-session";
export const SESSION_COOKIE = "mcias_oidc_session";
const COOKIE_PATH = "/oauth2/";

const secure = (c: Context) => new URL(c.req.url).protocol === "https:";

export class OidcBrowserSessions {
  private readonly sliding: SlidingSessions;

  constructor(private readonly core: Core) {
    this.sliding = new SlidingSessions(core, {
      audience: SESSION_AUDIENCE,
      ttlMs: core.cfg.browser_sessions.idle_s * 1000,
      maxAgeMs: core.cfg.browser_sessions.max_s * 1000,
      via: "oidc_browser_session",
    });
  }

  /** The session this browser presents, renewed when due; undefined (cookie dropped) if none. */
  current(c: Context): TokenIdentity | undefined {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token) return undefined;
    const r = this.core.tokens.validate(token);
    if (!r.valid || r.identity.kind !== "login" || r.identity.audience !== SESSION_AUDIENCE) {
      this.dropCookie(c);
      return undefined;
    }
    const renewed = this.sliding.touch(r.identity);
    if (!renewed) return r.identity;
    this.setCookie(c, renewed.token, renewed.expiresAt);
    const next = this.core.tokens.validate(renewed.token);
    return next.valid ? next.identity : r.identity;
  }

  /** Starts a session after a sign-in on the authorization form; returns its token id. */
  start(c: Context, account: Account, authTime: number): string {
    const previous = this.current(c);
    if (previous) this.sliding.end(previous, "superseded");
    const ttl = Math.min(
      this.core.cfg.browser_sessions.idle_s,
      this.core.cfg.browser_sessions.max_s,
    );
    const issued = this.core.tokens.issue(account, "login", SESSION_AUDIENCE, ttl * 1000, {
      authTime,
    });
    this.setCookie(c, issued.token, issued.expiresAt);
    return issued.jti;
  }

  /** Ends the browser's session (RP-initiated logout): revoked, cookie dropped. */
  end(c: Context, id: TokenIdentity): void {
    this.sliding.end(id, "logout");
    this.dropCookie(c);
  }

  private setCookie(c: Context, token: string, expiresAt: number): void {
    // Over https SameSite=None, as OPs do: a relying party may send the browser to the logout
    // endpoint with a cross-site POST. Browsers refuse None without Secure, so plain-http
    // (loopback) installations get Lax, which still covers top-level GET redirects.
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      secure: secure(c),
      sameSite: secure(c) ? "None" : "Lax",
      path: COOKIE_PATH,
      maxAge: Math.max(1, Math.floor((expiresAt - this.core.now()) / 1000)),
    });
  }

  private dropCookie(c: Context): void {
    deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: secure(c) });
  }
}
