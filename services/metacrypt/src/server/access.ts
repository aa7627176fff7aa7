// The one REST access map: every route is declared here (default deny; a test checks coverage).
// Engine requests are "authenticated" here and decided per mount/operation/name by policy.
// Status, unseal and health work while sealed; the CA's chain, CRL and OCSP and the SSH CA's
// public key and KRL are public (relying parties and sshd hosts fetch them without a token).
// The ACME protocol routes are public (each request is a JWS checked by src/acme/); creating
// an EAB key is an MCIAS-authenticated call.

import type { RouteMap } from "@metacircular/mcdsl/http";
import { ACME_ROUTES } from "../acme/routes.ts";

export const restAccess: RouteMap = {
  "GET /v1/health": "public",
  "GET /v1/sys/status": "public",
  "POST /v1/sys/init": "admin",
  "POST /v1/sys/unseal": "public",
  "POST /v1/sys/seal": "admin",
  "GET /v1/mounts": "authenticated",
  "POST /v1/mounts": "admin",
  "DELETE /v1/mounts/:name": "admin",
  "POST /v1/engine/request": "authenticated",
  "POST /v1/certs/host": "authenticated",
  "GET /v1/policy/rules": "admin",
  "PUT /v1/policy/rules/:id": "admin",
  "DELETE /v1/policy/rules/:id": "admin",
  "POST /v1/policy/explain": "admin",
  "GET /v1/audit": "admin",
  "GET /v1/audit/verify": "admin",
  "GET /v1/ca/:mount/chain/:issuer": "public",
  "GET /v1/ca/:mount/crl/:issuer": "public",
  "POST /v1/ca/:mount/ocsp": "public",
  "GET /v1/ca/:mount/ocsp/:request": "public",
  "GET /v1/ssh/:mount/ca.pub": "public",
  "GET /v1/ssh/:mount/krl": "public",
  ...ACME_ROUTES,
};

// The web UI (src/webserver/): pages take the session cookie's token, never the API. Unseal is
// public like its API twin (the secret is the credential); the rest is authenticated, and engine
// pages are decided by policy as their API requests are; policies, audit and seal are admin.
export const uiAccess: RouteMap = {
  "GET /_kit/:file": "public",
  "GET /login": "public",
  "POST /login": "public",
  "GET /sso/redirect": "public",
  "GET /sso/callback": "public",
  "POST /logout": "public",
  "GET /unseal": "public",
  "POST /unseal": "public",
  "GET /": "authenticated",
  "POST /seal": "admin",
  "GET /mounts": "authenticated",
  "GET /certs": "authenticated",
  "POST /certs/:mount/:serial/revoke": "authenticated",
  "GET /transit": "authenticated",
  "POST /transit/:mount/:name/rotate": "authenticated",
  "GET /ssh": "authenticated",
  "GET /policies": "admin",
  "POST /policies": "admin",
  "POST /policies/:id/delete": "admin",
  "GET /audit": "admin",
};

export const accessRules: RouteMap = { ...restAccess, ...uiAccess };
