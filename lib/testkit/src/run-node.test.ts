import assert from "node:assert/strict";
import { test } from "node:test";
import { runNode } from "./run-node.ts";

test("runNode returns code and output of a run that succeeds and of one that fails", async () => {
  const ok = await runNode(["-e", "process.stdout.write(process.cwd() + process.env.X)"], {
    cwd: "/",
    env: { X: "!" },
  });
  assert.deepEqual(ok, { code: 0, out: "/!", err: "" });
  const bad = await runNode(["-e", "console.error('no'); process.exit(3)"]);
  assert.deepEqual(bad, { code: 3, out: "", err: "no\n" });
});

test("runNode feeds stdin and stops a run that outlives its timeout", async () => {
  const echo = await runNode(["-e", "process.stdin.pipe(process.stdout)"], { input: "hi\n" });
  assert.deepEqual(echo, { code: 0, out: "hi\n", err: "" });
  const slow = await runNode(["-e", "setTimeout(() => {}, 60_000)"], { timeoutMs: 200 });
  assert.equal(slow.code, -1);
});
