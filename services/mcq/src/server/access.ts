// The one access map: every route of the single MCQ listener (REST API, web UI, MCP) is declared
// here (default deny; test/authz-matrix.test.ts fails when a route is missing; the gRPC map is
// grpcserver/method-map.ts). The web UI's pages are "authenticated" too: their token comes from
// the session cookie (see app-routes.ts), and an unauthenticated page request is redirected to
// /login. Document-level rules (who may push or delete) live in documents/policy.ts.

import type { RouteMap } from "@metacircular/mcdsl/http";

export const restAccess: RouteMap = {
  "GET /v1/health": "public",
  "POST /v1/auth/login": "public",
  "POST /v1/auth/logout": "authenticated",
  "GET /v1/documents": "authenticated",
  "GET /v1/documents/:slug": "authenticated",
  "PUT /v1/documents/:slug": "authenticated",
  "DELETE /v1/documents/:slug": "authenticated",
  "POST /v1/documents/:slug/read": "authenticated",
  "POST /v1/documents/:slug/unread": "authenticated",
  "GET /v1/documents/:slug/changes": "authenticated",
};

export const mcpAccess: RouteMap = {
  "ALL /mcp": "authenticated",
};

export const uiAccess: RouteMap = {
  "GET /_kit/:file": "public",
  "GET /static/:file": "public",
  "GET /login": "public",
  "POST /login": "public",
  "GET /sso/redirect": "public",
  "GET /sso/callback": "public",
  "POST /logout": "public",
  "GET /": "authenticated",
  "GET /d/:slug": "authenticated",
  "POST /d/:slug/read": "authenticated",
  "POST /d/:slug/unread": "authenticated",
};

export const accessRules: RouteMap = { ...restAccess, ...mcpAccess, ...uiAccess };
