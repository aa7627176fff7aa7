// The pieces of `npm start` on their own, with real parts: the free-port check and its owner
// lookup against a socket this process holds, argument parsing, Metacrypt's dev CA verified by
// openssl, the "password changed" decision made by a real MCIAS, and when the optional MCP
// agent is skipped.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, makeTempDir, REPO_ROOT, startMcias } from "@metacircular/testkit";
import {
  checkAdminPassword,
  ensureAdminPassword,
  loginFirstAdmin,
  passwordToShow,
} from "./admin-password.ts";
import { certificateNames, platformContext } from "./context.ts";
import { prepareDataDir, resetRefusal } from "./data-dir.ts";
import { layoutOf } from "./layout.ts";
import { parseStartOptions, UsageError } from "./options.ts";
import { ensurePlatformCertificates, leafValid } from "./platform-ca.ts";
import { describePortOwner } from "./port-owner.ts";
import {
  conflictMessage,
  findPortConflict,
  PORT_LAYOUT,
  PORT_SPAN,
  portLayout,
  portsFrom,
} from "./ports.ts";
import { readyReport, sh } from "./ready-report.ts";
import { SERVICES } from "./registry.ts";
import { agentUnavailable } from "./services/mcp-agent.ts";

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(port, "127.0.0.1", () => resolve(srv));
  });
}

test("a held port is reported with its owner, in one line", async () => {
  const port = await freePort();
  const srv = await listen(port);
  try {
    assert.match(describePortOwner(port, "tcp") ?? "", new RegExp(`^pid ${process.pid} \\(.*node`));
    // The held port is the first of the layout, so nothing else can be found before it.
    const base = port;
    const conflict = await findPortConflict(portsFrom(base));
    assert.equal(conflict?.port, port);
    const line = conflictMessage(conflict!, base);
    assert.equal(line.includes("\n"), false);
    assert.match(line, new RegExp(`port ${port}/tcp .* in use by pid ${process.pid} `));
    assert.match(line, new RegExp(`uses ${base}-${base + PORT_SPAN - 1}`));
  } finally {
    srv.close();
  }
  assert.equal(describePortOwner(port, "tcp"), undefined);
});

test("the registry: unique names, port keys and offsets; the web listener at the base", () => {
  const names = SERVICES.map((s) => s.name);
  assert.equal(new Set(names).size, names.length, names.join(", "));
  assert.equal(PORT_LAYOUT[0]?.key, "web");
  assert.equal(PORT_LAYOUT[0]?.offset, 0);
  const demo = (key: string, offset: number) => ({
    ...SERVICES[0]!,
    name: key,
    ports: [{ key, offset, label: key }],
  });
  assert.throws(() => portLayout([demo("a", 1), demo("b", 1)]), /both use offset 1/);
  assert.throws(() => portLayout([demo("a", 1), demo("a", 2)]), /same port key/);
});

test("a service left behind by a supervisor that is gone is named as a leftover", async () => {
  const gone = spawnSync(process.execPath, ["-e", ""]).pid;
  const port = await freePort();
  const leftover = spawn(
    process.execPath,
    ["-e", `require("net").createServer().listen(${port}, "127.0.0.1", () => console.log("up"))`],
    { env: { ...process.env, MC_SUPERVISOR_PID: String(gone) } },
  );
  try {
    await new Promise<void>((r) => leftover.stdout.once("data", () => r()));
    assert.match(
      describePortOwner(port, "tcp") ?? "",
      new RegExp(`^pid ${leftover.pid} \\(.*left over from an earlier npm start: kill it\\)$`),
    );
  } finally {
    leftover.kill("SIGKILL");
  }
});

test("options: flags beat the environment, bad values are usage errors", () => {
  const o = parseStartOptions(["--port-base", "20000", "--reset"], { MC_PORT_BASE: "30000" }, "/r");
  assert.equal(o.portBase, 20000);
  assert.equal(o.reset, true);
  assert.equal(o.dataDir, "/r/.tmp/platform");
  const e = parseStartOptions([], { MC_PORT_BASE: "30000", MC_DATA_DIR: "/d" }, "/r");
  assert.equal(e.portBase, 30000);
  assert.equal(e.dataDir, "/d");
  assert.equal(parseStartOptions([], {}, "/r").portBase, undefined);
  for (const bad of [
    ["--port-base", "80"],
    ["--port-base", "65535"],
    ["--port-base", "x"],
    ["--nope"],
  ])
    assert.throws(() => parseStartOptions(bad, {}, "/r"), UsageError, bad.join(" "));
});

