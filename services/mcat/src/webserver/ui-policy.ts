// The tester's pages: each GET renders what MCIAS answers; each POST is one PolicyAdmin call
// whose refusal (MCIAS's AppError) is rendered on the same page as a flash with its code.
import type { AppEnv } from "@metacircular/mcdsl/http";
import type { Context, Hono } from "hono";
import { candidateText, parseCandidateText } from "../policy/candidate-text.ts";
import type { Acting, PolicyAdmin } from "../policy/policy-admin.ts";
import type { DryRunAnswer, LintAnswer } from "../policy/types.ts";
import { errorFlash, type PageCtx } from "./frame.tsx";
import { type CandidateForm, candidatePage } from "./pages-candidate.tsx";
import { homePage, lintPage, versionPage, versionsPage } from "./pages-policy.tsx";
import { type TraceForm, tracePage } from "./pages-trace.tsx";

/** The signed-in administrator's token (the access map already checked it). */
export type ActingFor = (c: Context<AppEnv>) => Acting;

type C = Context<AppEnv>;

async function form(c: C): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

const tagList = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

function registerTrace(app: Hono<AppEnv>, policy: PolicyAdmin, ctx: PageCtx, as: ActingFor): void {
  app.get("/trace", async (c) => c.html(await tracePage(ctx(c), {})));
  app.post("/trace", async (c) => {
    const f = await form(c);
    const shown: TraceForm = { username: f.username, service_name: f.service_name, tags: f.tags };
    try {
      const t = await policy.trace(as(c), {
        username: f.username ?? "",
        ...(f.password ? { password: f.password } : {}),
        service_name: f.service_name ?? "",
        tags: tagList(f.tags),
      });
      return c.html(await tracePage(ctx(c), shown, t));
    } catch (e) {
      return c.html(await tracePage(ctx(c, [errorFlash(e)]), shown), 400);
    }
  });
}

async function rehearse(policy: PolicyAdmin, u: Acting, f: CandidateForm, action: string) {
  const rules = parseCandidateText(f.rules);
  const limit = Number(f.limit);
  if (action === "apply")
    return { applied: await policy.apply(u, rules, f.comment, f.baseVersion) };
  const out: { dryRun?: DryRunAnswer; lint?: LintAnswer } = {};
  if (action === "dry-run") out.dryRun = await policy.dryRun(u, rules, limit);
  out.lint = await policy.lint(u, rules);
  return out;
}

function registerCandidate(
  app: Hono<AppEnv>,
  policy: PolicyAdmin,
  ctx: PageCtx,
  as: ActingFor,
): void {
  app.get("/candidate", async (c) => {
    const [live, versions] = await Promise.all([policy.live(as(c)), policy.versions(as(c))]);
    const f = {
      rules: candidateText(live.rules),
      limit: "1000",
      comment: "",
      baseVersion: versions.current,
    };
    return c.html(await candidatePage(ctx(c), f));
  });
  app.post("/candidate", async (c) => {
    const b = await form(c);
    const f: CandidateForm = {
      rules: b.rules ?? "",
      limit: b.limit || "1000",
      comment: b.comment ?? "",
      baseVersion: Number(b.base_version) || 0,
    };
    try {
      const r = await rehearse(policy, as(c), f, b.action ?? "dry-run");
      if ("applied" in r) return c.redirect(`/versions?applied=${r.applied.version}`, 303);
      return c.html(await candidatePage(ctx(c), f, r));
    } catch (e) {
      return c.html(await candidatePage(ctx(c, [errorFlash(e)]), f), 400);
    }
  });
}

function registerVersions(
  app: Hono<AppEnv>,
  policy: PolicyAdmin,
  ctx: PageCtx,
  as: ActingFor,
): void {
  app.get("/versions", async (c) => {
    const applied = Number(c.req.query("applied"));
    const rolled = Number(c.req.query("restored"));
    const flash = applied
      ? [{ kind: "ok" as const, text: `Applied as version ${applied}.`, id: "applied" }]
      : rolled
        ? [{ kind: "ok" as const, text: `Rolled back: version ${rolled} is live.`, id: "restored" }]
        : undefined;
    return c.html(await versionsPage(ctx(c, flash), await policy.versions(as(c))));
  });
  app.get("/versions/:version", async (c) => {
    const [v, list] = await Promise.all([
      policy.version(as(c), Number(c.req.param("version"))),
      policy.versions(as(c)),
    ]);
    return c.html(await versionPage(ctx(c), v, list.current));
  });
  app.post("/versions/:version/rollback", async (c) => {
    try {
      const v = await policy.rollback(as(c), Number(c.req.param("version")));
      return c.redirect(`/versions?restored=${v.version}`, 303);
    } catch (e) {
      const list = await policy.versions(as(c));
      return c.html(await versionsPage(ctx(c, [errorFlash(e)]), list), 400);
    }
  });
}

export function registerPolicyPages(
  app: Hono<AppEnv>,
  policy: PolicyAdmin,
  ctx: PageCtx,
  as: ActingFor,
): void {
  app.get("/", async (c) => {
    const [live, versions] = await Promise.all([policy.live(as(c)), policy.versions(as(c))]);
    return c.html(await homePage(ctx(c), live, versions.current));
  });
  registerTrace(app, policy, ctx, as);
  registerCandidate(app, policy, ctx, as);
  registerVersions(app, policy, ctx, as);
  app.get("/lint", async (c) => c.html(await lintPage(ctx(c), await policy.lint(as(c)))));
}
