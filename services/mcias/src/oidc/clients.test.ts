import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { makeTempDir } from "@metacircular/testkit";
import { configSchema } from "../config.ts";
import { OidcClients } from "./clients.ts";
import { OAuthError } from "./errors.ts";

const SECRET = "a-long-enough-client-secret-0123456789";
const hex = (s: string) => createHash("sha256").update(s).digest("hex");
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

function parse(clients: unknown[]) {
  return configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: ":memory:" },
    oidc_clients: clients,
  }).oidc_clients;
}

const conf = (extra: Record<string, unknown>) => ({
  client_id: "c",
  redirect_uris: ["https://rp.example/cb"],
  service_name: "svc",
  ...extra,
});

const err = (code: string, status?: number) => (e: unknown) =>
  e instanceof OAuthError && e.error === code && (status === undefined || e.status === status);

test("secrets come from a SHA-256, a file or an environment variable", () => {
  const dir = makeTempDir();
  try {
    writeFileSync(dir.join("s"), `${SECRET}\n`);
    for (const [extra, env] of [
      [{ client_secret_sha256: hex(SECRET) }, {}],
      [{ client_secret_file: dir.join("s") }, {}],
      [{ client_secret_env: "RP_SECRET" }, { RP_SECRET: SECRET }],
    ] as const) {
      const clients = new OidcClients(parse([conf(extra)]), env);
      assert.equal(clients.authenticate(basic("c", SECRET), {}).id, "c");
      assert.throws(
        () => clients.authenticate(basic("c", `${SECRET}x`), {}),
        err("invalid_client", 401),
      );
    }
    assert.throws(
      () =>
        new OidcClients(parse([conf({ client_secret_env: "RP_SECRET" })]), { RP_SECRET: "short" }),
      /at least 32 characters/,
    );
  } finally {
    dir.remove();
  }
});

test("the config refuses confidential clients without one secret and public ones with one", () => {
  assert.throws(() => parse([conf({})]), /exactly one/);
  assert.throws(
    () => parse([conf({ client_secret_sha256: hex(SECRET), client_secret_env: "X" })]),
    /exactly one/,
  );
  assert.throws(
    () => parse([conf({ type: "public", client_secret_sha256: hex(SECRET) })]),
    /no client secret/,
  );
});

test("client_secret_post, Basic with form-encoded credentials, and public clients", () => {
  const odd = "p@ss word:with+specials-0123456789abcdef";
  const clients = new OidcClients(
    parse([
      conf({ client_secret_sha256: hex(SECRET) }),
      conf({ client_id: "odd.id", client_secret_sha256: hex(odd) }),
      conf({ client_id: "pub", type: "public" }),
    ]),
  );
  assert.equal(clients.authenticate(undefined, { client_id: "c", client_secret: SECRET }).id, "c");
  assert.equal(clients.authenticate(basic("odd.id", odd), {}).id, "odd.id");
  assert.equal(clients.authenticate(undefined, { client_id: "pub" }).id, "pub");
  assert.throws(() => clients.authenticate(undefined, { client_id: "c" }), err("invalid_client"));
  assert.throws(
    () => clients.authenticate(undefined, { client_id: "pub", client_secret: "x" }),
    err("invalid_client"),
  );
  assert.throws(
    () => clients.authenticate(basic("c", SECRET), { client_secret: SECRET }),
    err("invalid_request"),
  );
  assert.throws(
    () => clients.authenticate(undefined, { client_id: "nobody" }),
    err("invalid_client"),
  );
  assert.throws(() => clients.authenticate("Digest abc", {}), err("invalid_client"));
});

test("the issuer must be https (plain http only on loopback) without a query", () => {
  const ok = (issuer: string) =>
    configSchema.safeParse({
      server: { listen_addr: "127.0.0.1:0" },
      database: { path: ":memory:" },
      oidc: { issuer },
    }).success;
  assert.equal(ok("https://mcias.example:8443"), true);
  assert.equal(ok("http://127.0.0.1:8443"), true);
  assert.equal(ok("http://mcias.example"), false);
  assert.equal(ok("https://mcias.example/?tenant=1"), false);
});
