// mciasctl oidc: client secrets for [[oidc_clients]], the provider's discovery document and
// rotation of the RS256 ID-token key.
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { secretDigest } from "../oidc/clients.ts";
import { call, output } from "./context.ts";

export function registerOidcCommands(program: Command): void {
  const oidc = program.command("oidc").description("OpenID Connect provider");

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

  oidc
    .command("rotate-key")
    .description("start signing ID tokens with a new RS256 key; the old one stays published")
    .action(async function (this: Command) {
      const r = await call(this, "POST", "/v1/admin/oidc/keys/rotate");
      output(this, r, () => `now signing ID tokens with ${r.kid}`);
    });
}
