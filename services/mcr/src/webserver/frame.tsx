// The page frame of MCR's web UI (the kit's page with MCR's navigation and the sign-out form),
// and the small pieces several pages share: byte sizes, shortened digests, links.
import { CsrfField, type Flash, renderPage } from "@metacircular/mcdsl/web";
import type { Child } from "hono/jsx";

export interface PageContext {
  username: string;
  admin: boolean;
  csrf: string;
  path: string;
  flash?: Flash[];
}

function SignOut(p: { csrf: string; username: string }) {
  return (
    <form method="post" action="/logout" id="sign-out">
      <CsrfField token={p.csrf} />
      <span>{p.username}</span> <button type="submit">Sign out</button>
    </form>
  );
}

export function frame(ctx: PageContext, title: string, body: Child, actions?: Child) {
  const nav = [{ href: "/", label: "Repositories" }];
  if (ctx.admin)
    nav.push({ href: "/policies", label: "Policies" }, { href: "/audit", label: "Audit" });
  return renderPage({
    app: "MCR",
    title,
    nav,
    current: ctx.path,
    navExtra: <SignOut csrf={ctx.csrf} username={ctx.username} />,
    flash: ctx.flash,
    actions,
    color: "#7a4b12",
    children: body,
  });
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** 1536 → "1.5 KiB"; exact bytes stay in the title. */
export function Size(p: { bytes: number }) {
  let v = p.bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${UNITS[u]}`;
  return <span title={`${p.bytes} bytes`}>{text}</span>;
}

/** "sha256:0123456789ab…": the algorithm and 12 hex digits; the whole digest on hover. */
export function shortDigest(digest: string): string {
  const [alg, hex = ""] = digest.split(":");
  return `${alg}:${hex.slice(0, 12)}…`;
}

export function repoHref(name: string): string {
  return `/repository?${new URLSearchParams({ name })}`;
}

export function manifestHref(name: string, ref: string): string {
  return `/manifest?${new URLSearchParams({ name, ref })}`;
}

export function DigestLink(p: { repo: string; digest: string }) {
  return (
    <a href={manifestHref(p.repo, p.digest)} title={p.digest}>
      <code>{shortDigest(p.digest)}</code>
    </a>
  );
}
