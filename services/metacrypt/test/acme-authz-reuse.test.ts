// Authorization reuse (RFC 8555 §7.1.4) with the real lego client: a renewal by the same account
// reuses its valid authorization (no challenge); another account, an expired authorization, a
// deactivated or revoked one, and a server with `authz_reuse_days = 0` each get a new one.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { ACME_NAMES, type AcmeServer, startAcmeServer } from "./helpers/acme.ts";
import { hasCert, lego } from "./helpers/lego.ts";

const NAME = ACME_NAMES[0]!;
const servers: AcmeServer[] = [];
after(() => Promise.all(servers.map((s) => s.stop())));

async function server(authzReuseDays?: number): Promise<AcmeServer> {
  const s = await startAcmeServer(authzReuseDays === undefined ? {} : { authzReuseDays });
  servers.push(s);
  return s;
}

/** One lego account (its own data dir and EAB key); run = first order, renew = next ones. */
async function account(s: AcmeServer, dir: string) {
  const path = join(s.h.dir, dir);
  mkdirSync(path, { recursive: true });
  const o = {
    directory: s.directory,
    path,
    tlsCa: s.tls.certPath,
    eab: await s.eab("tok-alice"),
    solver: ["--http", "--http.port", `127.0.0.1:${s.httpPort}`],
  };
  const order = async (command: string[]) => {
    const r = await lego(o, [NAME], command);
    assert.equal(r.code, 0, r.out);
    return r.out;
  };
  return {
    run: () => order(["run"]),
    renew: () => order(["renew", "--days", "9999", "--no-random-sleep"]),
    hasCert: () => hasCert(path, NAME),
  };
}

function authzRows(s: AcmeServer): Array<{ id: string; account_id: string; status: string }> {
  return s.h.db
    .prepare("SELECT id, account_id, status FROM acme_authz WHERE value = ? ORDER BY rowid")
    .all(NAME) as Array<{ id: string; account_id: string; status: string }>;
}

const ordersServed = (s: AcmeServer, authzId: string): number =>
  (
    s.h.db
      .prepare("SELECT count(*) AS n FROM acme_order_authz WHERE authz_id = ?")
      .get(authzId) as { n: number }
  ).n;

test("a renewal reuses the account's valid authorization; another account does not", async () => {
  const s = await server();
  const alice = await account(s, "reuse-a");
  await alice.run();
  const [first] = authzRows(s);
  assert.equal(first?.status, "valid");
  const out = await alice.renew();
  assert.match(out, /already valid/i, "lego skips the challenge");
  assert.equal(authzRows(s).length, 1, "no new authorization");
  assert.equal(ordersServed(s, first!.id), 2);

  const other = await account(s, "reuse-b");
  const otherOut = await other.run();
  assert.doesNotMatch(otherOut, /already valid/i);
  const rows = authzRows(s);
  assert.equal(rows.length, 2, "a different account validates for itself");
  assert.notEqual(rows[1]!.account_id, rows[0]!.account_id);
  assert.ok(other.hasCert());
});

test("expired, deactivated and revoked authorizations are not reused", async () => {
  const s = await server();
  const alice = await account(s, "reuse-states");
  await alice.run();
  const cases: Array<[string, string]> = [
    ["expired", "UPDATE acme_authz SET expires = '2000-01-01T00:00:00.000Z' WHERE value = ?"],
    ["deactivated", "UPDATE acme_authz SET status = 'deactivated' WHERE value = ?"],
    ["revoked", "UPDATE acme_authz SET status = 'revoked' WHERE value = ?"],
  ];
  for (const [what, sql] of cases) {
    const before = authzRows(s).length;
    s.h.db.prepare(sql).run(NAME);
    const out = await alice.renew();
    assert.doesNotMatch(out, /already valid/i, what);
    assert.equal(authzRows(s).length, before + 1, `${what}: a new authorization`);
  }
});

test("authz_reuse_days = 0 turns reuse off", async () => {
  const s = await server(0);
  const alice = await account(s, "reuse-off");
  await alice.run();
  await alice.renew();
  assert.equal(authzRows(s).length, 2);
});
