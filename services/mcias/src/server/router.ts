// Route registration through the access map: each handler is wrapped with the check its map
// entry demands (public / token / authenticated / admin). Routes missing from the map are
// recorded in `unmapped` and answer 403, so nothing is reachable by accident. Which tokens are
// accepted at all is decided in one place, src/auth/caller.ts.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Hono } from "hono";
import type { Core } from "../app.ts";
import { callerIdentity } from "../auth/caller.ts";
import { isUiAccess, uiGuard } from "../webserver/ui-guard.ts";
import { ACCESS_MAP, type Access } from "./access-map.ts";
import { bearer, type Env, isAdminIdentity, type Router } from "./route-types.ts";

export {
  bearer,
  type Env,
  type Handler,
  isAdminIdentity,
  type Method,
  type Router,
} from "./route-types.ts";

export function createRouter(app: Hono<Env>, core: Core, map = ACCESS_MAP): Router {
  const registered: string[] = [];
  const unmapped: string[] = [];
  return {
    registered,
    unmapped,
    add(method, path, handler) {
      const key = `${method} ${path}`;
      registered.push(key);
      const access: Access | undefined = map[key];
      if (!access) unmapped.push(key);
      app.on(method, path, async (c) => {
        if (!access) throw AppError.forbidden("route is not in the access map", "forbidden");
        if (isUiAccess(access)) return uiGuard(core, access, c, handler);
        if (access !== "public") {
          const token = bearer(c);
          if (!token) throw AppError.unauthenticated();
          const id = callerIdentity(core, token, access === "token" ? "own-token" : "mcias-api");
          if (access === "admin" && !isAdminIdentity(id))
            throw AppError.forbidden("admin role required");
          c.set("caller", id);
          c.set("identity", {
            username: id.username,
            accountType: id.accountType,
            roles: id.roles,
            tokenId: id.tokenId,
          });
        }
        return handler(c);
      });
    },
  };
}
