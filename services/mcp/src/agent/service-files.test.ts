// Paths into /srv/<service>/ on a real file system (a temp root): what is written and read, and
// every way out refused with path_refused: "..", absolute paths, NUL, a symlink to outside
// (as a parent or as the file), a dangling symlink; a bad service name is invalid_service.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { makeTempDir, type TempDir } from "@metacircular/testkit";
import { type FilesConfig, openServiceFile, writeServiceFile } from "./service-files.ts";

let tmp: TempDir;
let cfg: FilesConfig;

before(() => {
  tmp = makeTempDir("mcp-files-");
  cfg = { root: tmp.join("srv"), maxBytes: 1000 };
  mkdirSync(tmp.join("srv/hello"), { recursive: true });
  mkdirSync(tmp.join("outside"));
  writeFileSync(tmp.join("outside/secret"), "secret");
  symlinkSync(tmp.join("outside"), tmp.join("srv/hello/out"));
  symlinkSync(tmp.join("outside/secret"), tmp.join("srv/hello/secret-link"));
  symlinkSync("../../outside/nothing", tmp.join("srv/hello/dangling"));
  mkdirSync(tmp.join("srv/hello/conf"));
  symlinkSync("conf", tmp.join("srv/hello/conf-link"));
});
after(() => tmp.remove());

async function* bytes(s: string) {
  yield Buffer.from(s);
}

async function read(service: string, path: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await openServiceFile(cfg, service, path)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    return e.code;
  }
}

test("a file written and read back, folders created, mode kept", async () => {
  assert.equal(await writeServiceFile(cfg, "hello", "conf/a/b.toml", 0o600, bytes("x=1")), 3);
  assert.equal(readFileSync(tmp.join("srv/hello/conf/a/b.toml"), "utf8"), "x=1");
  assert.equal(statSync(tmp.join("srv/hello/conf/a/b.toml")).mode & 0o777, 0o600);
  assert.equal(await read("hello", "./conf//a/b.toml"), "x=1");
  // A symlink that stays inside the folder is followed.
  assert.equal(await read("hello", "conf-link/a/b.toml"), "x=1");
  // A new service's folder is created.
  await writeServiceFile(cfg, "fresh", "f.txt", 0, bytes("new"));
  assert.equal(await read("fresh", "f.txt"), "new");
});

const refusals: Array<[string, string, string]> = [
  ["dot-dot", "../other/x", "path_refused"],
  ["dot-dot inside", "conf/../../x", "path_refused"],
  ["absolute", "/etc/passwd", "path_refused"],
  ["NUL", "a\0b", "path_refused"],
  ["empty", "./", "path_refused"],
  ["symlinked parent leading outside", "out/secret", "path_refused"],
  ["symlink to a file outside", "secret-link", "path_refused"],
  ["dangling symlink", "dangling", "path_refused"],
];

for (const [name, path, want] of refusals) {
  test(`refused: ${name}`, async () => {
    assert.equal(await code(read("hello", path)), want, `read ${path}`);
    assert.equal(await code(writeServiceFile(cfg, "hello", path, 0, bytes("evil"))), want);
  });
}

test("nothing was written outside; bad service names and oversize files are refused", async () => {
  assert.equal(readFileSync(tmp.join("outside/secret"), "utf8"), "secret");
  assert.equal(await code(read("../etc", "passwd")), "invalid_service");
  assert.equal(await code(read("Hello", "x")), "invalid_service");
  assert.equal(await code(read("hello", "missing")), "file_not_found");
  assert.equal(await code(read("hello", "conf")), "path_refused");
  const big = writeServiceFile(cfg, "hello", "big", 0, bytes("y".repeat(1001)));
  assert.equal(await code(big), "file_too_large");
  assert.equal(await code(read("hello", "big")), "file_not_found");
});
