// The one access map: MCDoc publishes documentation, so every route is public; the webhook
// authenticates each delivery by its HMAC signature instead (webhook-route.ts). Anything not
// listed here is refused (default deny; test/access-map.test.ts fails when a route is missing).
import type { RouteMap } from "@metacircular/mcdsl/http";

export const accessRules: RouteMap = {
  "GET /v1/health": "public",
  "GET /v1/repos": "public",
  "POST /v1/webhook": "public",
  "GET /metrics": "public",
  "GET /_kit/:file": "public",
  "GET /static/:file": "public",
  "GET /": "public",
  "GET /search": "public",
  "GET /r/:repo": "public",
  "GET /r/:repo/*": "public",
  "GET /raw/:repo/*": "public",
  "GET /broken/:repo": "public",
};
