// The one REST access map: every route is declared here (default deny; a test checks coverage).
// Record-level rules (name-scoped system accounts, read-only humans) live in authz/policy.ts.

import type { RouteMap } from "@metacircular/mcdsl/http";

export const restAccess: RouteMap = {
  "GET /v1/health": "public",
  "GET /metrics": "public",
  "GET /v1/zones": "authenticated",
  "POST /v1/zones": "admin",
  "GET /v1/zones/:zone": "authenticated",
  "PUT /v1/zones/:zone": "admin",
  "DELETE /v1/zones/:zone": "admin",
  "GET /v1/zones/:zone/export": "authenticated",
  "POST /v1/zones/:zone/import": "admin",
  "GET /v1/zones/:zone/records": "authenticated",
  "POST /v1/zones/:zone/records": "authenticated",
  "GET /v1/zones/:zone/records/:id": "authenticated",
  "PUT /v1/zones/:zone/records/:id": "authenticated",
  "DELETE /v1/zones/:zone/records/:id": "authenticated",
  "GET /v1/audit": "admin",
};
