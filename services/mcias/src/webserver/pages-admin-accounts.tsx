// Admin: the account list with the create form, and one account's page with every action
// (the POST handlers are in admin-account-actions.tsx).
import {
  Badge,
  CheckboxGroup,
  type Column,
  DataTable,
  EmptyState,
  Facts,
  Field,
  type FieldErrors,
  type FormValues,
  formValue,
  formValues,
  Section,
  SelectField,
} from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import type { Account } from "../accounts/accounts.ts";
import { createAccount } from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import type { Env, Router } from "../server/router.ts";
import { AccountActions } from "./admin-account-forms.tsx";
import { Csrf, page } from "./layout.tsx";
import { ctx, failure, fieldErrors, notice, readForm } from "./ui-forms.ts";

export const accountPath = (username: string) =>
  `/ui/admin/accounts/${encodeURIComponent(username)}`;

const ROLE_OPTIONS = (["admin", "user", "guest"] as const).map((r) => ({ value: r, label: r }));

/** The create form; after a refusal it shows what was typed (never the password). */
function CreateForm(p: { csrf: string; values?: FormValues; errors?: FieldErrors }) {
  const v = p.values;
  return (
    <Section id="create" title="Create an account" card>
      <form method="post" action="/ui/admin/accounts" class="kit-form">
        <Csrf token={p.csrf} />
        <Field
          name="username"
          label="Username"
          value={formValue(v, "username")}
          error={p.errors?.username}
          autocapitalize="none"
          required
        />
        <SelectField
          name="type"
          label="Type"
          value={formValue(v, "type")}
          options={[
            { value: "human", label: "human" },
            { value: "system", label: "system" },
          ]}
        />
        <CheckboxGroup
          name="roles"
          label="Roles (humans only; none = user)"
          options={ROLE_OPTIONS}
          values={formValues(v, "roles")}
          error={p.errors?.roles}
        />
        <Field
          name="password"
          type="password"
          label="Initial password (optional; or issue an enrolment link later)"
          autocomplete="new-password"
          error={p.errors?.password}
        />
        <div class="kit-actions">
          <button type="submit">Create</button>
        </div>
      </form>
    </Section>
  );
}

const statusTone = (s: string) => (s === "active" ? "ok" : s === "disabled" ? "bad" : "neutral");

const ACCOUNT_COLUMNS: Column<Account>[] = [
  {
    label: "Username",
    cell: (a) => <a href={accountPath(a.username)}>{a.username}</a>,
    kind: "break",
  },
  { label: "Type", cell: (a) => a.type },
  { label: "Roles", cell: (a) => a.roles.join(", ") || "none" },
  { label: "Status", cell: (a) => <Badge tone={statusTone(a.status)}>{a.status}</Badge> },
  { label: "TOTP", cell: (a) => (a.totpEnabled ? "yes" : "no") },
];

function AccountTable(p: { accounts: Account[] }) {
  return (
    <DataTable
      id="accounts"
      columns={ACCOUNT_COLUMNS}
      rows={p.accounts}
      empty={
        <EmptyState
          title="No accounts yet."
          action={
            <a class="kit-button kit-secondary" href="#create">
              Create an account
            </a>
          }
        />
      }
    />
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
        <Facts
          items={[
            { label: "Type", value: a.type },
            { label: "Roles", value: a.roles.join(", ") || "none", id: "account-roles" },
            { label: "Status", value: a.status, id: "account-status" },
            { label: "Password set", value: a.hasPassword ? "yes" : "no" },
            { label: "TOTP", value: a.totpEnabled ? "enabled" : "not enabled" },
          ]}
        />
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
    form?: { values: FormValues; errors: FieldErrors },
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
          <CreateForm csrf={csrf} values={form?.values} errors={form?.errors} />
        </>
      ),
    });
  };

  r.add("GET", "/ui/admin/accounts", (c) => list(c, 200));

  r.add("POST", "/ui/admin/accounts", async (c) => {
    const { me } = ctx(c);
    const f = await readForm(c);
    const type = f.str("type") === "system" ? "system" : "human";
    // The form's role boxes apply to humans only; none ticked gets the domain's default.
    const roles = type === "system" ? [] : f.all("roles");
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
      const refused = failure(e);
      const errors = fieldErrors(refused);
      const values = { username: f.str("username", 256), type, roles: f.all("roles") };
      const message = Object.keys(errors).length ? "The account was not created." : refused.message;
      return list(c, refused.status, message, { values, errors });
    }
  });

  r.add("GET", "/ui/admin/accounts/:username", (c) =>
    renderAccount(c, core, c.req.param("username") ?? ""),
  );
}
