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

test("a child is gone once its output has ended, with what a process it left behind wrote", async () => {
  // sh exits at once; the subshell it starts in the background holds the pipes and writes later.
  const script = "(sleep 0.3; echo late) & echo early";
  const child = startProcess("/bin/sh", { args: ["-c", script] });
  assert.equal(await child.exited, 0);
  assert.equal(child.output(), "early\nlate\n");
  const again = startProcess("/bin/sh", { args: ["-c", script] });
  assert.equal((await again.waitForLine(/^late$/))[0], "late");
});
