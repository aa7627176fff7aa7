// mciasctl oidc: clients registered at run time, secrets for config-file [[oidc_clients]],
// the provider's discovery document and rotation of the RS256 ID-token key.
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { secretDigest } from "../oidc/clients.ts";
import { call, collect, output, table } from "./context.ts";

interface AddOpts {
  redirectUri: string[];
  postLogoutRedirectUri?: string[];
  service: string;
  public?: boolean;
  scope?: string[];
}

export function registerOidcCommands(program: Command): void {
  const oidc = program.command("oidc").description("OpenID Connect provider");
  registerProviderCommands(oidc);
  registerClientCommands(oidc.command("client").description("clients registered at run time"));
  registerKeyCommand(oidc);
}

/** The provider itself: secrets for config-file clients and the discovery document. */
function registerProviderCommands(oidc: Command): void {
  oidc
    .command("secret")
    .description(
      "generate a client secret; give the secret to the client, put the hash in client_secret_sha256",
    )
    .action(function (this: Command) {
      const secret = randomBytes(32).toString("base64url");
      const hash = secretDigest(secret).toString("hex");
      output(
        this,
        { client_secret: secret, client_secret_sha256: hash },
        () =>
          `client secret (give to the client, shown once): ${secret}\nclient_secret_sha256 = "${hash}"`,
      );
    });

  oidc
    .command("discovery")
    .description("show the provider's discovery document (/.well-known/openid-configuration)")
    .action(async function (this: Command) {
      const r = await call(this, "GET", "/.well-known/openid-configuration", undefined, {
        anonymous: true,
      });
      output(this, r, () =>
        ["issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"]
          .map((k) => `${k.padEnd(24)} ${String(r[k])}`)
          .join("\n"),
      );
    });
}

function registerKeyCommand(oidc: Command): void {
  oidc
    .command("rotate-key")
    .description("start signing ID tokens with a new RS256 key; the old one stays published")
    .action(async function (this: Command) {
      const r = await call(this, "POST", "/v1/admin/oidc/keys/rotate");
      output(this, r, () => `now signing ID tokens with ${r.kid}`);
    });
}

function registerClientCommands(client: Command): void {
  client
    .command("list")
    .description("list the clients registered at run time")
    .action(async function (this: Command) {
      const r = await call(this, "GET", "/v1/oidc/clients");
      output(this, r, () =>
        table(r.clients as Record<string, unknown>[], [
          "client_id",
          "type",
          "service_name",
          "redirect_uris",
          "source",
        ]),
      );
    });
  client
    .command("add <client_id>")
    .description("register a client and print its secret once")
    .requiredOption("--redirect-uri <uri>", "exact redirect URI (repeatable)", collect)
    .option(
      "--post-logout-redirect-uri <uri>",
      "where RP-initiated logout may return (repeatable)",
      collect,
    )
    .requiredOption("--service <name>", "login-policy context and token audience")
    .option("--public", "a public client (no secret, PKCE required)")
    .option(
      "--scope <scope>",
      "allowed scopes (default openid,profile,roles,offline_access)",
      collect,
    )
    .action(async function (this: Command, id: string, o: AddOpts) {
      const r = await call(this, "POST", "/v1/oidc/clients", {
        client_id: id,
        type: o.public ? "public" : "confidential",
        redirect_uris: o.redirectUri,
        ...(o.postLogoutRedirectUri ? { post_logout_redirect_uris: o.postLogoutRedirectUri } : {}),
        service_name: o.service,
        ...(o.scope ? { scopes: o.scope } : {}),
      });
      output(this, r, () =>
        r.client_secret
          ? `client ${id} registered; its secret (shown once): ${String(r.client_secret)}`
          : `public client ${id} registered`,
      );
    });
  client
    .command("delete <client_id>")
    .description("delete a client and revoke its tokens")
    .action(async function (this: Command, id: string) {
      const r = await call(this, "DELETE", `/v1/oidc/clients/${encodeURIComponent(id)}`);
      output(this, r, () => `client ${id} deleted; ${String(r.tokens_revoked)} tokens revoked`);
    });
}
