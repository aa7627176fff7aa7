// The OpenID Connect provider face of MCIAS: discovery (OIDC Discovery 1.0 / RFC 8414),
// authorization, token, userinfo, introspection (RFC 7662), revocation (RFC 7009) and the
// admin rotation of the RS256 ID-token key.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Core } from "../app.ts";
import type { Router } from "../server/router.ts";
import { AUTHORIZE_PATH, registerAuthorize } from "./authorize.ts";
import { SUPPORTED_CLAIMS, SUPPORTED_SCOPES } from "./claims.ts";
import { CLIENT_PATH, CLIENTS_PATH, registerClientRoutes } from "./client-routes.ts";
import { END_SESSION_PATH, registerEndSession } from "./end-session.ts";
import { OidcProvider } from "./provider.ts";
import {
  INTROSPECT_PATH,
  REVOKE_PATH,
  registerResourceEndpoints,
  USERINFO_PATH,
} from "./resource-endpoints.ts";
import { registerTokenEndpoint, TOKEN_PATH } from "./token-endpoint.ts";

export const DISCOVERY_PATH = "/.well-known/openid-configuration";
export const ROTATE_PATH = "/v1/admin/oidc/keys/rotate";

export function discoveryDocument(p: OidcProvider) {
  const url = (path: string) => `${p.base}${path}`;
  const clientAuth = ["client_secret_basic", "client_secret_post", "none"];
  return {
    issuer: p.issuer,
    authorization_endpoint: url(AUTHORIZE_PATH),
    token_endpoint: url(TOKEN_PATH),
    userinfo_endpoint: url(USERINFO_PATH),
    jwks_uri: url("/.well-known/jwks.json"),
    introspection_endpoint: url(INTROSPECT_PATH),
    revocation_endpoint: url(REVOKE_PATH),
    end_session_endpoint: url(END_SESSION_PATH),
    scopes_supported: SUPPORTED_SCOPES,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: clientAuth,
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    revocation_endpoint_auth_methods_supported: clientAuth,
    code_challenge_methods_supported: ["S256"],
    claims_supported: SUPPORTED_CLAIMS,
    prompt_values_supported: ["none", "login", "consent", "select_account"],
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
  };
}

/** Every OIDC route; with the provider disabled they all answer 404 oidc_not_configured. */
export const OIDC_ROUTES = [
  ["GET", DISCOVERY_PATH],
  ["GET", AUTHORIZE_PATH],
  ["POST", AUTHORIZE_PATH],
  ["POST", TOKEN_PATH],
  ["GET", USERINFO_PATH],
  ["POST", USERINFO_PATH],
  ["POST", INTROSPECT_PATH],
  ["POST", REVOKE_PATH],
  ["GET", END_SESSION_PATH],
  ["POST", END_SESSION_PATH],
  ["POST", ROTATE_PATH],
  ["GET", CLIENTS_PATH],
  ["POST", CLIENTS_PATH],
  ["DELETE", CLIENT_PATH],
] as const;

export function registerOidcRoutes(
  r: Router,
  core: Core,
  env: NodeJS.ProcessEnv = process.env,
): OidcProvider | undefined {
  // Enabled by an issuer (clients may then be added at run time) or by config-file clients.
  if (core.cfg.oidc.issuer === undefined && core.cfg.oidc_clients.length === 0) {
    for (const [method, path] of OIDC_ROUTES)
      r.add(method, path, () => {
        throw AppError.notFound(
          "oidc_not_configured",
          "the OpenID Connect provider is not enabled",
        );
      });
    return undefined;
  }
  const p = new OidcProvider(core, env);
  r.add("GET", DISCOVERY_PATH, (c) => {
    c.header("cache-control", "public, max-age=300");
    return c.json(discoveryDocument(p));
  });
  registerAuthorize(r, p);
  registerTokenEndpoint(r, p);
  registerResourceEndpoints(r, p);
  registerEndSession(r, p);
  registerClientRoutes(r, p);
  r.add("POST", ROTATE_PATH, (c) => {
    const kid = p.keys.rotate();
    core.audit.append({
      event: "oidc_key_rotated",
      outcome: "success",
      actor: c.get("caller")?.username ?? null,
      detail: { kid },
    });
    return c.json({ kid, keys: p.keys.jwks().map((k) => k.kid) });
  });
  return p;
}
