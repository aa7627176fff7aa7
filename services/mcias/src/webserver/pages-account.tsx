// "My account" (GET /ui/): the signed-in user's details, password change, the TOTP and
// passkey sections, and their active login sessions (login tokens) with revoke.
import {
  type Column,
  DataTable,
  EmptyState,
  Facts,
  Field,
  Section,
  Time,
} from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { changeOwnPassword } from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import type { Env, Router } from "../server/router.ts";
import { revokeTokenOf } from "../tokens/admin.ts";
import { Csrf, page } from "./layout.tsx";
import { ctx, failure, notice, readForm } from "./ui-forms.ts";
import { signOut } from "./ui-session.ts";

/** Sections other modules contribute to the account page (TOTP, passkeys). */
export type AccountSection = (c: Context<Env>) => Child | Promise<Child>;

function PasswordForm(p: { csrf: string }) {
  return (
    <Section id="pw" title="Password" card>
      <form method="post" action="/ui/password" class="kit-form">
        <Csrf token={p.csrf} />
        <Field
          name="current_password"
          type="password"
          label="Current password"
          autocomplete="current-password"
          required
        />
        <Field
          name="new_password"
          type="password"
          label="New password"
          autocomplete="new-password"
          required
        />
        <div class="kit-actions">
          <button type="submit">Change password</button>
        </div>
      </form>
    </Section>
  );
}

function Sessions(p: { core: Core; c: Context<Env> }) {
  const { me, csrf } = ctx(p.c);
  const now = p.core.now();
  const live = p.core.tokens
    .listFor(me.accountId)
    .filter((t) => t.kind === "login" && t.revokedAt === null && t.expiresAt > now);
  const columns: Column<(typeof live)[number]>[] = [
    {
      label: "Service",
      cell: (t) => (
        <>
          {t.audience}
          {t.jti === me.tokenId && <span class="kit-muted"> (this browser)</span>}
        </>
      ),
    },
    { label: "Signed in", cell: (t) => <Time at={t.issuedAt} />, kind: "nowrap" },
    { label: "Expires", cell: (t) => <Time at={t.expiresAt} />, kind: "nowrap" },
    {
      label: "Action",
      cell: (t) => (
        <form method="post" action="/ui/sessions/revoke">
          <Csrf token={csrf} />
          <input type="hidden" name="token_id" value={t.jti} />
          <button type="submit" class="kit-danger">
            Revoke
          </button>
        </form>
      ),
    },
  ];
  return (
    <Section id="active-sessions" title="Active sessions" card>
      <DataTable
        id="sessions"
        columns={columns}
        rows={live}
        empty={<EmptyState title="No active sessions." />}
      />
    </Section>
  );
}

export function registerAccountPages(r: Router, core: Core, sections: AccountSection[]): void {
  const render = async (c: Context<Env>, status: 200 | 400 | 401, error?: string) => {
    const { me, csrf } = ctx(c);
    const account = core.accounts.get(me.username);
    const extra = await Promise.all(sections.map((s) => s(c)));
    return page(c, status, {
      title: "My account",
      csrf,
      me,
      notice: notice(c),
      error,
      children: (
        <>
          <Facts
            items={[
              { label: "Username", value: account.username, id: "me-username" },
              { label: "Roles", value: account.roles.join(", ") || "none" },
            ]}
          />
          <PasswordForm csrf={csrf} />
          {extra}
          <Sessions core={core} c={c} />
        </>
      ),
    });
  };

  r.add("GET", "/ui/", (c) => render(c, 200));

  r.add("POST", "/ui/password", async (c) => {
    const { me } = ctx(c);
    const f = await readForm(c);
    try {
      await changeOwnPassword(
        core,
        core.accounts.get(me.username),
        f.str("current_password"),
        f.str("new_password"),
        me.tokenId,
      );
    } catch (e) {
      const { status, message } = failure(e);
      return render(c, status === 401 ? 401 : 400, message);
    }
    return c.redirect("/ui/?done=password_changed", 303);
  });

  r.add("POST", "/ui/sessions/revoke", async (c) => {
    const { me } = ctx(c);
    const jti = (await readForm(c)).str("token_id", 128);
    try {
      revokeTokenOf(core, me.username, me.accountId, jti, "user_revoke");
    } catch (e) {
      if (failure(e).code !== "token_not_found") throw e;
      return render(c, 400, "No such session.");
    }
    if (jti !== me.tokenId) return c.redirect("/ui/?done=session_revoked", 303);
    signOut(core, c, me, "user_revoke");
    return c.redirect("/ui/login?done=signed_out", 303);
  });
}
