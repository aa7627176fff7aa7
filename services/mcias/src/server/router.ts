// Route registration through the access map: each handler is wrapped with the check its map
// entry demands (public / token / authenticated / admin). Routes missing from the map are
// recorded in `unmapped` and answer 403, so nothing is reachable by accident. Bearer tokens are
// checked by mcdsl's requireBearer (the RFC 6750 challenge on every refusal) with MCIAS's one
// rule for which tokens its API accepts plugged in (src/auth/caller.ts).
import { AppError } from "@metacircular/mcdsl/errors";
import { requireBearer } from "@metacircular/mcdsl/http";
import type { Context, Hono } from "hono";
import type { Core } from "../app.ts";
import { callerCheck } from "../auth/caller.ts";
import { delegatedAdmin, ON_BEHALF_HEADER } from "../auth/delegation.ts";
import { isUiAccess, uiGuard } from "../webserver/ui-guard.ts";
import { ACCESS_MAP, type Access } from "./access-map.ts";
import { type Env, type Router, setCaller } from "./route-types.ts";

export {
  bearer,
  type Env,
  type Handler,
  type Method,
  type Router,
} from "./route-types.ts";

type BearerAccess = "token" | "authenticated" | "admin" | "admin-delegated";

/** Resolves the caller of a Bearer route and records it for the handler. */
async function authenticate(core: Core, access: BearerAccess, c: Context<Env>): Promise<void> {
  const check = callerCheck(core, access === "token" ? "own-token" : "mcias-api");
  const onBehalf = access === "admin-delegated" ? c.req.header(ON_BEHALF_HEADER) : undefined;
  if (onBehalf) {
    setCaller(c, delegatedAdmin(core, await requireBearer(c, "authenticated", check), onBehalf));
    return;
  }
  const level = access === "admin" || access === "admin-delegated" ? "admin" : "authenticated";
  const id = await requireBearer(c, level, check);
  setCaller(c, id);
}

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
        if (access !== "public") await authenticate(core, access, c);
        return handler(c);
      });
    },
  };
}
