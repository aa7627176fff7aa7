// The frame of every Metacrypt page: the kit's layout with Metacrypt's navigation, the signed-in
// user and a sign-out form; and the page a refused request renders (its stable code shown).
import type { AppError } from "@metacircular/mcdsl/errors";
import { CsrfField, type Flash, renderPage } from "@metacircular/mcdsl/web";
import type { Child } from "hono/jsx";

export interface PageContext {
  username: string;
  admin: boolean;
  csrf: string;
  path: string;
  version: string;
}

const COLOR = "#6b3d7a";

const NAV = [
  { href: "/", label: "Status" },
  { href: "/mounts", label: "Mounts" },
  { href: "/certs", label: "Certificates" },
  { href: "/transit", label: "Transit" },
  { href: "/ssh", label: "SSH CA" },
];
const ADMIN_NAV = [
  { href: "/policies", label: "Policies" },
  { href: "/audit", label: "Audit" },
];

function SignOut(p: { csrf: string; username: string }) {
  return (
    <form method="post" action="/logout" id="signout" class="kit-inline">
      <CsrfField token={p.csrf} />
      <span>{p.username}</span>
      <button type="submit" class="kit-secondary">
        Sign out
      </button>
    </form>
  );
}

export function frame(
  ctx: PageContext,
  title: string,
  body: Child,
  extra: { flash?: Flash[]; actions?: Child } = {},
): Promise<string> {
  return renderPage({
    app: "Metacrypt",
    title,
    nav: ctx.admin ? [...NAV, ...ADMIN_NAV] : NAV,
    current: ctx.path,
    navExtra: <SignOut csrf={ctx.csrf} username={ctx.username} />,
    flash: extra.flash,
    actions: extra.actions,
    color: COLOR,
    children: body,
  });
}

/** A page without a session (unseal, errors): brand and a link home only. */
export function plainFrame(title: string, body: Child, flash?: Flash[]): Promise<string> {
  return renderPage({
    app: "Metacrypt",
    title,
    nav: [{ href: "/", label: "Status" }],
    narrow: true,
    flash,
    color: COLOR,
    children: body,
  });
}

export function errorPage(err: AppError): Promise<string> {
  const message = err.status >= 500 && err.status !== 503 ? "internal error" : err.message;
  const sealed = err.code === "sealed";
  return plainFrame(
    sealed ? "Metacrypt is sealed" : "Request refused",
    <p>
      {sealed ? <a href="/unseal">Unseal Metacrypt</a> : <a href="/">Back to the status page</a>}
    </p>,
    [{ kind: "error", id: "error", text: `${message} (${err.code})` }],
  );
}
