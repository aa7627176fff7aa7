// Routes of the policies page: list, add (a form translated to the API's rule schema), delete,
// and explain (a GET form: a read).
import { AppError } from "@metacircular/mcdsl/errors";
import { type AppEnv, requireIdentity } from "@metacircular/mcdsl/http";
import type { Context, Hono } from "hono";
import { parseData } from "../engines/parse.ts";
import { ruleSchema } from "../policy/rules.ts";
import { explainBody, toExplain } from "../service/requests.ts";
import { doneFlash } from "./notices.ts";
import { type ExplainQuery, policiesPage } from "./pages-policy.tsx";
import { formFields, type Ui } from "./ui-context.ts";

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

function explainQuery(c: Context<AppEnv>): ExplainQuery {
  const q = (k: string) => (c.req.query(k) ?? "").trim();
  return {
    username: q("username"),
    account_type: q("account_type") || "human",
    roles: q("roles"),
    mount: q("mount"),
    operation: q("operation"),
    names: q("names"),
  };
}

function explain(ui: Ui, c: Context<AppEnv>, q: ExplainQuery) {
  if (!q.username || !q.mount || !q.operation) return undefined;
  const body = parseData(explainBody, {
    subject: { username: q.username, account_type: q.account_type, roles: list(q.roles) },
    mount: q.mount,
    operation: q.operation,
    names: list(q.names),
  });
  return ui.ops.explain(requireIdentity(c), toExplain(body));
}

async function page(c: Context<AppEnv>, ui: Ui): Promise<Response> {
  const q = explainQuery(c);
  const rules = ui.ops.listRules(requireIdentity(c));
  return c.html(
    await policiesPage(ui.ctx(c), { rules, q, decision: explain(ui, c, q), flash: doneFlash(c) }),
  );
}

async function addRule(c: Context<AppEnv>, ui: Ui): Promise<Response> {
  const f = await formFields(c);
  const raw = {
    id: f("id"),
    priority: Number(f("priority") || "100"),
    effect: f("effect"),
    subject: f("subject"),
    mount: f("mount") || "*",
    operations: list(f("operations") || "*"),
    ...(list(f("names")).length ? { names: list(f("names")) } : {}),
  };
  try {
    ui.ops.putRule(requireIdentity(c), parseData(ruleSchema, raw));
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500) throw e;
    const values = Object.fromEntries(
      ["id", "priority", "effect", "subject", "mount", "operations", "names"].map((k) => [k, f(k)]),
    );
    const rules = ui.ops.listRules(requireIdentity(c));
    const html = await policiesPage(ui.ctx(c), {
      rules,
      q: explainQuery(c),
      add: { values, errors: {} },
      flash: [{ kind: "error", id: "error", text: `${e.message} (${e.code})` }],
    });
    return c.html(html, e.status as 400);
  }
  return c.redirect("/policies?done=rule-added", 303);
}

export function registerPolicyPages(app: Hono<AppEnv>, ui: Ui): void {
  app.get("/policies", (c) => page(c, ui));
  app.post("/policies", (c) => addRule(c, ui));
  app.post("/policies/:id/delete", (c) => {
    ui.ops.deleteRule(requireIdentity(c), c.req.param("id"));
    return c.redirect("/policies?done=rule-deleted", 303);
  });
}
