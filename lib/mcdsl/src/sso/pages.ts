// Minimal server-rendered pages of the sign-in flow; every interpolated value is escaped.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>${body}</main></body></html>`;
}

export function ssoLoginPage(title: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p><a id="sso-sign-in" href="/sso/redirect">Sign in with MCIAS</a></p>`,
  );
}

export function passwordLoginPage(
  title: string,
  csrf: string,
  p: { username?: string; error?: string } = {},
): string {
  const e = escapeHtml;
  return layout(
    title,
    `<h1>${e(title)}</h1>
${p.error ? `<p role="alert" id="error">${e(p.error)}</p>` : ""}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${e(csrf)}">
<label>Username <input name="username" autocomplete="username" required value="${e(p.username ?? "")}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label>TOTP code (if enrolled) <input name="totp_code" inputmode="numeric" autocomplete="one-time-code"></label>
<button type="submit">Sign in</button>
</form>`,
  );
}
