import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { startProcess } from "./process.ts";
import { tempDirFor } from "./tmp.ts";

test("startProcess captures output, waits for a line and stops the child", async (t) => {
  const dir = tempDirFor(t);
  const script = dir.join("child.ts");
  writeFileSync(script, 'console.log("listening on 4242");\nsetInterval(() => {}, 1000);\n');
  const child = startProcess(script);
  const m = await child.waitForLine(/listening on (\d+)/);
  assert.equal(m[1], "4242");
  const code = await child.stop();
  assert.equal(code, "SIGTERM");
});

test("waitForLine rejects when the child exits first", async (t) => {
  const dir = tempDirFor(t);
  const script = dir.join("exits.ts");
  writeFileSync(script, 'console.error("boom"); process.exit(3);\n');
  const child = startProcess(script);
  await assert.rejects(child.waitForLine(/never/), /exited before/);
  assert.equal(await child.exited, 3);
});

test("a child's output is complete once it is gone, for exited and for waitForLine", async (t) => {
  const dir = tempDirFor(t);
  const script = dir.join("chatty.ts");
  // More than a pipe holds, so the parent is still reading when the child has exited.
  writeFileSync(
    script,
    'process.stdout.write("x".repeat(1 << 20));\nprocess.stderr.write("last words\\n");\nprocess.exit(4);\n',
  );
  for (let i = 0; i < 5; i++) {
    const child = startProcess(script);
    assert.equal(await child.exited, 4);
    assert.equal(child.output().length, (1 << 20) + "last words\n".length);
  }
  const child = startProcess(script);
  assert.equal((await child.waitForLine(/^last words$/))[0], "last words");
});
