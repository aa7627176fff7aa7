// The minimal server-rendered SSO login form. Every interpolated value is HTML-escaped.

export interface LoginPageParams {
  serviceName: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
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
    `<input type="hidden" name="${name}" value="${e(value)}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - MCIAS</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>
<h1>Sign in to ${e(p.serviceName)}</h1>
${p.error ? `<p role="alert" id="error">${e(p.error)}</p>` : ""}
<form method="post" action="/sso/authorize">
${hidden("_csrf", p.csrf)}${hidden("client_id", p.clientId)}${hidden("redirect_uri", p.redirectUri)}
${hidden("state", p.state)}${hidden("code_challenge", p.codeChallenge)}${hidden("code_challenge_method", "S256")}
<label>Username <input name="username" autocomplete="username" required value="${e(p.username ?? "")}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label>TOTP code (if enrolled) <input name="totp_code" inputmode="numeric" autocomplete="one-time-code"></label>
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}
