// Passkey self-service: the account page's passkey section (list, remove, add) and its
// routes. Adding runs in the browser (/static/mcias-ui.js + /static/webauthn.js):
// POST /ui/passkeys/begin answers the creation options as JSON, the authenticator creates the
// credential, and the form posts the response to /ui/passkeys/finish.
import type { Context } from "hono";
import type { Core } from "../core.ts";
import type { Env, Router } from "../server/router.ts";
import { Csrf, page } from "./layout.tsx";
import type { AccountSection } from "./pages-account.tsx";
import { ctx, failure, readForm } from "./ui-forms.ts";

const when = (ms: number | null) =>
  ms === null ? "never" : new Date(ms).toISOString().replace("T", " ").slice(0, 16);

export function passkeySection(core: Core): AccountSection {
  return (c) => {
    const { me, csrf } = ctx(c);
    const keys = core.passkeys.list(me.accountId);
    return (
      <section aria-labelledby="passkeys-h">
        <h2 id="passkeys-h">Passkeys</h2>
        {keys.length === 0 ? (
          <p id="no-passkeys">No passkeys yet.</p>
        ) : (
          <table id="passkeys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Added</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr>
                  <td>{k.name}</td>
                  <td>{when(k.createdAt)}</td>
                  <td>{when(k.lastUsedAt)}</td>
                  <td>
                    <form method="post" action="/ui/passkeys/remove" class="inline">
                      <Csrf token={csrf} />
                      <input type="hidden" name="id" value={k.id} />
                      <button type="submit">Remove</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form method="post" action="/ui/passkeys/finish" id="passkey-add-form" hx-boost="false">
          <Csrf token={csrf} />
          <input type="hidden" name="challenge_id" value="" />
          <input type="hidden" name="response" value="" />
          <label>
            Name for a new passkey
            <input name="name" maxlength={64} placeholder="e.g. laptop" />
          </label>
          <button type="button" id="passkey-add">
            Add a passkey
          </button>
          <p role="alert" id="passkey-add-error" hidden></p>
        </form>
      </section>
    );
  };
}

export function registerPasskeyPages(r: Router, core: Core): void {
  const account = (c: Context<Env>) => core.accounts.get(ctx(c).me.username);

  r.add("POST", "/ui/passkeys/begin", async (c) => {
    const b = await core.passkeys.beginRegistration(account(c), ctx(c).me.authTime);
    return c.json({ challenge_id: b.challengeId, options: b.options });
  });

  r.add("POST", "/ui/passkeys/finish", async (c) => {
    const { me, csrf } = ctx(c);
    const f = await readForm(c);
    try {
      let response: unknown;
      try {
        response = JSON.parse(f.str("response", 16_384));
      } catch {
        response = null;
      }
      await core.passkeys.finishRegistration(
        account(c),
        f.str("challenge_id", 128),
        response,
        f.str("name", 64),
      );
    } catch (e) {
      const { status, message } = failure(e);
      return page(c, status, {
        title: "Add a passkey",
        csrf,
        me,
        error: message,
        children: (
          <p>
            <a href="/ui/">Back to my account</a>
          </p>
        ),
      });
    }
    return c.redirect("/ui/?done=passkey_added", 303);
  });

  r.add("POST", "/ui/passkeys/remove", async (c) => {
    const { me, csrf } = ctx(c);
    try {
      core.passkeys.remove(me.accountId, (await readForm(c)).str("id", 128));
    } catch (e) {
      const { status, message } = failure(e);
      return page(c, status, { title: "Remove a passkey", csrf, me, error: message });
    }
    return c.redirect("/ui/?done=passkey_removed", 303);
  });
}
