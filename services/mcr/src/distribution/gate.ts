// The /v2 authorization gate: a registry token in "Authorization: Bearer", checked against what
// the route needs (routes.ts V2_ACCESS). Missing, invalid or insufficient → 401 UNAUTHORIZED with
// the Bearer challenge naming realm, service and the scope to ask for. No anonymous access.
import { bearerToken } from "@metacircular/mcdsl/identity";
import {
  grantsCatalog,
  grantsRepository,
  type RegistryClaims,
  type RegistryTokens,
} from "../auth/registry-token.ts";
import { OciError } from "../oci/errors.ts";
import type { Exchange } from "./respond.ts";
import type { V2Access, V2Route } from "./routes.ts";

export interface GateOptions {
  tokens: RegistryTokens;
  service: string;
  realm: string | undefined;
}

function realmFor(o: GateOptions, x: Exchange): string {
  if (o.realm) return o.realm;
  const proto = (x.req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  // The Host header ends up inside a quoted challenge parameter: only a plain host[:port].
  const raw = x.req.headers.host ?? "";
  const host = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(raw)
    ? raw
    : "localhost";
  return `${proto}://${host}/v2/token`;
}

function scopeFor(route: V2Route, access: V2Access): string | undefined {
  if (access === "catalog") return "registry:catalog:*";
  if (!("name" in route)) return undefined;
  const actions = access === "push" ? "pull,push" : access;
  return `repository:${route.name}:${actions}`;
}

export function challenge(
  o: GateOptions,
  x: Exchange,
  route: V2Route,
  access: V2Access,
  error?: string,
): OciError {
  const scope = scopeFor(route, access);
  const parts = [`realm="${realmFor(o, x)}"`, `service="${o.service}"`];
  if (scope) parts.push(`scope="${scope}"`);
  if (error) parts.push(`error="${error}"`);
  return new OciError(401, "UNAUTHORIZED", "authentication required", {
    headers: { "WWW-Authenticate": `Bearer ${parts.join(",")}` },
  });
}

/** The token's claims when they allow `access` on the route; throws the challenge otherwise. */
export async function authorize(
  o: GateOptions,
  x: Exchange,
  route: V2Route,
  access: V2Access,
): Promise<RegistryClaims | undefined> {
  if (access === "public") return undefined;
  const token = bearerToken(x.req.headers.authorization);
  const claims = token ? await o.tokens.verify(token) : null;
  if (!claims) throw challenge(o, x, route, access, token ? "invalid_token" : undefined);
  const ok =
    access === "token" ||
    (access === "catalog" && grantsCatalog(claims)) ||
    ("name" in route && grantsRepository(claims, route.name, access));
  if (!ok) throw challenge(o, x, route, access, "insufficient_scope");
  return claims;
}
