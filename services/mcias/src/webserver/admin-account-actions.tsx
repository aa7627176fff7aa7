// Admin: the POST handlers behind the account page's forms. Each calls the same audited
// domain operation as the REST API, then redirects back with a notice, or re-renders the
// page with the error. Secrets (system tokens, enrolment links) are shown once, never stored.
import type { Context } from "hono";
import {
  createEnrolmentLink,
  deleteAccount,
  removeAccountPasskey,
  resetAccountTotp,
  resetPassword,
  setAccountEnabled,
  setAccountRoles,
  unlockAccount,
} from "../accounts/admin.ts";
import type { Core } from "../app.ts";
import type { Env, Router } from "../server/router.ts";
import { issueSystemToken, revokeTokenOf } from "../tokens/admin.ts";
import { page } from "./layout.tsx";
import { accountPath, renderAccount } from "./pages-admin-accounts.tsx";
import { ctx, type Form, failure, readForm } from "./ui-forms.ts";

/** What an action answers: a notice code to redirect with, or a page of its own. */
type Action = (
  core: Core,
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

/** The actions that redirect back to the account page with a notice. */
const SIMPLE_ACTIONS: Readonly<Record<string, Action>> = {
  roles: (core, _c, u, f, actor) => {
    setAccountRoles(core, actor, u, f.all("roles"));
    return "roles_changed";
  },
  disable: (core, _c, u, _f, actor) => {
    setAccountEnabled(core, actor, u, false);
    return "account_disabled";
  },
  enable: (core, _c, u, _f, actor) => {
    setAccountEnabled(core, actor, u, true);
    return "account_enabled";
  },
  unlock: (core, _c, u, _f, actor) => {
    unlockAccount(core, actor, u);
    return "unlocked";
  },
  "totp/delete": (core, _c, u, _f, actor) => {
    resetAccountTotp(core, actor, u);
    return "totp_reset";
  },
  password: async (core, _c, u, f, actor) => {
    await resetPassword(core, actor, u, f.str("password"));
    return "password_reset";
  },
  "tokens/revoke": (core, _c, u, f, actor) => {
    revokeTokenOf(core, actor, core.accounts.get(u).id, f.str("token_id", 128));
    return "token_revoked";
  },
  "passkeys/remove": (core, _c, u, f, actor) => {
    removeAccountPasskey(core, actor, u, f.str("id", 128));
    return "passkey_removed";
  },
};

const deleteAction: Action = (core, c, u, f, actor) => {
  if (f.str("confirm") !== "yes")
    return renderAccount(c, core, u, 400, "Tick “I am sure” to delete the account.");
  deleteAccount(core, actor, u);
  return c.redirect("/ui/admin/accounts?done=account_deleted", 303);
};

/** A secret shown once on a page of its own. */
function shownOncePage(c: Context<Env>, title: string, body: Parameters<typeof ShownOnce>[0]) {
  const { me, csrf } = ctx(c);
  return page(c, 200, { title, csrf, me, children: <ShownOnce {...body} /> });
}

const enrolmentLinkAction: Action = (core, c, u, f, actor) => {
  const ttl = f.str("ttl_s") === "604800" ? 604_800 : 86_400;
  const link = createEnrolmentLink(core, actor, u, ttl);
  const origin = new URL(c.req.url).origin;
  return shownOncePage(c, "Enrolment link", {
    label: "Enrolment code",
    value: link.token,
    id: "enrolment-token",
    back: accountPath(u),
    note: `Give this code to ${u} (shown only now, valid until ${new Date(link.expiresAt).toISOString()}). They open ${origin}/ui/enrol, enter it and choose a password.`,
  });
};

const systemTokenAction: Action = (core, c, u, f, actor) => {
  const t = issueSystemToken(core, actor, u, f.str("audience", 128).trim());
  return shownOncePage(c, "System token", {
    label: "Token",
    value: t.token,
    id: "issued-token",
    back: accountPath(u),
    note: `A token for ${u}, valid until ${new Date(t.expiresAt).toISOString()}. Copy it now: it is shown only once.`,
  });
};

const ACTIONS: Readonly<Record<string, Action>> = {
  ...SIMPLE_ACTIONS,
  delete: deleteAction,
  "enrolment-link": enrolmentLinkAction,
  token: systemTokenAction,
};

export function registerAdminAccountActions(r: Router, core: Core): void {
  for (const [path, fn] of Object.entries(ACTIONS))
    r.add("POST", `/ui/admin/accounts/:username/${path}`, async (c) => {
      const username = c.req.param("username") ?? "";
      const form = await readForm(c);
      try {
        const out = await fn(core, c, username, form, ctx(c).me.username);
        return typeof out === "string"
          ? c.redirect(`${accountPath(username)}?done=${out}`, 303)
          : out;
      } catch (e) {
        const { status, message } = failure(e);
        return renderAccount(c, core, username, status, message);
      }
    });
}
