// Admin: the single-sign-on clients MCIAS accepts — platform SSO clients ([[sso_clients]])
// and OpenID Connect clients ([[oidc_clients]]). Both come from the config file, so the page
// is read-only; changes are made in the TOML and take effect on restart.
import { type Column, DataTable, EmptyState } from "@metacircular/mcdsl/web";
import type { Core } from "../app.ts";
import type { Router } from "../server/router.ts";
import { page } from "./layout.tsx";
import { ctx } from "./ui-forms.ts";

interface Row {
  id: string;
  service: string;
  kind: string;
  redirects: string[];
}

const COLUMNS: Column<Row>[] = [
  { label: "Client id", cell: (x) => x.id, kind: "break" },
  { label: "Service", cell: (x) => x.service },
  { label: "Kind", cell: (x) => x.kind },
  {
    label: "Redirect URIs",
    cell: (x) =>
      x.redirects.map((u) => (
        <div>
          <code>{u}</code>
        </div>
      )),
    kind: "break",
  },
];

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
          <DataTable
            id="sso-clients"
            columns={COLUMNS}
            rows={rows}
            empty={
              <EmptyState id="no-clients" title="No clients are configured.">
                Add an <code>[[sso_clients]]</code> or <code>[[oidc_clients]]</code> section to the
                config file and restart MCIAS; see the README's SSO and OpenID Connect sections.
              </EmptyState>
            }
          />
        </>
      ),
    });
  });
}
