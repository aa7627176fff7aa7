// The web UI's access map (default deny; test/access-map.test.ts checks it against the routes).
// Pages take the MCIAS token from the session cookie; an unauthenticated page request is sent
// to /login. Repository pages are "authenticated" and decided by the policy (pull to look,
// delete to delete); policies and the audit log are for admins.
import type { RouteMap } from "@metacircular/mcdsl/http";

export const uiAccess: RouteMap = {
  "GET /v1/health": "public",
  "GET /_kit/:file": "public",
  "GET /login": "public",
  "POST /login": "public",
  "GET /sso/redirect": "public",
  "GET /sso/callback": "public",
  "POST /logout": "public",
  "GET /": "authenticated",
  "GET /repository": "authenticated",
  "GET /manifest": "authenticated",
  "POST /repository/delete-tag": "authenticated",
  "POST /repository/delete-manifest": "authenticated",
  "GET /policies": "admin",
  "POST /policies": "admin",
  "POST /policies/:id/delete": "admin",
  "GET /audit": "admin",
};
