// `metacrypt dev-bootstrap` (npm start's offline bootstrap) as a process: the first run
// initialises with a generated password kept 0600 (never printed), creates the CA mount and
// issues leaves openssl verifies; the second run reuses the barrier and the CA; a server started
// on the same database unseals with the stored password and lists the issued certificates; a
// lost password file is refused with invalid_unseal_secret instead of a second CA.
import assert from "node:assert/strict";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { silentLogger } from "@metacircular/mcdsl/log";
import { makeTempDir, runNode } from "@metacircular/testkit";
import { startMetacrypt } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { client, FAST_SEAL, staticValidator } from "./helpers/metacrypt.ts";
import { openssl } from "./helpers/openssl.ts";
import { PKG, SERVER_TS } from "./helpers/process.ts";

test("dev-bootstrap initialises once, keeps its CA and issues verifiable leaves", async (t) => {
  const tmp = makeTempDir("metacrypt-devboot-");
  t.after(() => tmp.remove());
  const db = join(tmp.path, "metacrypt.db");
  const config = join(tmp.path, "metacrypt.toml");
  writeFileSync(
    config,
    `[server]\nlisten_addr = "127.0.0.1:0"\n[database]\npath = ${JSON.stringify(db)}\n` +
      `[mcias]\nserver_url = "http://127.0.0.1:1"\nservice_name = "metacrypt"\n` +
      `[seal]\nargon2_memory_kib = ${FAST_SEAL.argon2_memory_kib}\nargon2_time = 1\nargon2_parallelism = 1\n`,
  );
  const unseal = join(tmp.path, "unseal");
  const boot = (...leaves: string[]) =>
    runNode(
      [
        "--import",
        "tsx",
        SERVER_TS,
        "dev-bootstrap",
        "--config",
        config,
        "--unseal-file",
        unseal,
        "--out-dir",
        tmp.path,
        ...leaves.flatMap((l) => ["--leaf", l]),
      ],
      { cwd: PKG },
    );

  const first = await boot("a.localhost,127.0.0.1", "b.localhost");
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /DEV MODE: initialised the barrier, created CA mount pki, issued 2/);
  assert.equal(statSync(unseal).mode & 0o777, 0o600);
  const password = readFileSync(unseal, "utf8").trim();
  assert.ok(password.length >= 32);
  assert.equal(first.out.includes(password) || first.err.includes(password), false);
  const ca = join(tmp.path, "ca.crt");
  for (const n of ["a.localhost", "b.localhost"]) {
    assert.equal((await openssl(["verify", "-CAfile", ca, join(tmp.path, `${n}.crt`)])).code, 0);
    assert.equal(statSync(join(tmp.path, `${n}.key`)).mode & 0o777, 0o600);
  }
  const san = await openssl([
    "x509",
    "-in",
    join(tmp.path, "a.localhost.crt"),
    "-noout",
    "-ext",
    "subjectAltName",
  ]);
  assert.match(san.out, /DNS:a\.localhost, IP Address:127\.0\.0\.1/);

  const caPem = readFileSync(ca, "utf8");
  const second = await boot("c.localhost");
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /DEV MODE: issued 1 certificate/);
  assert.equal(readFileSync(ca, "utf8"), caPem, "a second CA was made");
  assert.equal(
    (await openssl(["verify", "-CAfile", ca, join(tmp.path, "c.localhost.crt")])).code,
    0,
  );
  // A name outside *.localhost is refused by the profile.
  const outside = await boot("example.com");
  assert.notEqual(outside.code, 0);
  assert.match(outside.err, /name_not_allowed/);

  // The server on that database: sealed, unsealed with the stored password, three leaves.
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: db },
    log: { level: "silent" },
    mcias: { server_url: "http://127.0.0.1:1", service_name: "metacrypt" },
    seal: FAST_SEAL,
  });
  const h = await startMetacrypt(cfg, { logger: silentLogger(), validator: staticValidator });
  try {
    const anon = client(h.api.url);
    assert.equal((await anon("GET", "/v1/sys/status")).json.sealed, true);
    assert.equal((await anon("POST", "/v1/sys/unseal", { password })).json.sealed, false);
    const admin = client(h.api.url, "tok-admin");
    const certs = await admin("POST", "/v1/engine/request", {
      mount: "pki",
      operation: "list-certs",
      data: {},
    });
    assert.equal(certs.status, 200);
    assert.equal(certs.json.certificates.length, 3);
  } finally {
    await h.close();
  }

  rmSync(unseal);
  const lost = await boot("d.localhost");
  assert.notEqual(lost.code, 0);
  assert.match(lost.err, /invalid_unseal_secret/);
});
