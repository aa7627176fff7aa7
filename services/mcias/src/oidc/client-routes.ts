// Admin REST for OIDC clients registered at run time (config-file clients are listed but
// read-only):
//   GET    /v1/oidc/clients              every client, no secrets
//   POST   /v1/oidc/clients              register; a confidential client's secret is returned once
//   DELETE /v1/oidc/clients/:client_id   remove; every token issued to it is revoked
import { AppError } from "@metacircular/mcdsl/errors";
import { readJson } from "@metacircular/mcdsl/http";
import type { Context } from "hono";
import { iso, param } from "../server/request.ts";
import type { Router } from "../server/router.ts";
import { newClientSchema } from "./client-store.ts";
import type { OidcClient } from "./clients.ts";
import type { OidcProvider } from "./provider.ts";

export const CLIENTS_PATH = "/v1/oidc/clients";
export const CLIENT_PATH = "/v1/oidc/clients/:client_id";

function clientJson(c: OidcClient, source: "config" | "admin", createdAt?: number) {
  return {
    client_id: c.id,
    type: c.type,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris,
    service_name: c.serviceName,
    scopes: c.scopes,
    source,
    ...(createdAt === undefined ? {} : { created_at: iso(createdAt) }),
  };
}

const actor = (c: Context) =>
  (c.get("caller") as { username?: string } | undefined)?.username ?? "";

export function registerClientRoutes(r: Router, p: OidcProvider): void {
  const core = p.core;

  r.add("GET", CLIENTS_PATH, (c) =>
    c.json({
      clients: [
        ...p.clients.configured().map((x) => clientJson(x, "config")),
        ...p.clientStore.list().map((x) => clientJson(x, "admin", x.createdAt)),
      ],
    }),
  );

  r.add("POST", CLIENTS_PATH, async (c) => {
    const b = await readJson(c, newClientSchema);
    if (p.clients.configured().some((x) => x.id === b.client_id))
      throw AppError.conflict("client_exists", `client ${b.client_id} is in the config file`);
    const { client, secret } = p.clientStore.create(b, actor(c));
    core.audit.append({
      event: "oidc_client_created",
      outcome: "success",
      actor: actor(c),
      detail: {
        client_id: client.id,
        type: client.type,
        service: client.serviceName,
        redirect_uris: client.redirectUris,
      },
    });
    c.header("cache-control", "no-store");
    return c.json(
      {
        ...clientJson(client, "admin", client.createdAt),
        ...(secret ? { client_secret: secret } : {}),
      },
      201,
    );
  });

  r.add("DELETE", CLIENT_PATH, (c) => {
    const id = param(c, "client_id");
    if (p.clients.configured().some((x) => x.id === id))
      throw AppError.conflict("client_in_config", "remove config-file clients from the config");
    if (!p.clientStore.delete(id)) throw AppError.notFound("client_not_found", "no such client");
    const revoked = p.grants.revokeClient(id, "client_deleted");
    core.audit.append({
      event: "oidc_client_deleted",
      outcome: "success",
      actor: actor(c),
      detail: { client_id: id, revoked },
    });
    return c.json({ client_id: id, deleted: true, tokens_revoked: revoked });
  });
}
