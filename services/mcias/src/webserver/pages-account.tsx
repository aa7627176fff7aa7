// "My account" (GET /ui/): the signed-in user's details, password change, the TOTP and
// passkey sections, and their active login sessions (login tokens) with revoke.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { changeOwnPassword, revokeToken } from "../accounts/admin.ts";
import type { Core } from "../core.ts";
import type { Env, Router } from "../server/router.ts";
import { Csrf, page } from "./layout.tsx";
import { ctx, failure, notice, readForm } from "./ui-forms.ts";
import { signOut } from "./ui-session.ts";

const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

/** Sections other modules contribute to the account page (TOTP, passkeys). */
export type AccountSection = (c: Context<Env>) => Child | Promise<Child>;

function PasswordForm(p: { csrf: string }) {
  return (
    <section aria-labelledby="pw-h">
      <h2 id="pw-h">Password</h2>
      <form method="post" action="/ui/password">
        <Csrf token={p.csrf} />
        <label>
          Current password
          <input name="current_password" type="password" autocomplete="current-password" required />
        </label>
        <label>
          New password
          <input name="new_password" type="password" autocomplete="new-password" required />
        </label>
        <button type="submit">Change password</button>
      </form>
    </section>
  );
}

function Sessions(p: { core: Core; c: Context<Env> }) {
  const { me, csrf } = ctx(p.c);
  const now = p.core.now();
  const live = p.core.tokens
    .listFor(me.accountId)
    .filter((t) => t.kind === "login" && t.revokedAt === null && t.expiresAt > now);
  return (
    <section aria-labelledby="sessions-h">
      <h2 id="sessions-h">Active sessions</h2>
      <table id="sessions">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Signed in</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span class="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {live.map((t) => (
            <tr>
              <td>
                {t.audience}
                {t.jti === me.tokenId && " (this browser)"}
              </td>
              <td>{when(t.issuedAt)}</td>
              <td>{when(t.expiresAt)}</td>
              <td>
                <form method="post" action="/ui/sessions/revoke" class="inline">
                  <Csrf token={csrf} />
                  <input type="hidden" name="token_id" value={t.jti} />
                  <button type="submit">Revoke</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
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
          <dl class="facts">
            <dt>Username</dt>
            <dd id="me-username">{account.username}</dd>
            <dt>Roles</dt>
            <dd>{account.roles.join(", ") || "none"}</dd>
          </dl>
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
    const mine = core.tokens.listFor(me.accountId).some((t) => t.jti === jti);
    if (!mine) return render(c, 400, "No such session.");
    revokeToken(core, me.username, jti, "user_revoke");
    if (jti !== me.tokenId) return c.redirect("/ui/?done=session_revoked", 303);
    signOut(core, c, me, "user_revoke");
    return c.redirect("/ui/login?done=signed_out", 303);
  });
}
