// The minimal server-rendered SSO login form. Every interpolated value is HTML-escaped.
// Besides username/password it offers "Sign in with a passkey" (username-less): the button is
// revealed and driven by /static/webauthn.js, which fills passkey_challenge/passkey_response
// and submits the same form (see src/auth/form-login.ts). Without JavaScript, or without
// `script-src 'self'; connect-src 'self'` in the page's CSP, the button simply stays hidden.
// Styled by the mcdsl web kit's stylesheet (the same one as the MCIAS web UI).
import { webKitAssets } from "@metacircular/mcdsl/web";

export interface LoginPageParams {
  serviceName: string;
  /** Where the form posts (the authorize endpoint that rendered it). */
  action: string;
  /** Request parameters carried through the form unchanged (client_id, state, PKCE, ...). */
  hidden: Record<string, string>;
  csrf: string;
  username?: string;
  error?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function loginPage(p: LoginPageParams): string {
  const e = escapeHtml;
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${e(name)}" value="${e(value)}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - MCIAS</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${e(webKitAssets().href.css)}"></head>
<body><main class="kit-main kit-narrow">
<h1>Sign in to ${e(p.serviceName)}</h1>
${p.error ? `<p role="alert" id="error">${e(p.error)}</p>` : ""}
<form method="post" action="${e(p.action)}" id="login-form">
${hidden("_csrf", p.csrf)}${hidden("passkey_challenge", "")}${hidden("passkey_response", "")}${Object.entries(
  p.hidden,
)
  .map(([k, v]) => hidden(k, v))
  .join("")}
<label>Username <input name="username" autocomplete="username" required value="${e(p.username ?? "")}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label>TOTP code (if enrolled) <input name="totp_code" inputmode="numeric" autocomplete="one-time-code"></label>
<button type="submit">Sign in</button>
</form>
<section id="passkey" hidden>
<p>or</p>
<button type="button" id="passkey-sign-in">Sign in with a passkey</button>
<p role="alert" id="passkey-error" hidden></p>
</section>
</main>
<script src="/static/webauthn.js" defer></script>
</body></html>`;
}