test("--without leaves out optional services only", () => {
  const optional = ["mcp-agent"];
  const flag = parseStartOptions(["--without", "mcp-agent"], {}, "/r", optional);
  assert.deepEqual(flag.without, ["mcp-agent"]);
  assert.deepEqual(parseStartOptions([], { MC_WITHOUT: "mcp-agent," }, "/r", optional).without, [
    "mcp-agent",
  ]);
  assert.deepEqual(parseStartOptions([], {}, "/r", optional).without, []);
  for (const bad of [
    ["--without", "mcias"],
    ["--without", "nope"],
  ])
    assert.throws(
      () => parseStartOptions(bad, {}, "/r", optional),
      /is not an optional service \(optional: mcp-agent\)/,
    );
});

test("--reset deletes only a data dir npm start made", () => {
  const tmp = makeTempDir("mc-start-reset-");
  try {
    const l = layoutOf(join(tmp.path, "data"));
    assert.equal(resetRefusal(l), undefined, "a missing dir");
    mkdirSync(l.root);
    assert.equal(resetRefusal(l), undefined, "an empty dir");
    writeFileSync(join(l.root, "notes.txt"), "mine");
    assert.match(resetRefusal(l) ?? "", /not made by npm start/);
    writeFileSync(l.stateFile, '{"port_base":18443}');
    assert.equal(resetRefusal(l), undefined);
  } finally {
    tmp.remove();
  }
});

test("shell words in the printed commands are quoted only when needed", () => {
  assert.equal(sh("/tmp/data/admin-password"), "/tmp/data/admin-password");
  assert.equal(sh("/tmp/my data/it's"), "'/tmp/my data/it'\\''s'");
});

test("Metacrypt's CA issues leaves openssl verifies for each name, once, kept while valid", () => {
  const tmp = makeTempDir("mc-start-ca-");
  try {
    const l = layoutOf(tmp.path);
    prepareDataDir(
      l,
      SERVICES.map((s) => s.name),
    );
    const c = platformContext(SERVICES, {
      repoRoot: REPO_ROOT,
      layout: l,
      ports: portsFrom(40_000),
      adminPassword: undefined,
    });
    for (const s of SERVICES) s.writeConfig(c);
    const names = certificateNames(SERVICES, c);
    assert.ok(names.includes("mcias.localhost") && names.includes("mcr.localhost"), `${names}`);
    // A data dir from before: its self-made CA is retired, every leaf re-issued.
    writeFileSync(join(l.caDir, "ca.key"), "old");
    assert.deepEqual(ensurePlatformCertificates(c, SERVICES, names), names);
    assert.equal(existsSync(join(l.caDir, "ca.key")), false);
    assert.match(
      execFileSync("openssl", ["x509", "-in", l.caCert, "-noout", "-subject"]).toString(),
      /DEV CA/,
    );
    for (const n of names) {
      const f = c.cert(n);
      execFileSync("openssl", ["verify", "-CAfile", l.caCert, f.cert], { stdio: "pipe" });
      const text = execFileSync("openssl", [
        "x509",
        "-in",
        f.cert,
        "-noout",
        "-ext",
        "subjectAltName",
      ]);
      assert.match(
        text.toString(),
        new RegExp(`DNS:${n.replaceAll(".", "\\.")}, IP Address:127\\.0\\.0\\.1`),
      );
      assert.equal(statSync(f.key).mode & 0o777, 0o600);
      assert.ok(leafValid(c, n));
    }
    const unseal = join(l.service("metacrypt").dir, "dev-unseal-password");
    assert.equal(statSync(unseal).mode & 0o777, 0o600);
    // Kept while valid; a missing one alone is issued again, by the same CA.
    const before = readFileSync(c.cert(names[0]!).cert, "utf8");
    const ca = readFileSync(l.caCert, "utf8");
    assert.deepEqual(ensurePlatformCertificates(c, SERVICES, names), []);
    assert.equal(
      readFileSync(c.cert(names[0]!).cert, "utf8"),
      before,
      "a valid leaf was re-issued",
    );
    rmSync(c.cert(names[1]!).cert);
    assert.deepEqual(ensurePlatformCertificates(c, SERVICES, names), [names[1]]);
    assert.equal(readFileSync(l.caCert, "utf8"), ca, "the CA changed");
    assert.ok(leafValid(c, names[1]!));
  } finally {
    tmp.remove();
  }
});

test("the admin password file: made 0600 before MCIAS's first run only", () => {
  const tmp = makeTempDir("mc-start-pw-");
  try {
    const file = join(tmp.path, "admin-password");
    assert.equal(
      ensureAdminPassword(file, true),
      undefined,
      "no file may appear for an existing DB",
    );
    assert.equal(existsSync(file), false);
    const pw = ensureAdminPassword(file, false);
    assert.ok(pw && pw.length >= 20);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(ensureAdminPassword(file, true), pw);
    writeFileSync(file, "kept-as-is\n");
    assert.equal(ensureAdminPassword(file, false), "kept-as-is");
  } finally {
    tmp.remove();
  }
});

