// mciasctl against the real server: human and --json output, system tokens, policies,
// audit verify (detecting a row edited or deleted directly in the SQLite file), backup and restore.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import type { Command } from "commander";
import { buildMciasctl } from "../src/cli/program.ts";
import { type MciasInstance, startMcias } from "./helpers.ts";

const CTL = resolve(import.meta.dirname, "../src/cmd/mciasctl.ts");
let m: MciasInstance;
let work: string;

function ctl(args: string[], opts: { input?: string; token?: string } = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", CTL, "--server", m.url, ...args], {
    encoding: "utf8",
    input: opts.input ?? "",
    env: {
      ...process.env,
      MCIAS_TOKEN: opts.token ?? m.adminToken,
      XDG_CONFIG_HOME: join(work, "config"),
    },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "mciasctl-"));
  mkdirSync(join(work, "srv"));
  m = await startMcias({ dir: join(work, "srv") });
});
after(async () => {
  await m?.stop();
  rmSync(work, { recursive: true, force: true });
});

test("accounts, roles, policies and system tokens through the CLI", () => {
  const c = ctl(["account", "create", "Grace", "--role", "user", "--password"], {
    input: "grace-password-1\n",
  });
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /created human account grace/);
  assert.equal(ctl(["account", "create", "svc-build", "--type", "system"]).code, 0);

  const list = ctl(["--json", "account", "list"]);
  const accounts = (JSON.parse(list.out) as { accounts: { username: string }[] }).accounts.map(
    (a) => a.username,
  );
  assert.deepEqual(accounts.sort(), ["admin", "grace", "svc-build"]);
  assert.match(ctl(["account", "list"]).out, /^USERNAME\s+TYPE\s+ROLES/);

  assert.match(ctl(["role", "set", "grace", "user,guest"]).out, /roles guest,user/);
  const bad = ctl(["role", "set", "svc-build", "user"]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /invalid_role/);

  assert.equal(
    ctl([
      "policy",
      "add",
      "--priority",
      "5",
      "--effect",
      "allow",
      "--type",
      "system",
      "--service",
      "mcns",
    ]).code,
    0,
  );
  assert.match(ctl(["policy", "list"]).out, /default: deny/);

  assert.notEqual(ctl(["token", "issue", "svc-build"]).code, 0, "--audience is required");
  const issued = ctl(["token", "issue", "svc-build", "--audience", "mcns"]);
  assert.equal(issued.code, 0, issued.err);
  const token = issued.out.trim();
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const tokens = JSON.parse(ctl(["--json", "token", "list", "svc-build"]).out) as {
    tokens: { token_id: string }[];
  };
  assert.equal(tokens.tokens.length, 1);
  const revoked = ctl(["token", "revoke", tokens.tokens[0]!.token_id]);
  assert.equal(revoked.code, 0, revoked.err);
  assert.match(ctl(["token", "list", "svc-build"]).out, /system\s+mcns\s+\S+\s+\d{4}-/);

  assert.equal(ctl(["account", "disable", "grace"]).code, 0);
  assert.equal(ctl(["account", "unlock", "grace"]).code, 0);
  const noToken = ctl(["account", "list"], { token: "" });
  assert.equal(noToken.code, 1);
  assert.match(noToken.err, /^error: not logged in: .*MCIAS_TOKEN.* \(unauthenticated\)\n$/);
  assert.match(ctl(["keys", "rotate"]).out, /now signing with/);

  const login = ctl(["login", "admin"], { input: `${m.adminPassword}\n`, token: "" });
  assert.equal(login.code, 0, login.err);
  const adminToken = login.out.trim();
  assert.ok(!login.err.includes(m.adminPassword), "the password is not echoed");
  assert.equal(ctl(["account", "show", "admin"], { token: adminToken }).code, 0);
  assert.match(login.err, /token for mcias cached in .*tokens\.json/);
  const cached = ctl(["account", "show", "admin"], { token: "" });
  assert.equal(cached.code, 0, cached.err);

  const forMcns = ctl(["login", "admin", "--service", "mcns"], {
    input: `${m.adminPassword}\n`,
    token: "",
  });
  assert.equal(forMcns.code, 0, forMcns.err);
  const denied = ctl(["account", "list"], { token: forMcns.out.trim() });
  assert.equal(denied.code, 1);
  assert.match(denied.err, /^error: [^\n]+ \([a-z_]+\)\n$/, "one sentence with the stable code");
  assert.equal(ctl(["account", "list"], { token: "" }).code, 0, "the mcias token stays cached");
});

test("audit verify detects an edited row and a deleted row in the SQLite file", () => {
  const ok = ctl(["audit", "verify"]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /audit log intact: \d+ rows/);
  assert.match(ctl(["audit", "list", "--event", "account_created"]).out, /account_created/);

  const backup = join(work, "before-tamper.db");
  const b = ctl(["backup", "--db", m.dbPath, "--out", backup]);
  assert.equal(b.code, 0, b.err);
  assert.ok(existsSync(backup));

  const db = new Database(m.dbPath);
  db.exec("DROP TRIGGER audit_log_no_update");
  db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2").run();
  db.close();
  const edited = ctl(["audit", "verify"]);
  assert.equal(edited.code, 1);
  assert.match(edited.out, /TAMPERED[\s\S]*seq 2: row content altered/);

  const copy = join(work, "tampered.db");
  assert.equal(ctl(["backup", "--db", m.dbPath, "--out", copy]).code, 0);
  const db2 = new Database(copy);
  db2.exec("DROP TRIGGER audit_log_no_delete");
  db2.prepare("DELETE FROM audit_log WHERE seq = 4").run();
  db2.close();
  const deleted = ctl(["--json", "audit", "verify", "--db", copy]);
  assert.equal(deleted.code, 1);
  const v = JSON.parse(deleted.out) as { ok: boolean; problems: { problem: string }[] };
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => p.problem.startsWith("missing rows 4")));

  assert.equal(ctl(["audit", "verify", "--db", backup]).code, 0);
});

test("restore refuses a live database and restores a stopped one", async () => {
  const snap = join(work, "snap.db");
  assert.equal(ctl(["backup", "--db", m.dbPath, "--out", snap]).code, 0);
  ctl(["account", "create", "after-backup", "--role", "user"]);
  const live = ctl(["restore", "--db", m.dbPath, "--from", snap]);
  assert.equal(live.code, 1);
  assert.match(live.err, /still running/);
  const { dir, adminPassword } = m;
  await m.stop();
  const r = ctl(["restore", "--db", join(dir, "mcias.db"), "--from", snap]);
  assert.equal(r.code, 0, r.err);
  m = await startMcias({ dir, adminPassword });
  const names = (
    JSON.parse(ctl(["--json", "account", "list"]).out) as { accounts: { username: string }[] }
  ).accounts.map((a) => a.username);
  assert.ok(!names.includes("after-backup"));
  assert.ok(names.includes("grace"));
});

test("every command has a description for --help", () => {
  const undescribed = (c: Command): string[] =>
    c.commands.flatMap((s) => [...(s.description() ? [] : [s.name()]), ...undescribed(s)]);
  assert.deepEqual(undescribed(buildMciasctl()), []);
});
