import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { createCore } from "../app.ts";
import { configSchema } from "../config.ts";
import { openDb } from "../db/open.ts";
import { issueSystemToken } from "../tokens/admin.ts";
import { createAccount, deleteAccount, setAccountEnabled } from "./admin.ts";

const cfg = configSchema.parse({
  server: { listen_addr: "127.0.0.1:0" },
  database: { path: ":memory:" },
  argon2: { memory_kib: 1024, time_cost: 1 },
});
const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

test("the last active admin is kept; disabling revokes; system tokens only for system accounts", async () => {
  const core = createCore(cfg, openDb(":memory:"));
  await createAccount(core, "test", { username: "root-admin", type: "human", roles: ["admin"] });
  await createAccount(core, "test", { username: "u1", type: "human", roles: ["user"] });
  await createAccount(core, "test", { username: "svc", type: "system", roles: [] });
  assert.throws(() => setAccountEnabled(core, "operator", "root-admin", false), code("last_admin"));
  assert.throws(() => deleteAccount(core, "operator", "root-admin"), code("last_admin"));
  assert.throws(() => issueSystemToken(core, "root-admin", "u1", "x"), code("not_system_account"));
  assert.throws(() => issueSystemToken(core, "root-admin", "svc", ""), code("audience_required"));
  assert.throws(() => issueSystemToken(core, "root-admin", "svc", "*"), code("audience_required"));
  const t = issueSystemToken(core, "root-admin", "svc", "mcns");
  assert.equal(core.tokens.validate(t.token).valid, true);
  setAccountEnabled(core, "root-admin", "svc", false);
  assert.equal(core.tokens.validate(t.token).valid, false);
  assert.throws(
    () => issueSystemToken(core, "root-admin", "svc", "mcns"),
    code("account_disabled"),
  );
  const audit = core.audit.query({ subject: "svc" }).map((r) => r.event);
  assert.deepEqual(audit, ["account_disabled", "token_issued", "account_created"]);
  assert.equal(core.audit.verify().ok, true);
});
