import { join } from "node:path";
import { csrfProtection } from "@metacircular/mcdsl/csrf";
import { type AppEnv, requireIdentity } from "@metacircular/mcdsl/http";
import type { SessionStore } from "@metacircular/mcdsl/session";
import type { SsoSession } from "@metacircular/mcdsl/sso";
import { KIT_ROUTE, serviceStylesheet, webKitAssets } from "@metacircular/mcdsl/web";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { Documents } from "../documents/documents.ts";
import { PACKAGE_ROOT } from "../package-root.ts";
import { listQuery } from "../server/routes.ts";
import { type PageContext, queuePage, readerPage } from "./pages.tsx";
import { readerPart } from "./parts.ts";

export interface UiOptions {
  docs: Documents;
  session: SessionStore<SsoSession>;
  csrfKey: Buffer;
  secure: boolean;
}

/** Paths whose pages carry CSRF tokens (forms) and must verify them on POST. */
export function isCsrfPath(path: string): boolean {
  return path === "/" || path === "/logout" || path.startsWith("/d/");
}

export function registerUi(app: Hono<AppEnv>, o: UiOptions): void {
  const kit = webKitAssets();
  const css = serviceStylesheet(join(PACKAGE_ROOT, "src/webserver/static/mcq.css"), "mcq");
  const csrf = csrfProtection({
    key: o.csrfKey,
    sessionId: (c) => o.session.get(c)?.token,
    secure: o.secure,
  }) as unknown as MiddlewareHandler<AppEnv>;
  app.use(async (c, next) => (isCsrfPath(c.req.path) ? csrf(c, next) : next()));

  const ctx = (c: Context<AppEnv>): PageContext => ({
    username: requireIdentity(c).username,
    csrf: (c as unknown as Context<{ Variables: { csrfToken: string } }>).get("csrfToken"),
    path: c.req.path,
    stylesheet: css.href,
  });

  app.get(KIT_ROUTE, (c) => kit.serve(c.req.param("file")) ?? c.notFound());
  app.get("/static/:file", (c) => css.serve(c.req.param("file")) ?? c.notFound());
  app.get("/", async (c) => {
    const q = listQuery(c);
    const docs = o.docs.list(requireIdentity(c), q);
    return c.html(await queuePage(ctx(c), docs, { ...q, unread: q.unread }));
  });
  app.get("/d/:slug", async (c) => {
    const id = requireIdentity(c);
    const doc = o.docs.get(id, c.req.param("slug"));
    const changes = await o.docs.changes(id, doc.slug);
    const part = readerPart(doc.html, c.req.query("part"));
    return c.html(await readerPage(ctx(c), doc, changes, part));
  });
  app.post("/d/:slug/read", (c) => {
    const d = o.docs.markRead(requireIdentity(c), c.req.param("slug"));
    return c.redirect(`/d/${d.slug}`, 303);
  });
  app.post("/d/:slug/unread", (c) => {
    const d = o.docs.markUnread(requireIdentity(c), c.req.param("slug"));
    return c.redirect(`/d/${d.slug}`, 303);
  });
  app.post("/logout", (c) => {
    o.session.clear(c);
    return c.redirect("/login", 303);
  });
}
