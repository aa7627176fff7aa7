// The page frame every MCAT page shares: the kit's layout, MCAT's navigation and sign-out, and
// flash messages (MCIAS's refusals are shown here with their stable code).
import { AppError } from "@metacircular/mcdsl/errors";
import type { AppEnv } from "@metacircular/mcdsl/http";
import { CsrfField, type Flash, renderPage } from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import type { Child } from "hono/jsx";

/** Builds a page's context for the request (with flash messages). */
export type PageCtx = (c: Context<AppEnv>, flash?: Flash[]) => PageContext;

export interface PageContext {
  username: string;
  csrf: string;
  path: string;
  /** The hashed URL of MCAT's stylesheet. */
  stylesheet: string;
  flash?: Flash[];
}

const NAV = [
  { href: "/", label: "Policy" },
  { href: "/trace", label: "Trace" },
  { href: "/candidate", label: "Rehearse" },
  { href: "/versions", label: "Versions" },
  { href: "/lint", label: "Lint" },
];

function SignOut(p: { csrf: string; username: string }) {
  return (
    <form method="post" action="/logout" class="mcat-signout">
      <CsrfField token={p.csrf} />
      <span class="mcat-user">{p.username}</span> <button type="submit">Sign out</button>
    </form>
  );
}

export function frame(ctx: PageContext, title: string, body: Child, actions?: Child) {
  return renderPage({
    app: "MCAT",
    title,
    nav: NAV,
    current: ctx.path,
    navExtra: <SignOut csrf={ctx.csrf} username={ctx.username} />,
    flash: ctx.flash,
    actions,
    color: "#6b3d5e",
    styles: [ctx.stylesheet],
    children: body,
  });
}

/** An error as a flash: MCIAS's (or MCAT's) AppError with its code; anything else generic. */
export function errorFlash(e: unknown): Flash {
  if (e instanceof AppError)
    return { kind: "error", text: `${e.message} (${e.code})`, id: "error" };
  throw e;
}
