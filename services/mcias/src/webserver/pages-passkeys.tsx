// Passkey self-service: the account page's passkey section (list, remove, add) and its
// routes. Adding runs in the browser (/static/mcias-ui.js + /static/webauthn.js):
// POST /ui/passkeys/begin answers the creation options as JSON, the authenticator creates the
// credential, and the form posts the response to /ui/passkeys/finish.
import { type Column, DataTable, EmptyState, Field, Section, Time } from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import type { Core } from "../app.ts";
import type { Env, Router } from "../server/router.ts";
import { Csrf, page } from "./layout.tsx";
import type { AccountSection } from "./pages-account.tsx";
import { ctx, failure, readForm } from "./ui-forms.ts";

type Key = ReturnType<Core["passkeys"]["list"]>[number];

export function passkeySection(core: Core): AccountSection {
  return (c) => {
    const { me, csrf } = ctx(c);
    const columns: Column<Key>[] = [
      { label: "Name", cell: (k) => k.name, kind: "break" },
      { label: "Added", cell: (k) => <Time at={k.createdAt} />, kind: "nowrap" },
      {
        label: "Last used",
        cell: (k) => (k.lastUsedAt === null ? "never" : <Time at={k.lastUsedAt} />),
        kind: "nowrap",
      },
      {
        label: "Action",
        cell: (k) => (
          <form method="post" action="/ui/passkeys/remove">
            <Csrf token={csrf} />
            <input type="hidden" name="id" value={k.id} />
            <button type="submit" class="kit-danger">
              Remove
            </button>
          </form>
        ),
      },
    ];
    return (
      <Section id="passkey-section" title="Passkeys" card>
        <DataTable
          id="passkeys"
          columns={columns}
          rows={core.passkeys.list(me.accountId)}
          empty={
            <EmptyState id="no-passkeys" title="No passkeys yet.">
              A passkey signs you in with this device's screen lock or a security key instead of a
              password. Name it below and choose Add a passkey.
            </EmptyState>
          }
        />
        <form method="post" action="/ui/passkeys/finish" id="passkey-add-form" hx-boost="false">
          <Csrf token={csrf} />
          <input type="hidden" name="challenge_id" value="" />
          <input type="hidden" name="response" value="" />
          <div class="kit-filters">
            <Field
              name="name"
              label="Name for a new passkey"
              maxlength={64}
              placeholder="e.g. laptop"
            />
            <div class="kit-actions">
              <button type="button" id="passkey-add">
                Add a passkey
              </button>
            </div>
          </div>
          <p role="alert" class="kit-flash kit-flash-error" id="passkey-add-error" hidden></p>
        </form>
      </Section>
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
