// The page frame shared by every UI page: head (stylesheet, htmx from /static, no inline
// script), navigation for the signed-in user, a heading and notices. hono/jsx escapes every
// interpolated value; nothing user-controlled is ever emitted raw.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { isAdminIdentity } from "../server/router.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";

/** htmx settings: no eval, no injected <style> (CSP), and swap error pages too. */
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  historyCacheSize: 0,
  responseHandling: [
    { code: "204", swap: false },
    { code: "...", swap: true },
  ],
});

export interface PageOptions {
  title: string;
  csrf: string;
  me?: TokenIdentity | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  children?: Child;
}

export function Csrf(p: { token: string }) {
  return <input type="hidden" name="_csrf" value={p.token} />;
}

function Nav(p: { me: TokenIdentity; csrf: string }) {
  const admin = isAdminIdentity(p.me);
  return (
    <header>
      <nav aria-label="Main">
        <a href="/ui/">My account</a>
        {admin && <a href="/ui/admin/accounts">Accounts</a>}
        {admin && <a href="/ui/admin/policies">Policies</a>}
        {admin && <a href="/ui/admin/sso-clients">SSO clients</a>}
        {admin && <a href="/ui/admin/audit">Audit</a>}
        <form method="post" action="/ui/logout" class="inline" hx-boost="false">
          <Csrf token={p.csrf} />
          <button type="submit">Sign out ({p.me.username})</button>
        </form>
      </nav>
    </header>
  );
}

export function Layout(p: PageOptions) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${p.title} - MCIAS`}</title>
        <link rel="stylesheet" href="/static/mcias.css" />
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/webauthn.js" defer></script>
        <script src="/static/mcias-ui.js" defer></script>
      </head>
      <body>
        <div id="app" hx-boost="true" hx-headers={JSON.stringify({ "X-CSRF-Token": p.csrf })}>
          {p.me && <Nav me={p.me} csrf={p.csrf} />}
          <main>
            <h1>{p.title}</h1>
            {p.notice && (
              <p role="status" id="notice">
                {p.notice}
              </p>
            )}
            {p.error && (
              <p role="alert" id="error">
                {p.error}
              </p>
            )}
            {p.children}
          </main>
        </div>
      </body>
    </html>
  );
}

/** Renders a full page with the given status. */
export async function page(
  c: Context,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 429,
  opts: PageOptions,
): Promise<Response> {
  const html = await (<Layout {...opts} />);
  return c.html(`<!doctype html>${html}`, status);
}
