// accessMap: every REST route is declared public, authenticated or admin under its Hono route
// pattern ("GET /v1/zones/:zone"). A request that reaches a route missing from the map is refused
// (default deny); unknown paths still fall through to the JSON 404.
import type { Context, Env, Hono, MiddlewareHandler, Schema } from "hono";
import { matchedRoutes } from "hono/route";
import { AppError } from "../errors/index.ts";
import { type Access, type Identity, isAdmin, type TokenValidator } from "../identity/index.ts";
import { requestBearer, requireBearer } from "./bearer-auth.ts";
import type { AppEnv } from "./env.ts";

export type RouteMap = Record<string, Access>;

export interface AccessMapOptions {
  /** Where the token comes from; default the Authorization: Bearer header. */
  tokenFrom?: (c: Context<AppEnv>) => string | undefined;
  /** The realm of the WWW-Authenticate challenge; default the service name given to createApp. */
  realm?: string;
}

/** Routes createApp registers itself; public unless the service's map says otherwise. */
export const BUILTIN_ROUTES: RouteMap = { "GET /v1/health": "public" };

const RANK: Record<Access, number> = { public: 0, authenticated: 1, admin: 2 };
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "ALL"]);

function checkMap(map: RouteMap): void {
  for (const [key, level] of Object.entries(map)) {
    const [method, path, extra] = key.split(" ");
    if (!method || !METHODS.has(method) || !path?.startsWith("/") || extra !== undefined) {
      throw new Error(`access map key "${key}" is not "METHOD /path"`);
    }
    if (!(level in RANK)) throw new Error(`access map "${key}": unknown level "${level}"`);
  }
}

/**
 * app.use() registers method ALL with a (c, next) function; app.all() handlers take (c) only.
 * An app.all() route is therefore a route like any other and must be declared as "ALL /path".
 */
function isMiddleware(r: { method: string; handler: (...args: never[]) => unknown }): boolean {
  return r.method === "ALL" && r.handler.length >= 2;
}

/** The access level for this request: the strictest of all matched routes; null = unmapped. */
function levelFor(c: Context, map: RouteMap): Access | null | "no-route" {
  let level: Access | undefined;
  let sawRoute = false;
  for (const r of matchedRoutes(c)) {
    const key = `${r.method} ${r.path}`;
    const declared = map[key]; // HEAD is dispatched to GET routes by Hono
    if (isMiddleware(r) && declared === undefined) continue;
    sawRoute = true;
    if (declared === undefined) return null;
    if (level === undefined || RANK[declared] > RANK[level]) level = declared;
  }
  return sawRoute && level ? level : "no-route";
}

async function resolve(
  validator: TokenValidator,
  token: string,
  required: boolean,
): Promise<Identity | null> {
  try {
    return await validator.validate(token);
  } catch (err) {
    // A public route must keep working while the identity service is down.
    if (!required) return null;
    if (err instanceof AppError) throw err;
    throw AppError.unavailable("token validation is unavailable", 5);
  }
}

export function accessMap(
  map: RouteMap,
  validator: TokenValidator,
  opts: AccessMapOptions = {},
): MiddlewareHandler<AppEnv> {
  checkMap(map);
  const full: RouteMap = { ...BUILTIN_ROUTES, ...map };
  const tokenFrom = opts.tokenFrom ?? requestBearer;
  const check = {
    validate: (token: string) => resolve(validator, token, true),
    isAdmin,
    tokenFrom,
    ...(opts.realm === undefined ? {} : { realm: opts.realm }),
  };
  return async (c, next) => {
    const level = levelFor(c, full);
    if (level === "no-route") return next(); // the 404 handler answers
    if (level === null) {
      c.get("log")?.warn(
        { method: c.req.method, path: c.req.path },
        "route missing from access map",
      );
      throw AppError.forbidden("route is not declared in the access map", "route_not_mapped");
    }
    if (level === "public") {
      // A public route sees a valid token's identity, and keeps working without one.
      const token = tokenFrom(c);
      const identity = token ? await resolve(validator, token, false) : null;
      if (identity) c.set("identity", identity);
      return next();
    }
    c.set("identity", await requireBearer(c, level, check));
    return next();
  };
}

/** Routes registered on `app` that the map does not declare — for each service's completeness test. */
export function missingRoutes<E extends Env, S extends Schema, B extends string>(
  app: Hono<E, S, B>,
  map: RouteMap,
): string[] {
  const keys = new Set<string>();
  for (const r of app.routes) if (!isMiddleware(r)) keys.add(`${r.method} ${r.path}`);
  return [...keys].filter((k) => !(k in map) && !(k in BUILTIN_ROUTES)).sort();
}
