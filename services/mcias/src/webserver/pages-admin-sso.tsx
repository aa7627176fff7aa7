// Admin: the single-sign-on clients MCIAS accepts — platform SSO clients ([[sso_clients]])
// and OpenID Connect clients ([[oidc_clients]]). Both come from the config file, so the page
// is read-only; changes are made in the TOML and take effect on restart.
import type { Core } from "../core.ts";
import type { Router } from "../server/router.ts";
import { page } from "./layout.tsx";
import { ctx } from "./ui-forms.ts";

interface Row {
  id: string;
  service: string;
  kind: string;
  redirects: string[];
}

function ClientTable(p: { id: string; rows: Row[] }) {
  return (
    <table id={p.id}>
      <thead>
        <tr>
          <th scope="col">Client id</th>
          <th scope="col">Service</th>
          <th scope="col">Kind</th>
          <th scope="col">Redirect URIs</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((x) => (
          <tr>
            <td>{x.id}</td>
            <td>{x.service}</td>
            <td>{x.kind}</td>
            <td>
              {x.redirects.map((u) => (
                <div>
                  <code>{u}</code>
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function registerAdminSsoPages(r: Router, core: Core): void {
  r.add("GET", "/ui/admin/sso-clients", (c) => {
    const { me, csrf } = ctx(c);
    const sso: Row[] = core.cfg.sso_clients.map((x) => ({
      id: x.client_id,
      service: x.service_name,
      kind: "platform SSO",
      redirects: [x.redirect_uri],
    }));
    const oidc: Row[] = core.cfg.oidc_clients.map((x) => ({
      id: x.client_id,
      service: x.service_name,
      kind: `OIDC ${x.type}`,
      redirects: x.redirect_uris,
    }));
    const rows = [...sso, ...oidc];
    return page(c, 200, {
      title: "SSO clients",
      csrf,
      me,
      children: (
        <>
          <p>
            Clients come from the <code>[[sso_clients]]</code> and <code>[[oidc_clients]]</code>{" "}
            sections of the config file (read-only here).
          </p>
          {rows.length === 0 ? (
            <p id="no-clients">No clients are configured.</p>
          ) : (
            <ClientTable id="sso-clients" rows={rows} />
          )}
        </>
      ),
    });
  });
}
