// The one REST access map of MCR's admin API (default deny; a test checks coverage). The /v2
// distribution API has its own map, distribution/routes.ts V2_ACCESS, because it is authorized
// by registry tokens and scopes, not MCIAS tokens. Repository-level rules (pull to list, delete to
// delete) are the policy's, checked in routes.ts.

import type { RouteMap } from "@metacircular/mcdsl/http";

export const restAccess: RouteMap = {
  "GET /v1/health": "public",
  "GET /metrics": "public",
  "GET /v1/repositories": "authenticated",
  "GET /v1/repositories/:name{.+}/tags": "authenticated",
  "DELETE /v1/repositories/:name{.+}/tags/:tag": "authenticated",
  "DELETE /v1/repositories/:name{.+}/manifests/:digest": "authenticated",
  "POST /v1/gc": "admin",
  "GET /v1/policies": "admin",
  "POST /v1/policies": "admin",
  "DELETE /v1/policies/:id": "admin",
  "GET /v1/audit": "admin",
};
