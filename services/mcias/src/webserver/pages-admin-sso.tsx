// Admin: the SSO clients MCIAS accepts. They come from the config file ([[sso_clients]]), so
// the page is read-only; changes are made in the TOML and take effect on restart.
import type { Core } from "../core.ts";
import type { Router } from "../server/router.ts";
import { page } from "./layout.tsx";
import { ctx } from "./ui-forms.ts";

export function registerAdminSsoPages(r: Router, core: Core): void {
  r.add("GET", "/ui/admin/sso-clients", (c) => {
    const { me, csrf } = ctx(c);
    const clients = core.cfg.sso_clients;
    return page(c, 200, {
      title: "SSO clients",
      csrf,
      me,
      children: (
        <>
          <p>
            Clients are configured in the <code>[[sso_clients]]</code> sections of the config file
            (read-only here).
          </p>
          {clients.length === 0 ? (
            <p id="no-clients">No SSO clients are configured.</p>
          ) : (
            <table id="sso-clients">
              <thead>
                <tr>
                  <th scope="col">Client id</th>
                  <th scope="col">Service</th>
                  <th scope="col">Redirect URI</th>
                </tr>
              </thead>
              <tbody>
                {clients.map((x) => (
                  <tr>
                    <td>{x.client_id}</td>
                    <td>{x.service_name}</td>
                    <td>
                      <code>{x.redirect_uri}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ),
    });
  });
}
