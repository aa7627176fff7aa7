import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import Database from "better-sqlite3";
import { openDatabase } from "../db/open.ts";
import { createArchive } from "./create.ts";
import { extractArchive } from "./extract.ts";
import { listArchive } from "./list.ts";
import { ArchiveError, BLOCK, encodeHeader, padding, type TarEntry } from "./tar-format.ts";

const mode = (p: string) => statSync(p).mode & 0o777;

function buildServiceDir(root: string) {
  mkdirSync(join(root, "certs"), { mode: 0o750 });
  mkdirSync(join(root, "deep/a/b"), { recursive: true });
  writeFileSync(join(root, "svc.toml"), "[server]\nlisten_addr = ':1'\n", { mode: 0o640 });
  writeFileSync(join(root, "certs/key.pem"), "PRIVATE", { mode: 0o600 });
  writeFileSync(join(root, "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
  writeFileSync(join(root, "empty"), "");
  writeFileSync(join(root, "deep/a/b/big.bin"), randomBytes(300_000));
  writeFileSync(join(root, `deep/${"n".repeat(120)}.txt`), "long name");
  symlinkSync("certs/key.pem", join(root, "current-key"));
  chmodSync(join(root, "certs"), 0o750);
}

test("round trip keeps contents, modes, long names and inside symlinks", async (t) => {
  const tmp = tempDirFor(t, "mc-arch-");
  const src = tmp.join("svc");
  mkdirSync(src);
  buildServiceDir(src);
  const out = tmp.join("backup.tar.zst");
  const sum = await createArchive(src, out);
  assert.equal(sum.entries, 11);
  assert.equal(mode(out), 0o600);
  const dest = tmp.join("restored");
  const res = await extractArchive(out, dest);
  assert.equal(res.entries, 11);
  for (const f of [
    "svc.toml",
    "certs/key.pem",
    "run.sh",
    "empty",
    "deep/a/b/big.bin",
    `deep/${"n".repeat(120)}.txt`,
  ]) {
    assert.deepEqual(readFileSync(join(dest, f)), readFileSync(join(src, f)), f);
    assert.equal(mode(join(dest, f)), mode(join(src, f)), `mode of ${f}`);
  }
  assert.equal(mode(join(dest, "certs")), 0o750);
  assert.equal(readlinkSync(join(dest, "current-key")), "certs/key.pem");
  assert.deepEqual(readdirSync(tmp.path).sort(), ["backup.tar.zst", "restored", "svc"]);
});

test("GNU tar reads our archives and we read GNU tar's", async (t) => {
  const tmp = tempDirFor(t, "mc-arch-");
  const src = tmp.join("svc");
  mkdirSync(src);
  buildServiceDir(src);
  const ours = tmp.join("ours.tar.zst");
  await createArchive(src, ours);
  const listing = execFileSync("sh", ["-c", `zstd -dc "${ours}" | tar -tvf -`]).toString();
  assert.match(listing, /-rwxr-xr-x .* run\.sh/);
  assert.match(listing, /current-key -> certs\/key\.pem/);
  assert.ok(listing.includes("n".repeat(120)));
  const theirs = tmp.join("theirs.tar.zst");
  execFileSync("sh", ["-c", `tar --format=posix -C "${src}" -cf - . | zstd -q -o "${theirs}"`]);
  const dest = tmp.join("from-gnu");
  await extractArchive(theirs, dest);
  assert.deepEqual(
    readFileSync(join(dest, "deep/a/b/big.bin")),
    readFileSync(join(src, "deep/a/b/big.bin")),
  );
  assert.equal(mode(join(dest, "run.sh")), 0o755);
});

test("a database is archived as an online snapshot, not as the live file", async (t) => {
  const tmp = tempDirFor(t, "mc-arch-");
  const src = tmp.join("svc");
  const db = openDatabase(join(src, "data/svc.db"), {
    migrations: [{ version: 1, name: "t", up: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)" }],
  });
  t.after(() => db.close());
  const ins = db.prepare("INSERT INTO t (v) VALUES (?)");
  for (let i = 0; i < 500; i++) ins.run(`row-${i}`);
  assert.ok(existsSync(join(src, "data/svc.db-wal")));
  const out = tmp.join("b.tar.zst");
  await createArchive(src, out, { db: { path: join(src, "data/svc.db"), handle: db } });
  const names = (await listArchive(out)).map((e) => e.name);
  assert.ok(names.includes("data/svc.db"));
  assert.ok(!names.some((n) => n.endsWith("-wal") || n.endsWith("-shm")));
  const dest = tmp.join("r");
  await extractArchive(out, dest);
  const copy = new Database(join(dest, "data/svc.db"), { readonly: true });
  t.after(() => copy.close());
  assert.equal(copy.pragma("integrity_check", { simple: true }), "ok");
  assert.equal(copy.prepare("SELECT count(*) FROM t").pluck().get(), 500);
  assert.equal(mode(join(dest, "data/svc.db")), 0o600);
  // Without a handle the file is opened read-only for the snapshot.
  await createArchive(src, tmp.join("c.tar.zst"), { db: { path: join(src, "data/svc.db") } });
  await assert.rejects(
    createArchive(src, tmp.join("d.tar.zst"), { db: { path: tmp.join("elsewhere.db") } }),
    /not inside/,
  );
});

// Crafted archives: raw tar blocks compressed with the zstd binary.
function craft(path: string, entries: (TarEntry & { body?: string })[]) {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? "");
    parts.push(encodeHeader({ ...e, size: body.length }), body, padding(body.length));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  execFileSync("zstd", ["-q", "-f", "-o", path], { input: Buffer.concat(parts) });
}

const f = (name: string, body = "x"): TarEntry & { body: string } => ({
  name,
  type: "file",
  mode: 0o644,
  size: 0,
  mtime: 0,
  body,
});
const l = (name: string, linkname: string): TarEntry => ({
  name,
  type: "symlink",
  mode: 0o777,
  size: 0,
  mtime: 0,
  linkname,
});

async function expectRefused(
  tmp: { path: string; join(...p: string[]): string },
  archive: string,
  pattern: RegExp,
) {
  const before = readdirSync(tmp.path).sort();
  const dest = tmp.join("target");
  await assert.rejects(
    extractArchive(archive, dest),
    (e: unknown) => e instanceof ArchiveError && pattern.test(e.message),
  );
  assert.equal(existsSync(dest), false, "target must not exist after a refused restore");
  assert.deepEqual(readdirSync(tmp.path).sort(), before, "nothing may be left beside the target");
}

test("entries escaping the target are refused and nothing is written outside", async (t) => {
  const tmp = tempDirFor(t, "mc-arch-");
  // ../evil made by GNU tar itself (-P keeps the leading ../), after a harmless entry.
  mkdirSync(tmp.join("inner"));
  writeFileSync(tmp.join("inner/ok.txt"), "fine");
  writeFileSync(tmp.join("evil"), "pwned");
  execFileSync("sh", ["-c", "tar -c -P -f - ok.txt ../evil | zstd -q -o ../dotdot.tar.zst"], {
    cwd: tmp.join("inner"),
  });
  execFileSync("sh", ["-c", `tar -c -P -f - "${tmp.join("evil")}" | zstd -q -o abs.tar.zst`], {
    cwd: tmp.path,
  });
  rmSync(tmp.join("evil"));
  rmSync(tmp.join("inner"), { recursive: true });
  await expectRefused(tmp, tmp.join("dotdot.tar.zst"), /refusing path with "\.\."/);
  assert.equal(existsSync(tmp.join("evil")), false);
  await expectRefused(tmp, tmp.join("abs.tar.zst"), /refusing absolute path/);
  assert.equal(existsSync(tmp.join("evil")), false);

  craft(tmp.join("link-out.tar.zst"), [f("a.txt"), l("escape", "../../etc")]);
  await expectRefused(tmp, tmp.join("link-out.tar.zst"), /points outside/);
  craft(tmp.join("link-abs.tar.zst"), [l("escape", "/etc/passwd")]);
  await expectRefused(tmp, tmp.join("link-abs.tar.zst"), /absolute or empty target/);
  // "a" → "." looks harmless, "a/b" → ".." is lexically inside but really the parent of the target.
  craft(tmp.join("link-chain.tar.zst"), [l("a", "."), l("a/b", ".."), f("a/b/evil")]);
  await expectRefused(tmp, tmp.join("link-chain.tar.zst"), /parent "a" is a symlink/);
  craft(tmp.join("dup.tar.zst"), [f("x"), l("x", "y")]);
  await expectRefused(tmp, tmp.join("dup.tar.zst"), /duplicate entry/);
  assert.equal(existsSync(tmp.join("evil")), false);
});

test("hard links, truncated and corrupt archives are refused; a non-empty target is refused", async (t) => {
  const tmp = tempDirFor(t, "mc-arch-");
  mkdirSync(tmp.join("src"));
  writeFileSync(tmp.join("src/one"), "1");
  linkSync(tmp.join("src/one"), tmp.join("src/two"));
  execFileSync("sh", ["-c", "tar -cf - one two | zstd -q -o ../hard.tar.zst"], {
    cwd: tmp.join("src"),
  });
  rmSync(tmp.join("src"), { recursive: true });
  await expectRefused(tmp, tmp.join("hard.tar.zst"), /unsupported type "1"/);

  const whole = Buffer.concat([encodeHeader({ ...f("a"), size: 5000 }), Buffer.alloc(1024, 1)]);
  execFileSync("zstd", ["-q", "-o", tmp.join("trunc.tar.zst")], { input: whole });
  await expectRefused(tmp, tmp.join("trunc.tar.zst"), /truncated/);
  const bad = encodeHeader(f("a"));
  bad[0] = 0x41; // breaks the checksum
  execFileSync("zstd", ["-q", "-o", tmp.join("bad.tar.zst")], {
    input: Buffer.concat([bad, Buffer.alloc(1024)]),
  });
  await expectRefused(tmp, tmp.join("bad.tar.zst"), /bad checksum/);
  writeFileSync(tmp.join("not-zstd.tar.zst"), "plain text");
  await expectRefused(tmp, tmp.join("not-zstd.tar.zst"), /zstd exited/);

  craft(tmp.join("bomb.tar.zst"), [f("a", "x".repeat(600)), f("b", "y".repeat(600))]);
  const target = tmp.join("target");
  await assert.rejects(
    extractArchive(tmp.join("bomb.tar.zst"), target, { maxBytes: 1000 }),
    /more than the allowed 1000 bytes/,
  );
  assert.equal(existsSync(target), false);

  craft(tmp.join("ok.tar.zst"), [f("a")]);
  mkdirSync(tmp.join("busy"));
  writeFileSync(tmp.join("busy/keep"), "mine");
  await assert.rejects(extractArchive(tmp.join("ok.tar.zst"), tmp.join("busy")), /not empty/);
  assert.equal(readFileSync(tmp.join("busy/keep"), "utf8"), "mine");
  mkdirSync(tmp.join("empty-dir"));
  await extractArchive(tmp.join("ok.tar.zst"), tmp.join("empty-dir"));
  assert.equal(readFileSync(tmp.join("empty-dir/a"), "utf8"), "x");
  assert.ok(lstatSync(tmp.join("empty-dir")).isDirectory());
});
