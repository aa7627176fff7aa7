// Registers every web UI page. Each route's access kind (ui-public / ui-user / ui-admin) is
// declared in the one access map (src/server/access-map.ts).
import type { Core } from "../app.ts";
import type { Router } from "../server/router.ts";
import { registerAdminAccountActions } from "./admin-account-actions.tsx";
import { registerAccountPages } from "./pages-account.tsx";
import { registerAdminAccountPages } from "./pages-admin-accounts.tsx";
import { registerAdminAuditPages } from "./pages-admin-audit.tsx";
import { registerAdminPolicyPages } from "./pages-admin-policies.tsx";
import { registerAdminSsoPages } from "./pages-admin-sso.tsx";
import { registerEnrolPages } from "./pages-enrol.tsx";
import { registerLoginPages } from "./pages-login.tsx";
import { passkeySection, registerPasskeyPages } from "./pages-passkeys.tsx";
import { registerTotpPages, totpSection } from "./pages-totp.tsx";

export function registerUiRoutes(r: Router, core: Core): void {
  registerLoginPages(r, core);
  registerEnrolPages(r, core);
  registerAccountPages(r, core, [totpSection(core), passkeySection(core)]);
  registerTotpPages(r, core);
  registerPasskeyPages(r, core);
  registerAdminAccountPages(r, core);
  registerAdminAccountActions(r, core);
  registerAdminPolicyPages(r, core);
  registerAdminSsoPages(r, core);
  registerAdminAuditPages(r, core);
}
