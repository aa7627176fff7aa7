// Sealed: every engine refuses with the stable `sealed` error (REST and the public CA endpoints);
// status, unseal and health work; sealing on demand drops the keys, and a restart comes up sealed.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { silentLogger } from "@metacircular/mcdsl/log";
import { startMetacrypt } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import {
  client,
  FAST_SEAL,
  PASSWORD,
  readyAdmin,
  setupCa,
  startTestMetacrypt,
  staticValidator,
} from "./helpers/metacrypt.ts";

test("sealed: engines refuse with `sealed`; status, unseal and health answer", async () => {
  const h = await startTestMetacrypt();
  try {
    const admin = await readyAdmin(h.url);
    await setupCa(admin);
    const issue = {
      mount: "pki",
      operation: "issue",
      data: { profile: "svc", common_name: "a.svc.mcp.metacircular.net" },
    };
    assert.equal((await admin("POST", "/v1/engine/request", issue)).status, 200);
    const sealed = await admin("POST", "/v1/sys/seal");
    assert.equal(sealed.json.sealed, true);
    const refusals = [
      await admin("POST", "/v1/engine/request", issue),
      await admin("POST", "/v1/engine/request", {
        mount: "pki",
        operation: "list-certs",
        data: {},
      }),
      await admin("GET", "/v1/mounts"),
      await admin("GET", "/v1/policy/rules"),
      await client(h.url)("GET", "/v1/ca/pki/crl/services"),
      await client(h.url)("GET", "/v1/ca/pki/chain/services"),
    ];
    for (const r of refusals) {
      assert.equal(r.status, 503);
      assert.equal(r.json.error.code, "sealed");
      assert.doesNotMatch(JSON.stringify(r.json), new RegExp(PASSWORD));
    }
    assert.equal((await client(h.url)("GET", "/v1/health")).status, 200);
    const st = await client(h.url)("GET", "/v1/sys/status");
    assert.deepEqual(st.json, { initialized: true, sealed: true, mode: "password" });
    const bad = await client(h.url)("POST", "/v1/sys/unseal", { password: "not it" });
    assert.equal(bad.json.error.code, "invalid_unseal_secret");
    assert.doesNotMatch(bad.body.toString(), /not it/);
    await client(h.url)("POST", "/v1/sys/unseal", { password: PASSWORD });
    const list = await admin("POST", "/v1/engine/request", {
      mount: "pki",
      operation: "list-certs",
      data: {},
    });
    assert.equal(list.json.certificates.length, 1, "the data survives seal/unseal");
  } finally {
    await h.stop();
  }
});

test("closing seals: the same database comes back sealed and unseals with the password", async () => {
  const h = await startTestMetacrypt();
  const admin = await readyAdmin(h.url);
  await setupCa(admin);
  await h.close();
  const cfg = configSchema.parse({
    server: { listen_addr: "127.0.0.1:0" },
    database: { path: join(h.dir, "metacrypt.sqlite") },
    log: { level: "silent" },
    mcias: { server_url: "http://127.0.0.1:1", service_name: "metacrypt" },
    seal: FAST_SEAL,
  });
  const again = await startMetacrypt(cfg, { logger: silentLogger(), validator: staticValidator });
  try {
    assert.equal(again.ops.status().sealed, true);
    const r = await client(again.api.url, "tok-admin")("GET", "/v1/mounts");
    assert.equal(r.json.error.code, "sealed");
    await client(again.api.url)("POST", "/v1/sys/unseal", { password: PASSWORD });
    const m = await client(again.api.url, "tok-admin")("GET", "/v1/mounts");
    assert.deepEqual(
      m.json.mounts.map((x: { name: string }) => x.name),
      ["pki"],
    );
  } finally {
    await again.close();
    await h.stop();
  }
});
