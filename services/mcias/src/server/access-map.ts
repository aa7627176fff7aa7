// The one access map of the MCIAS REST API. Every route must appear here; a route that is
// registered without an entry is refused (default deny) and fails the completeness test.
// "authenticated" and "admin" take only tokens issued for MCIAS itself; "token" (renew, logout:
// operations on the presented token) takes any of MCIAS's login or system tokens, whatever
// service it was issued for; OIDC access tokens are refused by all three (src/auth/caller.ts).
// "admin-delegated" is admin, or a policy tool's system account acting for an administrator
// signed in to it (src/auth/delegation.ts). UI kinds ("ui-…") read the browser session cookie instead of a Bearer token, send an
// unauthenticated browser to /ui/login and demand the CSRF token on POST/PUT/DELETE.
export type Access =
  | "public"
  | "token"
  | "authenticated"
  | "admin"
  | "admin-delegated"
  | "ui-public"
  | "ui-user"
  | "ui-admin";

export const ACCESS_MAP: Readonly<Record<string, Access>> = {
  "GET /v1/health": "public",
  "GET /.well-known/jwks.json": "public",
  "POST /v1/auth/login": "public",
  "POST /v1/token/validate": "public",
  "GET /v1/token/revocations": "public",
  "POST /v1/enrolment": "public",
  "GET /sso/authorize": "public",
  "POST /sso/authorize": "public",
  "POST /v1/sso/token": "public",
  // OpenID Connect / OAuth 2 (src/oidc): public at this layer; the token, introspection and
  // revocation endpoints authenticate the client, userinfo the Bearer access token.
  "GET /.well-known/openid-configuration": "public",
  "GET /oauth2/authorize": "public",
  "POST /oauth2/authorize": "public",
  "POST /oauth2/token": "public",
  "GET /oauth2/userinfo": "public",
  "POST /oauth2/userinfo": "public",
  "POST /oauth2/introspect": "public",
  "POST /oauth2/revoke": "public",
  "GET /oauth2/logout": "public",
  "POST /oauth2/logout": "public",
  "POST /v1/admin/oidc/keys/rotate": "admin",
  "GET /v1/oidc/clients": "admin",
  "POST /v1/oidc/clients": "admin",
  "DELETE /v1/oidc/clients/:client_id": "admin",
  "POST /v1/auth/passkey/login/begin": "public",
  "POST /v1/auth/passkey/login/finish": "public",
  "GET /static/:file": "public",
  "GET /_kit/:file": "public",

  // Web UI (src/webserver): browser session cookie + CSRF, see src/webserver/ui-guard.ts.
  "GET /": "ui-public",
  "GET /ui": "ui-public",
  "GET /ui/login": "ui-public",
  "POST /ui/login": "ui-public",
  "GET /ui/enrol": "ui-public",
  "POST /ui/enrol": "ui-public",
  "POST /ui/logout": "ui-user",
  "GET /ui/": "ui-user",
  "POST /ui/password": "ui-user",
  "POST /ui/sessions/revoke": "ui-user",
  "POST /ui/totp/enroll": "ui-user",
  "POST /ui/totp/confirm": "ui-user",
  "POST /ui/totp/disable": "ui-user",
  "POST /ui/passkeys/begin": "ui-user",
  "POST /ui/passkeys/finish": "ui-user",
  "POST /ui/passkeys/remove": "ui-user",
  "GET /ui/admin/accounts": "ui-admin",
  "POST /ui/admin/accounts": "ui-admin",
  "GET /ui/admin/accounts/:username": "ui-admin",
  "POST /ui/admin/accounts/:username/roles": "ui-admin",
  "POST /ui/admin/accounts/:username/disable": "ui-admin",
  "POST /ui/admin/accounts/:username/enable": "ui-admin",
  "POST /ui/admin/accounts/:username/unlock": "ui-admin",
  "POST /ui/admin/accounts/:username/totp/delete": "ui-admin",
  "POST /ui/admin/accounts/:username/password": "ui-admin",
  "POST /ui/admin/accounts/:username/tokens/revoke": "ui-admin",
  "POST /ui/admin/accounts/:username/delete": "ui-admin",
  "POST /ui/admin/accounts/:username/enrolment-link": "ui-admin",
  "POST /ui/admin/accounts/:username/token": "ui-admin",
  "POST /ui/admin/accounts/:username/passkeys/remove": "ui-admin",
  "GET /ui/admin/policies": "ui-admin",
  "POST /ui/admin/policies": "ui-admin",
  "GET /ui/admin/policies/:id": "ui-admin",
  "POST /ui/admin/policies/:id": "ui-admin",
  "POST /ui/admin/policies/:id/delete": "ui-admin",
  "GET /ui/admin/sso-clients": "ui-admin",
  "GET /ui/admin/audit": "ui-admin",
  "GET /ui/admin/audit/verify": "ui-admin",

  "GET /v1/auth/me": "authenticated",
  "POST /v1/auth/logout": "token",
  "POST /v1/auth/renew": "token",
  "PUT /v1/auth/password": "authenticated",
  "POST /v1/auth/totp/enroll": "authenticated",
  "POST /v1/auth/totp/confirm": "authenticated",
  "DELETE /v1/auth/totp": "authenticated",
  "POST /v1/auth/passkeys/register/begin": "authenticated",
  "POST /v1/auth/passkeys/register/finish": "authenticated",
  "GET /v1/auth/passkeys": "authenticated",
  "DELETE /v1/auth/passkeys/:id": "authenticated",

  "GET /v1/accounts": "admin",
  "POST /v1/accounts": "admin",
  "GET /v1/accounts/:username": "admin",
  "DELETE /v1/accounts/:username": "admin",
  "POST /v1/accounts/:username/disable": "admin",
  "POST /v1/accounts/:username/enable": "admin",
  "PUT /v1/accounts/:username/roles": "admin",
  "PUT /v1/accounts/:username/password": "admin",
  "POST /v1/accounts/:username/unlock": "admin",
  "POST /v1/accounts/:username/enrolment-link": "admin",
  "DELETE /v1/accounts/:username/totp": "admin",
  "GET /v1/accounts/:username/tokens": "admin",
  "GET /v1/accounts/:username/passkeys": "admin",
  "DELETE /v1/accounts/:username/passkeys/:id": "admin",
  "POST /v1/token/issue": "admin",
  "POST /v1/token/revoke": "admin",
  "GET /v1/policies": "admin-delegated",
  "POST /v1/policies": "admin",
  "GET /v1/policies/:id": "admin",
  "PUT /v1/policies/:id": "admin",
  "DELETE /v1/policies/:id": "admin",
  // Policy tools (MCAT's backend, src/server/routes-policy-tools.ts): an admin, or a tool account
  // acting for a signed-in admin (src/auth/delegation.ts).
  "POST /v1/policy/trace": "admin-delegated",
  "POST /v1/policy/dry-run": "admin-delegated",
  "GET /v1/policy/lint": "admin-delegated",
  "POST /v1/policy/lint": "admin-delegated",
  "POST /v1/policy/apply": "admin-delegated",
  "GET /v1/policy/versions": "admin-delegated",
  "GET /v1/policy/versions/:version": "admin-delegated",
  "POST /v1/policy/versions/:version/rollback": "admin-delegated",
  "GET /v1/audit": "admin",
  "GET /v1/audit/verify": "admin",
  "POST /v1/admin/keys/rotate": "admin",
  "GET /v1/sso/clients": "admin",
};