test("MCIAS decides whether the generated password still works", async () => {
  const first = "generated-password-1";
  const m = await startMcias({ adminPassword: first });
  const tmp = makeTempDir("mc-start-pw-");
  const file = join(tmp.path, "admin-password");
  writeFileSync(file, `${first}\n`, { mode: 0o600 });
  try {
    assert.equal(await checkAdminPassword(m.url, first), "valid");
    assert.deepEqual(await passwordToShow(m.url, file, first), { password: first, file });
    assert.equal(existsSync(file), true);
    const res = await m.api("PUT", "/v1/auth/password", {
      current_password: first,
      new_password: "a-new-password-of-mine",
    });
    assert.equal(res.status, 200, await res.text());
    assert.equal(await checkAdminPassword(m.url, first), "changed");
    assert.equal(await checkAdminPassword(m.url, "a-new-password-of-mine"), "valid");
    assert.equal(await passwordToShow(m.url, file, first), undefined);
    assert.equal(existsSync(file), false, "the stale password file was kept");
  } finally {
    await m.stop();
    tmp.remove();
  }
  // Nothing answering is not a change.
  assert.equal(await checkAdminPassword(`http://127.0.0.1:${await freePort()}`, first), "unknown");
});

test("set-up logins as the first admin end for good on a refusal, and wait while MCIAS is away", async () => {
  const first = "generated-password-2";
  const m = await startMcias({ adminPassword: first });
  const tmp = makeTempDir("mc-start-setup-");
  const file = join(tmp.path, "admin-password");
  writeFileSync(file, `${first}\n`, { mode: 0o600 });
  try {
    const ok = await loginFirstAdmin(m.url, file, "mcns");
    assert.equal(ok.kind, "token");
    const res = await m.api("PUT", "/v1/auth/password", {
      current_password: first,
      new_password: "another-password-of-mine",
    });
    assert.equal(res.status, 200, await res.text());
    // One refused attempt removes the file, so no later probe tries the stale password again.
    assert.deepEqual(await loginFirstAdmin(m.url, file, "mcns"), {
      kind: "refused",
      reason: "the first admin's password was changed",
    });
    assert.equal(existsSync(file), false);
    assert.equal((await loginFirstAdmin(m.url, file, "mcns")).kind, "refused");
  } finally {
    await m.stop();
    tmp.remove();
  }
  const away = makeTempDir("mc-start-setup-");
  const again = join(away.path, "admin-password");
  writeFileSync(again, `${first}\n`);
  try {
    await assert.rejects(loginFirstAdmin(`http://127.0.0.1:${await freePort()}`, again, "mcns"));
    assert.equal(existsSync(again), true, "MCIAS not answering is not a refusal");
  } finally {
    away.remove();
  }
});

test("the MCP agent is optional: without podman, runc, catatonit or root it says why and how", () => {
  const tmp = makeTempDir("mc-agent-avail-");
  try {
    const bin = tmp.join("bin");
    mkdirSync(bin);
    const catatonit = tmp.join("catatonit");
    const noPodman = agentUnavailable({ PATH: bin }, 0, catatonit);
    assert.match(
      noPodman ?? "",
      /^podman, runc, catatonit not installed; .*apt-get install podman/,
    );
    // Real executables on PATH (a file that is not executable does not count).
    for (const b of ["podman", "runc"]) writeFileSync(join(bin, b), "#!/bin/sh\n", { mode: 0o755 });
    writeFileSync(catatonit, "");
    assert.equal(agentUnavailable({ PATH: bin }, 0, catatonit), undefined);
    assert.match(agentUnavailable({ PATH: bin }, 1000, catatonit) ?? "", /as root/);
    chmodSync(join(bin, "runc"), 0o644);
    assert.match(agentUnavailable({ PATH: bin }, 0, catatonit) ?? "", /^runc not installed/);
    // The ready summary names a skipped service with the reason, and offers none of its commands.
    const c = platformContext(SERVICES, {
      repoRoot: REPO_ROOT,
      layout: layoutOf(tmp.path),
      ports: portsFrom(40_000),
      adminPassword: undefined,
    });
    const report = readyReport({
      services: SERVICES.filter((s) => s.name !== "mcp-agent"),
      skipped: [{ name: "mcp-agent", reason: noPodman ?? "" }],
      context: c,
      profilePath: tmp.join("profile.json"),
      admin: undefined,
      supervisorPid: 1,
      startedMs: 1,
    });
    assert.match(report, /^ {2}Skipped: +mcp-agent: podman, runc, catatonit not installed; /m);
    assert.doesNotMatch(report, /npx mcp /);
    // The descriptor is the only optional one.
    assert.deepEqual(
      SERVICES.filter((s) => s.unavailable).map((s) => s.name),
      ["mcp-agent"],
    );
  } finally {
    tmp.remove();
  }
});
