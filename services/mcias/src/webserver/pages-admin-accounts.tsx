// Admin: the account list with the create form, and one account's page with every action
// (the POST handlers are in admin-account-actions.tsx).
import type { Context } from "hono";
import type { Account, Role } from "../accounts/accounts.ts";
import { createAccount } from "../accounts/admin.ts";
import type { Core } from "../core.ts";
import type { Env, Router } from "../server/router.ts";
import { AccountActions } from "./admin-account-forms.tsx";
import { Csrf, page } from "./layout.tsx";
import { ctx, failure, notice, readForm } from "./ui-forms.ts";

export const accountPath = (username: string) =>
  `/ui/admin/accounts/${encodeURIComponent(username)}`;

function CreateForm(p: { csrf: string }) {
  return (
    <section aria-labelledby="create-h">
      <h2 id="create-h">Create an account</h2>
      <form method="post" action="/ui/admin/accounts">
        <Csrf token={p.csrf} />
        <label>
          Username
          <input name="username" autocapitalize="none" required />
        </label>
        <label>
          Type
          <select name="type">
            <option value="human">human</option>
            <option value="system">system</option>
          </select>
        </label>
        <fieldset>
          <legend>Roles (humans only; none = user)</legend>
          {(["admin", "user", "guest"] as const).map((role) => (
            <label class="check">
              <input type="checkbox" name="roles" value={role} /> {role}
            </label>
          ))}
        </fieldset>
        <label>
          Initial password (optional; or issue an enrolment link later)
          <input name="password" type="password" autocomplete="new-password" />
        </label>
        <button type="submit">Create</button>
      </form>
    </section>
  );
}

function AccountTable(p: { accounts: Account[] }) {
  return (
    <table id="accounts">
      <thead>
        <tr>
          <th scope="col">Username</th>
          <th scope="col">Type</th>
          <th scope="col">Roles</th>
          <th scope="col">Status</th>
          <th scope="col">TOTP</th>
        </tr>
      </thead>
      <tbody>
        {p.accounts.map((a) => (
          <tr>
            <td>
              <a href={accountPath(a.username)}>{a.username}</a>
            </td>
            <td>{a.type}</td>
            <td>{a.roles.join(", ")}</td>
            <td>{a.status}</td>
            <td>{a.totpEnabled ? "yes" : "no"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function renderAccount(
  c: Context<Env>,
  core: Core,
  username: string,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 429 = 200,
  error?: string,
): Promise<Response> {
  const { me, csrf } = ctx(c);
  let a: Account;
  try {
    a = core.accounts.get(username);
  } catch (e) {
    return page(c, 404, { title: "Account", csrf, me, error: failure(e).message });
  }
  return page(c, status, {
    title: `Account ${a.username}`,
    csrf,
    me,
    notice: notice(c),
    error,
    children: (
      <>
        <dl class="facts">
          <dt>Type</dt>
          <dd>{a.type}</dd>
          <dt>Roles</dt>
          <dd id="account-roles">{a.roles.join(", ") || "none"}</dd>
          <dt>Status</dt>
          <dd id="account-status">{a.status}</dd>
          <dt>Password set</dt>
          <dd>{a.hasPassword ? "yes" : "no"}</dd>
          <dt>TOTP</dt>
          <dd>{a.totpEnabled ? "enabled" : "not enabled"}</dd>
        </dl>
        <AccountActions core={core} account={a} csrf={csrf} />
        <p>
          <a href="/ui/admin/accounts">All accounts</a>
        </p>
      </>
    ),
  });
}

export function registerAdminAccountPages(r: Router, core: Core): void {
  const list = (
    c: Context<Env>,
    status: 200 | 400 | 401 | 403 | 404 | 409 | 429,
    error?: string,
  ) => {
    const { me, csrf } = ctx(c);
    return page(c, status, {
      title: "Accounts",
      csrf,
      me,
      notice: notice(c),
      error,
      children: (
        <>
          <AccountTable accounts={core.accounts.list()} />
          <CreateForm csrf={csrf} />
        </>
      ),
    });
  };

  r.add("GET", "/ui/admin/accounts", (c) => list(c, 200));

  r.add("POST", "/ui/admin/accounts", async (c) => {
    const { me } = ctx(c);
    const f = await readForm(c);
    const type = f.str("type") === "system" ? "system" : "human";
    const picked = f.all("roles") as Role[];
    const roles: Role[] = type === "system" ? [] : picked.length ? picked : ["user"];
    const password = f.str("password");
    try {
      const a = await createAccount(core, me.username, {
        username: f.str("username", 256),
        type,
        roles,
        password: password === "" ? undefined : password,
      });
      return c.redirect(`${accountPath(a.username)}?done=account_created`, 303);
    } catch (e) {
      const { status, message } = failure(e);
      return list(c, status, message);
    }
  });

  r.add("GET", "/ui/admin/accounts/:username", (c) =>
    renderAccount(c, core, c.req.param("username") ?? ""),
  );
}
