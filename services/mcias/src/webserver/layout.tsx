// The page frame shared by every UI page, built on the mcdsl web kit: the kit's stylesheet,
// htmx and script from /_kit/, MCIAS's own scripts from /static (no inline script), the
// navigation for the signed-in user (a menu on a phone), the heading and the flash messages.
// hono/jsx escapes every interpolated value; nothing user-controlled is ever emitted raw.
import { type Flash, type NavItem, renderPage } from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { isAdminIdentity } from "../auth/caller.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";

export { CsrfField as Csrf } from "@metacircular/mcdsl/web";

export interface PageOptions {
  title: string;
  csrf: string;
  me?: TokenIdentity | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  /** Content beside the heading (a primary action). */
  actions?: Child;
  children?: Child;
}

function nav(me: TokenIdentity): NavItem[] {
  const items: NavItem[] = [{ href: "/ui/", label: "My account" }];
  if (isAdminIdentity(me))
    items.push(
      { href: "/ui/admin/accounts", label: "Accounts" },
      { href: "/ui/admin/policies", label: "Policies" },
      { href: "/ui/admin/sso-clients", label: "SSO clients" },
      { href: "/ui/admin/audit", label: "Audit" },
    );
  return items;
}

function SignOut(p: { me: TokenIdentity; csrf: string }) {
  return (
    <form method="post" action="/ui/logout" hx-boost="false">
      <input type="hidden" name="_csrf" value={p.csrf} />
      <button type="submit" class="kit-secondary">
        Sign out ({p.me.username})
      </button>
    </form>
  );
}

/** Renders a full page with the given status. */
export async function page(
  c: Context,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 429,
  opts: PageOptions,
): Promise<Response> {
  const flash: Flash[] = [];
  if (opts.notice) flash.push({ kind: "ok", text: opts.notice, id: "notice" });
  if (opts.error) flash.push({ kind: "error", text: opts.error, id: "error" });
  const html = await renderPage({
    app: "MCIAS",
    title: opts.title,
    home: "/ui/",
    nav: opts.me ? nav(opts.me) : undefined,
    current: c.req.path,
    navExtra: opts.me ? <SignOut me={opts.me} csrf={opts.csrf} /> : undefined,
    flash,
    actions: opts.actions,
    narrow: !opts.me,
    color: "#0b57d0",
    scripts: ["/static/webauthn.js", "/static/mcias-ui.js"],
    appAttrs: { "hx-boost": "true", "hx-headers": JSON.stringify({ "X-CSRF-Token": opts.csrf }) },
    children: opts.children,
  });
  return c.html(html, status);
}
