// Admin: the POST handlers behind the account page's forms. Each calls the same audited
// domain operation as the REST API, then redirects back with a notice, or re-renders the
// page with the error. Secrets (system tokens, enrolment links) are shown once, never stored.
import type { Context } from "hono";
import {
  createEnrolmentLink,
  deleteAccount,
  issueSystemToken,
  resetPassword,
  revokeToken,
  setAccountEnabled,
  setAccountRoles,
  unlockAccount,
} from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import type { Env, Router } from "../server/router.ts";
import { disableTotp } from "../totp/enrolment.ts";
import { page } from "./layout.tsx";
import { accountPath, renderAccount } from "./pages-admin-accounts.tsx";
import { ctx, type Form, failure, readForm } from "./ui-forms.ts";

type Action = (
  c: Context<Env>,
  username: string,
  form: Form,
  actor: string,
) => Promise<string | Response> | string | Response;

function ShownOnce(p: { label: string; value: string; id: string; back: string; note: string }) {
  return (
    <div class="kit-card">
      <p>{p.note}</p>
      <label>
        {p.label}
        <textarea id={p.id} readonly rows={4}>
          {p.value}
        </textarea>
      </label>
      <p>
        <a href={p.back}>Back to the account</a>
      </p>
    </div>
  );
}

export function registerAdminAccountActions(r: Router, core: Core): void {
  const action = (path: string, fn: Action) =>
    r.add("POST", `/ui/admin/accounts/:username/${path}`, async (c) => {
      const username = c.req.param("username") ?? "";
      const form = await readForm(c);
      try {
        const out = await fn(c, username, form, ctx(c).me.username);
        return typeof out === "string"
          ? c.redirect(`${accountPath(username)}?done=${out}`, 303)
          : out;
      } catch (e) {
        const { status, message } = failure(e);
        return renderAccount(c, core, username, status, message);
      }
    });

  action("roles", (_c, u, f, actor) => {
    setAccountRoles(core, actor, u, f.all("roles"));
    return "roles_changed";
  });
  action("disable", (_c, u, _f, actor) => {
    setAccountEnabled(core, actor, u, false);
    return "account_disabled";
  });
  action("enable", (_c, u, _f, actor) => {
    setAccountEnabled(core, actor, u, true);
    return "account_enabled";
  });
  action("unlock", (_c, u, _f, actor) => {
    unlockAccount(core, actor, u);
    return "unlocked";
  });
  action("totp/delete", (_c, u, _f, actor) => {
    disableTotp(core, core.accounts.get(u), actor);
    return "totp_reset";
  });
  action("password", async (_c, u, f, actor) => {
    await resetPassword(core, actor, u, f.str("password"));
    return "password_reset";
  });
  action("tokens/revoke", (_c, u, f, actor) => {
    const jti = f.str("token_id", 128);
    const a = core.accounts.get(u);
    if (!core.tokens.listFor(a.id).some((t) => t.jti === jti))
      return renderAccount(_c, core, u, 404, "No such token for this account.");
    revokeToken(core, actor, jti);
    return "token_revoked";
  });
  action("passkeys/remove", (_c, u, f, actor) => {
    core.passkeys.remove(core.accounts.get(u).id, f.str("id", 128), actor);
    return "passkey_removed";
  });
  action("delete", (c, u, f, actor) => {
    if (f.str("confirm") !== "yes")
      return renderAccount(c, core, u, 400, "Tick “I am sure” to delete the account.");
    deleteAccount(core, actor, u);
    return c.redirect("/ui/admin/accounts?done=account_deleted", 303);
  });
  action("enrolment-link", (c, u, f, actor) => {
    const ttl = f.str("ttl_s") === "604800" ? 604_800 : 86_400;
    const link = createEnrolmentLink(core, actor, u, ttl);
    const { me, csrf } = ctx(c);
    const origin = new URL(c.req.url).origin;
    return page(c, 200, {
      title: "Enrolment link",
      csrf,
      me,
      children: (
        <ShownOnce
          label="Enrolment code"
          value={link.token}
          id="enrolment-token"
          back={accountPath(u)}
          note={`Give this code to ${u} (shown only now, valid until ${new Date(link.expiresAt).toISOString()}). They open ${origin}/ui/enrol, enter it and choose a password.`}
        />
      ),
    });
  });
  action("token", (c, u, f, actor) => {
    const audience = f.str("audience", 128).trim();
    const t = issueSystemToken(core, actor, u, audience);
    const { me, csrf } = ctx(c);
    return page(c, 200, {
      title: "System token",
      csrf,
      me,
      children: (
        <ShownOnce
          label="Token"
          value={t.token}
          id="issued-token"
          back={accountPath(u)}
          note={`A token for ${u}, valid until ${new Date(t.expiresAt).toISOString()}. Copy it now: it is shown only once.`}
        />
      ),
    });
  });
}
