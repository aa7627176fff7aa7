// The one access map of the MCIAS REST API. Every route must appear here; a route that is
// registered without an entry is refused (default deny) and fails the completeness test.
export type Access = "public" | "authenticated" | "admin";

export const ACCESS_MAP: Readonly<Record<string, Access>> = {
  "GET /v1/health": "public",
  "GET /.well-known/jwks.json": "public",
  "POST /v1/auth/login": "public",
  "POST /v1/token/validate": "public",
  "GET /v1/token/revocations": "public",
  "POST /v1/enrolment": "public",

  "GET /v1/auth/me": "authenticated",
  "POST /v1/auth/logout": "authenticated",
  "POST /v1/auth/renew": "authenticated",
  "PUT /v1/auth/password": "authenticated",
  "POST /v1/auth/totp/enroll": "authenticated",
  "POST /v1/auth/totp/confirm": "authenticated",
  "DELETE /v1/auth/totp": "authenticated",

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
  "POST /v1/token/issue": "admin",
  "POST /v1/token/revoke": "admin",
  "GET /v1/policies": "admin",
  "POST /v1/policies": "admin",
  "GET /v1/policies/:id": "admin",
  "PUT /v1/policies/:id": "admin",
  "DELETE /v1/policies/:id": "admin",
  "GET /v1/audit": "admin",
  "GET /v1/audit/verify": "admin",
  "POST /v1/admin/keys/rotate": "admin",
};
