// The mcq CLI as a child process against a real mcq and MCIAS: login caches the token (0600),
// push takes the slug from the file name, list and open use the cached token, --json output,
// and a refused token prints one error line with its code.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT, tempDirFor } from "@metacircular/testkit";
import { PASSWORD, startStack } from "./helpers/stack.ts";

const run = promisify(execFile);
const ENTRY = resolve(import.meta.dirname, "../src/cmd/mcq.ts");

test("mcq login, push, list, open and errors", async (t) => {
  const s = await startStack(t);
  const dir = tempDirFor(t, "mcq-cli-").path;
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, "config"), MCIAS_PASSWORD: PASSWORD };
  const mcq = async (...args: string[]) => {
    try {
      const r = await run(
        process.execPath,
        ["--import", "tsx", ENTRY, "--server", s.url, "--mcias-url", s.mcias.url, ...args],
        { cwd: REPO_ROOT, env, timeout: 60_000 },
      );
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };

  const login = await mcq("login", "alice");
  assert.equal(login.code, 0, login.err);
  assert.match(login.out, /logged in as alice; token cached in /);
  const cache = join(dir, "config/metacircular/tokens.json");
  assert.equal(statSync(cache).mode & 0o777, 0o600);

  mkdirSync(join(dir, "notes"));
  const file = join(dir, "notes", "Release Notes.md");
  writeFileSync(file, "# Release 1.2\n\nShips the otter feature.\n");
  const push = await mcq("push", file, "--tag", "release");
  assert.equal(push.code, 0, push.err);
  assert.equal(push.out, "created release-notes (version 1)\n");
  const again = await mcq("--json", "push", file, "--slug", "release-notes", "--title", "R 1.2");
  assert.equal(JSON.parse(again.out).version, 2);
  assert.equal(JSON.parse(again.out).created, false);

  const list = await mcq("--json", "list", "--search", "otter");
  const docs = JSON.parse(list.out).documents as Array<{
    slug: string;
    title: string;
    read: boolean;
  }>;
  assert.deepEqual(
    docs.map((d) => [d.slug, d.title, d.read]),
    [["release-notes", "R 1.2", false]],
  );
  const human = await mcq("list", "--unread");
  assert.match(human.out, /release-notes\s+R 1\.2\s+unread\s+alice/);
  const open = await mcq("open", "release-notes");
  assert.equal(open.out, `${s.url}/d/release-notes\n`);

  const refused = await mcq("--token", "not-a-token", "list");
  assert.equal(refused.code, 1);
  assert.match(refused.err, /^error: .* \(unauthenticated\)\n$/);
  const missing = await mcq("open", "nope");
  assert.match(missing.err, /\(document_not_found\)/);
});
