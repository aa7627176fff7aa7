// The action forms on an admin's account page: roles, enable/disable, password reset,
// unlock, enrolment link, TOTP removal, system tokens, live tokens with revoke, delete.
import type { Child } from "hono/jsx";
import type { Account } from "../accounts/accounts.ts";
import type { Core } from "../core.ts";
import { Csrf } from "./layout.tsx";

const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

function Action(p: {
  base: string;
  path: string;
  csrf: string;
  label: string;
  children?: Child;
  id?: string;
}) {
  return (
    <form method="post" action={`${p.base}/${p.path}`} id={p.id}>
      <Csrf token={p.csrf} />
      {p.children}
      <button type="submit">{p.label}</button>
    </form>
  );
}

function Passkeys(p: { core: Core; account: Account; base: string; csrf: string }) {
  const keys = p.core.passkeys.list(p.account.id);
  return (
    <section aria-labelledby="passkeys-h">
      <h2 id="passkeys-h">Passkeys</h2>
      {keys.length === 0 && <p>No passkeys.</p>}
      <ul id="account-passkeys">
        {keys.map((k) => (
          <li>
            {k.name} (added {when(k.createdAt)}){" "}
            <Action base={p.base} path="passkeys/remove" csrf={p.csrf} label="Remove">
              <input type="hidden" name="id" value={k.id} />
            </Action>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AccountActions(p: { core: Core; account: Account; csrf: string }) {
  const a = p.account;
  const base = `/ui/admin/accounts/${encodeURIComponent(a.username)}`;
  const csrf = p.csrf;
  const now = p.core.now();
  const live = p.core.tokens.listFor(a.id).filter((t) => t.revokedAt === null && t.expiresAt > now);
  return (
    <>
      {a.type === "human" && (
        <section aria-labelledby="roles-h">
          <h2 id="roles-h">Roles</h2>
          <Action base={base} path="roles" csrf={csrf} label="Save roles" id="roles-form">
            {(["admin", "user", "guest"] as const).map((role) => (
              <label class="check">
                <input type="checkbox" name="roles" value={role} checked={a.roles.includes(role)} />{" "}
                {role}
              </label>
            ))}
          </Action>
        </section>
      )}
      <section aria-labelledby="state-h">
        <h2 id="state-h">Access</h2>
        {a.status === "active" ? (
          <Action base={base} path="disable" csrf={csrf} label="Disable account" />
        ) : (
          <Action base={base} path="enable" csrf={csrf} label="Enable account" />
        )}
        <Action base={base} path="unlock" csrf={csrf} label="Clear failed-login lock" />
        {a.totpEnabled && <Action base={base} path="totp/delete" csrf={csrf} label="Remove TOTP" />}
      </section>
      {a.type === "human" && (
        <section aria-labelledby="pw-h">
          <h2 id="pw-h">Password</h2>
          <Action base={base} path="password" csrf={csrf} label="Reset password">
            <label>
              New password
              <input name="password" type="password" autocomplete="new-password" required />
            </label>
          </Action>
          <Action base={base} path="enrolment-link" csrf={csrf} label="Issue enrolment link">
            <label>
              Valid for
              <select name="ttl_s">
                <option value="86400">1 day</option>
                <option value="604800">7 days</option>
              </select>
            </label>
          </Action>
        </section>
      )}
      <section aria-labelledby="tokens-h">
        <h2 id="tokens-h">Live tokens</h2>
        {a.type === "system" && a.status === "active" && (
          <Action base={base} path="token" csrf={csrf} label="Issue system token">
            <label>
              Audience (the service name the token is for)
              <input name="audience" required />
            </label>
          </Action>
        )}
        <table id="account-tokens">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Audience</th>
              <th scope="col">Issued</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {live.map((t) => (
              <tr>
                <td>{t.kind}</td>
                <td>{t.audience}</td>
                <td>{when(t.issuedAt)}</td>
                <td>{when(t.expiresAt)}</td>
                <td>
                  <Action base={base} path="tokens/revoke" csrf={csrf} label="Revoke">
                    <input type="hidden" name="token_id" value={t.jti} />
                  </Action>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {a.type === "human" && <Passkeys core={p.core} account={a} base={base} csrf={csrf} />}
      <section aria-labelledby="delete-h">
        <h2 id="delete-h">Delete</h2>
        <Action base={base} path="delete" csrf={csrf} label="Delete account">
          <label class="check">
            <input type="checkbox" name="confirm" value="yes" required /> I am sure
          </label>
        </Action>
      </section>
    </>
  );
}
