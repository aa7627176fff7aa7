// The action forms on an admin's account page: roles, enable/disable, password reset,
// unlock, enrolment link, TOTP removal, system tokens, live tokens with revoke, delete.
import {
  type Column,
  DataTable,
  EmptyState,
  Field,
  Section,
  SelectField,
  Time,
} from "@metacircular/mcdsl/web";
import type { Child } from "hono/jsx";
import type { Account } from "../accounts/accounts.ts";
import type { Core } from "../app.ts";
import { Csrf } from "./layout.tsx";

function Action(p: {
  base: string;
  path: string;
  csrf: string;
  label: string;
  children?: Child;
  id?: string;
  tone?: "secondary" | "danger";
}) {
  return (
    <form method="post" action={`${p.base}/${p.path}`} id={p.id} class="kit-inline">
      <Csrf token={p.csrf} />
      {p.children}
      <button type="submit" class={p.tone ? `kit-${p.tone}` : undefined}>
        {p.label}
      </button>
    </form>
  );
}

interface Key {
  id: string;
  name: string;
  createdAt: number;
}

function Passkeys(p: { core: Core; account: Account; base: string; csrf: string }) {
  const columns: Column<Key>[] = [
    { label: "Name", cell: (k) => k.name, kind: "break" },
    { label: "Added", cell: (k) => <Time at={k.createdAt} />, kind: "nowrap" },
    {
      label: "Action",
      cell: (k) => (
        <Action base={p.base} path="passkeys/remove" csrf={p.csrf} label="Remove" tone="danger">
          <input type="hidden" name="id" value={k.id} />
        </Action>
      ),
    },
  ];
  return (
    <Section id="passkeys" title="Passkeys" card>
      <DataTable
        id="account-passkeys"
        columns={columns}
        rows={p.core.passkeys.list(p.account.id)}
        empty={
          <EmptyState title="No passkeys.">
            The account's owner adds passkeys on their own account page.
          </EmptyState>
        }
      />
    </Section>
  );
}

/** What every section of the account page needs. */
interface SectionProps {
  account: Account;
  base: string;
  csrf: string;
}

function RolesSection({ account: a, base, csrf }: SectionProps) {
  return (
    <Section id="roles" title="Roles" card>
      <Action base={base} path="roles" csrf={csrf} label="Save roles" id="roles-form">
        {(["admin", "user", "guest"] as const).map((role) => (
          <label class="kit-check">
            <input type="checkbox" name="roles" value={role} checked={a.roles.includes(role)} />
            {role}
          </label>
        ))}
      </Action>
    </Section>
  );
}

function AccessSection({ account: a, base, csrf }: SectionProps) {
  return (
    <Section id="state" title="Access" card>
      <div class="kit-actions">
        {a.status === "active" ? (
          <Action base={base} path="disable" csrf={csrf} label="Disable account" tone="danger" />
        ) : (
          <Action base={base} path="enable" csrf={csrf} label="Enable account" />
        )}
        <Action
          base={base}
          path="unlock"
          csrf={csrf}
          label="Clear failed-login lock"
          tone="secondary"
        />
        {a.totpEnabled && (
          <Action base={base} path="totp/delete" csrf={csrf} label="Remove TOTP" tone="danger" />
        )}
      </div>
    </Section>
  );
}

function PasswordSection({ base, csrf }: SectionProps) {
  return (
    <Section id="pw" title="Password" card>
      <div class="kit-grid">
        <Action base={base} path="password" csrf={csrf} label="Reset password">
          <Field
            name="password"
            type="password"
            label="New password"
            autocomplete="new-password"
            required
          />
        </Action>
        <Action
          base={base}
          path="enrolment-link"
          csrf={csrf}
          label="Issue enrolment link"
          tone="secondary"
        >
          <SelectField
            name="ttl_s"
            label="Valid for"
            options={[
              { value: "86400", label: "1 day" },
              { value: "604800", label: "7 days" },
            ]}
          />
        </Action>
      </div>
    </Section>
  );
}

function TokensSection(p: SectionProps & { core: Core }) {
  const { account: a, base, csrf } = p;
  const now = p.core.now();
  const live = p.core.tokens.listFor(a.id).filter((t) => t.revokedAt === null && t.expiresAt > now);
  const tokenColumns: Column<(typeof live)[number]>[] = [
    { label: "Kind", cell: (t) => t.kind },
    { label: "Audience", cell: (t) => t.audience, kind: "break" },
    { label: "Issued", cell: (t) => <Time at={t.issuedAt} />, kind: "nowrap" },
    { label: "Expires", cell: (t) => <Time at={t.expiresAt} />, kind: "nowrap" },
    {
      label: "Action",
      cell: (t) => (
        <Action base={base} path="tokens/revoke" csrf={csrf} label="Revoke" tone="danger">
          <input type="hidden" name="token_id" value={t.jti} />
        </Action>
      ),
    },
  ];
  return (
    <Section id="tokens" title="Live tokens" card>
      {a.type === "system" && a.status === "active" && (
        <Action base={base} path="token" csrf={csrf} label="Issue system token">
          <Field
            name="audience"
            label="Audience (the service name the token is for)"
            required
            autocapitalize="none"
          />
        </Action>
      )}
      <DataTable
        id="account-tokens"
        columns={tokenColumns}
        rows={live}
        empty={
          <EmptyState title="No live tokens.">
            {a.type === "system"
              ? "Issue a system token above for a service to use."
              : "Tokens appear here when the account signs in."}
          </EmptyState>
        }
      />
    </Section>
  );
}

function DeleteSection({ base, csrf }: SectionProps) {
  return (
    <Section id="delete" title="Delete" card>
      <Action base={base} path="delete" csrf={csrf} label="Delete account" tone="danger">
        <label class="kit-check">
          <input type="checkbox" name="confirm" value="yes" required />I am sure
        </label>
      </Action>
    </Section>
  );
}

export function AccountActions(p: { core: Core; account: Account; csrf: string }) {
  const a = p.account;
  const s: SectionProps = {
    account: a,
    base: `/ui/admin/accounts/${encodeURIComponent(a.username)}`,
    csrf: p.csrf,
  };
  return (
    <>
      {a.type === "human" && <RolesSection {...s} />}
      <AccessSection {...s} />
      {a.type === "human" && <PasswordSection {...s} />}
      <TokensSection {...s} core={p.core} />
      {a.type === "human" && <Passkeys core={p.core} account={a} base={s.base} csrf={s.csrf} />}
      <DeleteSection {...s} />
    </>
  );
}
