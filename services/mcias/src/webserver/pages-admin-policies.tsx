// Admin: login policy rules — list (evaluation order), create, edit and delete. The same
// PolicyStore and the same audit events as the REST API.
import type { Context } from "hono";
import type { Core } from "../core.ts";
import type { PolicyRule } from "../policy/policy.ts";
import type { Env, Router } from "../server/router.ts";
import { ruleJson } from "../server/routes-policy-audit.ts";
import { Csrf, page } from "./layout.tsx";
import { ctx, type Form, failure, notice, readForm } from "./ui-forms.ts";

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 429;

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

function ruleInput(f: Form) {
  const priority = f.str("priority", 16).trim();
  return {
    priority: /^\d+$/.test(priority) ? Number(priority) : Number.NaN,
    effect: f.str("effect", 16),
    roles: f.all("roles"),
    account_types: f.all("account_types"),
    service_names: list(f.str("service_names")),
    tags: list(f.str("tags")),
    description: f.str("description", 500),
  };
}

function Checks(p: { name: string; values: readonly string[]; checked: string[] }) {
  return (
    <>
      {p.values.map((v) => (
        <label class="check">
          <input type="checkbox" name={p.name} value={v} checked={p.checked.includes(v)} /> {v}
        </label>
      ))}
    </>
  );
}

function RuleForm(p: { csrf: string; action: string; rule?: PolicyRule; submit: string }) {
  const r = p.rule;
  return (
    <form method="post" action={p.action} id="rule-form">
      <Csrf token={p.csrf} />
      <label>
        Priority (lower is evaluated first)
        <input name="priority" inputmode="numeric" required value={String(r?.priority ?? 100)} />
      </label>
      <label>
        Effect
        <select name="effect">
          <option value="allow" selected={r?.effect !== "deny"}>
            allow
          </option>
          <option value="deny" selected={r?.effect === "deny"}>
            deny
          </option>
        </select>
      </label>
      <fieldset>
        <legend>Roles (any of; none = every role)</legend>
        <Checks name="roles" values={["admin", "user", "guest"]} checked={r?.roles ?? []} />
      </fieldset>
      <fieldset>
        <legend>Account types (none = both)</legend>
        <Checks name="account_types" values={["human", "system"]} checked={r?.accountTypes ?? []} />
      </fieldset>
      <label>
        Services (comma-separated; empty = every service)
        <input name="service_names" value={r?.serviceNames.join(", ") ?? ""} />
      </label>
      <label>
        Tags (comma-separated; all must be present)
        <input name="tags" value={r?.tags.join(", ") ?? ""} />
      </label>
      <label>
        Description
        <input name="description" maxlength={500} value={r?.description ?? ""} />
      </label>
      <button type="submit">{p.submit}</button>
    </form>
  );
}

function RuleTable(p: { rules: PolicyRule[]; csrf: string }) {
  const any = (xs: string[]) => (xs.length ? xs.join(", ") : "any");
  return (
    <table id="rules">
      <thead>
        <tr>
          <th scope="col">Priority</th>
          <th scope="col">Effect</th>
          <th scope="col">Roles</th>
          <th scope="col">Types</th>
          <th scope="col">Services</th>
          <th scope="col">Tags</th>
          <th scope="col">Description</th>
          <th scope="col">
            <span class="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {p.rules.map((r) => (
          <tr id={`rule-${r.id}`}>
            <td>{r.priority}</td>
            <td>{r.effect}</td>
            <td>{any(r.roles)}</td>
            <td>{any(r.accountTypes)}</td>
            <td>{any(r.serviceNames)}</td>
            <td>{r.tags.join(", ")}</td>
            <td>{r.description}</td>
            <td>
              <a href={`/ui/admin/policies/${r.id}`}>Edit</a>
              <form method="post" action={`/ui/admin/policies/${r.id}/delete`} class="inline">
                <Csrf token={p.csrf} />
                <button type="submit">Delete</button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ruleId(c: Context): number {
  const id = Number(c.req.param("id"));
  return Number.isInteger(id) && id > 0 ? id : 0;
}

export function registerAdminPolicyPages(r: Router, core: Core): void {
  const audit = (event: string, actor: string, detail: Record<string, unknown>) =>
    core.audit.append({ event, outcome: "success", actor, detail });

  const listPage = (c: Context<Env>, status: Status, error?: string) => {
    const { me, csrf } = ctx(c);
    return page(c, status, {
      title: "Login policy",
      csrf,
      me,
      notice: notice(c),
      error,
      children: (
        <>
          <p>
            The first matching rule decides; without a match the default applies:{" "}
            <strong id="policy-default">{core.cfg.policy.default}</strong>.
          </p>
          <RuleTable rules={core.policy.list()} csrf={csrf} />
          <h2>Add a rule</h2>
          <RuleForm csrf={csrf} action="/ui/admin/policies" submit="Add rule" />
        </>
      ),
    });
  };

  const editPage = (c: Context<Env>, id: number, status: Status, error?: string) => {
    const { me, csrf } = ctx(c);
    let rule: PolicyRule;
    try {
      rule = core.policy.get(id);
    } catch (e) {
      return page(c, 404, { title: "Rule", csrf, me, error: failure(e).message });
    }
    return page(c, status, {
      title: `Rule ${id}`,
      csrf,
      me,
      error,
      children: (
        <>
          <RuleForm csrf={csrf} action={`/ui/admin/policies/${id}`} rule={rule} submit="Save" />
          <p>
            <a href="/ui/admin/policies">All rules</a>
          </p>
        </>
      ),
    });
  };

  r.add("GET", "/ui/admin/policies", (c) => listPage(c, 200));
  r.add("POST", "/ui/admin/policies", async (c) => {
    try {
      const rule = core.policy.create(ruleInput(await readForm(c)));
      audit("policy_created", ctx(c).me.username, { rule: ruleJson(rule) });
    } catch (e) {
      return listPage(c, failure(e).status, failure(e).message);
    }
    return c.redirect("/ui/admin/policies?done=policy_created", 303);
  });
  r.add("GET", "/ui/admin/policies/:id", (c) => editPage(c, ruleId(c), 200));
  r.add("POST", "/ui/admin/policies/:id", async (c) => {
    const id = ruleId(c);
    try {
      const rule = core.policy.update(id, ruleInput(await readForm(c)));
      audit("policy_updated", ctx(c).me.username, { rule: ruleJson(rule) });
    } catch (e) {
      return editPage(c, id, failure(e).status, failure(e).message);
    }
    return c.redirect("/ui/admin/policies?done=policy_updated", 303);
  });
  r.add("POST", "/ui/admin/policies/:id/delete", (c) => {
    const id = ruleId(c);
    try {
      core.policy.delete(id);
      audit("policy_deleted", ctx(c).me.username, { rule: id });
    } catch (e) {
      return listPage(c, failure(e).status, failure(e).message);
    }
    return c.redirect("/ui/admin/policies?done=policy_deleted", 303);
  });
}
