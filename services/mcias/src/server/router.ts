// Route registration through the access map: each handler is wrapped with the check its map
// entry demands (public / token / authenticated / admin). Routes missing from the map are
// recorded in `unmapped` and answer 403, so nothing is reachable by accident. Which tokens are
// accepted at all is decided in one place, src/auth/caller.ts.
import { AppError } from "@metacircular/mcdsl/errors";
import type { AppVariables } from "@metacircular/mcdsl/http";
import type { Context, Hono } from "hono";
import { callerIdentity } from "../auth/caller.ts";
import type { Core } from "../core.ts";
import type { TokenIdentity } from "../tokens/tokens.ts";
import { isUiAccess, uiGuard } from "../webserver/ui-guard.ts";
import { ACCESS_MAP, type Access } from "./access-map.ts";

/** mcdsl's request variables plus the caller's full token identity (`caller`). */
export type Env = {
  Variables: AppVariables & { caller?: TokenIdentity; csrfToken?: string };
};
export type Handler = (c: Context<Env>) => Promise<Response> | Response;
export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface Router {
  add(method: Method, path: string, handler: Handler): void;
  readonly registered: string[];
  readonly unmapped: string[];
}

export function bearer(c: Context): string | undefined {
  const h = c.req.header("authorization");
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

export function isAdminIdentity(id: TokenIdentity): boolean {
  return id.accountType === "human" && id.roles.includes("admin");
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
