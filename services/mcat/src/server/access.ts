// The one access map of MCAT: every route of its single listener is declared here (default
// deny; test/authz-matrix.test.ts fails when a route is missing). Every page and action is
// "admin": only MCIAS administrators may see why logins are decided or change the policy. The
// pages' token comes from the session cookie (see app-routes.ts); an unauthenticated page
// request is redirected to /login, a signed-in non-admin gets 403.
import type { RouteMap } from "@metacircular/mcdsl/http";

export const accessRules: RouteMap = {
  "GET /v1/health": "public",
  "GET /_kit/:file": "public",
  "GET /static/:file": "public",
  "GET /login": "public",
  "POST /login": "public",
  "GET /sso/redirect": "public",
  "GET /sso/callback": "public",
  "POST /logout": "public",
  "GET /": "admin",
  "GET /trace": "admin",
  "POST /trace": "admin",
  "GET /candidate": "admin",
  "POST /candidate": "admin",
  "GET /versions": "admin",
  "GET /versions/:version": "admin",
  "POST /versions/:version/rollback": "admin",
  "GET /lint": "admin",
};

/** Paths that are not pages of the tester (sign-in, assets, health): no CSRF cookie there. */
export function isOpenPath(path: string): boolean {
  return (
    path === "/login" ||
    path.startsWith("/sso/") ||
    path.startsWith("/_kit/") ||
    path.startsWith("/static/") ||
    path.startsWith("/v1/")
  );
}
