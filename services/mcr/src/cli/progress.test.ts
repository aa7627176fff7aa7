import assert from "node:assert/strict";
import { test } from "node:test";
import { withProgress } from "./progress.ts";

test("progress: start line, periodic lines on a terminal, the duration; errors pass through", async () => {
  const lines: string[] = [];
  const io = { out: () => undefined, err: (t: string) => void lines.push(t) };
  const r = await withProgress(io, "gc", () => new Promise((ok) => setTimeout(() => ok(7), 120)), {
    tty: true,
    everyMs: 20,
  });
  assert.equal(r, 7);
  assert.equal(lines[0], "gc…\n");
  assert.ok(lines.some((l) => /^gc: still running, \d+\.\d s\n$/.test(l)));
  assert.match(lines.at(-1)!, /^gc: done in \d+\.\d s\n$/);
  const quiet: string[] = [];
  await assert.rejects(
    withProgress({ out: () => undefined, err: (t) => void quiet.push(t) }, "x", async () => {
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.deepEqual(quiet, ["x…\n"]);
});
