// The web UI's routes: each one reads the form or query, calls one RegistryAdmin use case with
// the signed-in identity, and renders a page or redirects (303) back with a notice. Access is
// the access map's (access.ts) and the policy's (inside RegistryAdmin); CSRF is checked by the
// middleware in web-app.ts before any of these run.
import type { AppEnv } from "@metacircular/mcdsl/http";
import { requireIdentity } from "@metacircular/mcdsl/http";
import { isAdmin } from "@metacircular/mcdsl/identity";
import type { Flash } from "@metacircular/mcdsl/web";
import type { Context, Hono } from "hono";
import { ruleInput } from "../policy/policy-store.ts";
import type { RegistryAdmin } from "../registry/admin-ops.ts";
import { parseId } from "../server/routes.ts";
import { auditPage, policiesPage } from "./admin-pages.tsx";
import type { PageContext } from "./frame.tsx";
import { repoHref } from "./frame.tsx";
import { manifestPage, repositoriesPage, repositoryPage } from "./repository-pages.tsx";

export const AUDIT_PAGE = 50;

/** Notices a redirect may ask for (a fixed set: nothing from the query is echoed). */
const NOTICES: Record<string, string> = {
  "tag-deleted": "Tag deleted.",
  "manifest-deleted": "Manifest and its tags deleted.",
  "rule-added": "Rule added.",
  "rule-deleted": "Rule deleted.",
};

function pageContext(c: Context<AppEnv>): PageContext {
  const id = requireIdentity(c);
  const notice = NOTICES[c.req.query("done") ?? ""];
  const flash: Flash[] = notice ? [{ kind: "ok", text: notice, id: "notice" }] : [];
  return {
    username: id.username,
    admin: isAdmin(id),
    csrf: (c as unknown as Context<{ Variables: { csrfToken: string } }>).get("csrfToken"),
    path: c.req.path,
    flash,
  };
}

async function form(c: Context<AppEnv>): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === "string");
  }
  return out;
}

const one = (f: Record<string, string | string[]>, k: string) => {
  const v = f[k];
  return typeof v === "string" ? v : (v?.[0] ?? "");
};
const many = (f: Record<string, string | string[]>, k: string) => {
  const v = f[k];
  return v === undefined ? [] : typeof v === "string" ? [v] : v;
};

const withDone = (href: string, done: string) =>
  `${href}${href.includes("?") ? "&" : "?"}done=${done}`;

function registerBrowsing(app: Hono<AppEnv>, admin: RegistryAdmin): void {
  app.get("/", async (c) =>
    c.html(await repositoriesPage(pageContext(c), admin.repositories(requireIdentity(c)))),
  );
  app.get("/repository", async (c) => {
    const who = requireIdentity(c);
    const name = c.req.query("name") ?? "";
    const page = {
      name,
      tags: admin.tags(who, name),
      manifests: admin.manifests(who, name),
      mayDelete: admin.may(who, name, "delete"),
    };
    return c.html(await repositoryPage(pageContext(c), page));
  });
  app.get("/manifest", async (c) => {
    const name = c.req.query("name") ?? "";
    const m = admin.manifest(requireIdentity(c), name, c.req.query("ref") ?? "");
    return c.html(await manifestPage(pageContext(c), name, m));
  });
  app.post("/repository/delete-tag", async (c) => {
    const f = await form(c);
    admin.deleteTag(requireIdentity(c), one(f, "name"), one(f, "tag"));
    return c.redirect(withDone(repoHref(one(f, "name")), "tag-deleted"), 303);
  });
  app.post("/repository/delete-manifest", async (c) => {
    const f = await form(c);
    admin.deleteManifest(requireIdentity(c), one(f, "name"), one(f, "digest"));
    return c.redirect(withDone(repoHref(one(f, "name")), "manifest-deleted"), 303);
  });
}

function registerAdmin(app: Hono<AppEnv>, admin: RegistryAdmin): void {
  app.get("/policies", async (c) =>
    c.html(await policiesPage(pageContext(c), admin.policies(requireIdentity(c)))),
  );
  app.post("/policies", async (c) => {
    const f = await form(c);
    const parsed = ruleInput.safeParse({
      priority: /^\d+$/.test(one(f, "priority")) ? Number(one(f, "priority")) : one(f, "priority"),
      repository: one(f, "repository"),
      subject_kind: one(f, "subject_kind"),
      subject: one(f, "subject"),
      actions: many(f, "actions"),
      effect: one(f, "effect"),
    });
    const who = requireIdentity(c);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      const page = await policiesPage(pageContext(c), admin.policies(who), { values: f, errors });
      return c.html(page, 400);
    }
    admin.addPolicy(who, parsed.data);
    return c.redirect("/policies?done=rule-added", 303);
  });
  app.post("/policies/:id/delete", (c) => {
    admin.deletePolicy(requireIdentity(c), parseId(c.req.param("id"), "policy id")!);
    return c.redirect("/policies?done=rule-deleted", 303);
  });
  app.get("/audit", async (c) => {
    const f = {
      action: c.req.query("action") || undefined,
      repository: c.req.query("repository") || undefined,
    };
    const before = parseId(c.req.query("before"), "before");
    const rows = admin.audit(requireIdentity(c), { ...f, before, limit: AUDIT_PAGE + 1 });
    const entries = rows.slice(0, AUDIT_PAGE);
    const next = rows.length > AUDIT_PAGE ? entries[entries.length - 1]?.id : undefined;
    return c.html(
      await auditPage(pageContext(c), entries, f, { paged: before !== undefined, next }),
    );
  });
}

export function registerUiRoutes(app: Hono<AppEnv>, admin: RegistryAdmin): void {
  registerBrowsing(app, admin);
  registerAdmin(app, admin);
}
