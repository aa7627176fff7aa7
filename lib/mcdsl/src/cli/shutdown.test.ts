import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { captureLogs } from "../log/capture.ts";
import { stopOnSignals } from "./shutdown.ts";

test("SIGTERM lets an in-flight request finish, then the process exits 0 with a log line", {
  timeout: 30_000,
}, async () => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "testdata/server-main.ts")],
    {
      env: { ...process.env, SLOW_MS: "300" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  let err = "";
  const waitFor = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(err);
        if (m) resolve(m);
      };
      child.stderr.on("data", (d) => {
        err += d;
        check();
      });
      child.once("exit", (c) => reject(new Error(`exited early ${c}: ${err}`)));
      check();
    });
  const port = Number((await waitFor(/PORT=(\d+)/))[1]);
  const exited = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
  const inflight = fetch(`http://127.0.0.1:${port}/v1/slow`).then((r) => r.text());
  await waitFor(/SLOW_STARTED/); // the handler is running: the request is in flight
  child.kill("SIGTERM");
  assert.equal(await inflight, "done");
  assert.equal(await exited, 0);
  const msgs = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).msg);
  assert.ok(msgs.includes("shutting down"));
  assert.ok(msgs.includes("stopped"));
});

test("a failing close exits 1; a second signal exits 130 at once", async () => {
  const cap = captureLogs();
  const codes: number[] = [];
  let release!: () => void;
  const remove = stopOnSignals({
    logger: cap.logger,
    signals: ["SIGUSR2"],
    close: () =>
      new Promise<void>((_, reject) => {
        release = () => reject(new Error("db busy"));
      }),
    exit: (c) => void codes.push(c),
  });
  process.emit("SIGUSR2", "SIGUSR2");
  process.emit("SIGUSR2", "SIGUSR2");
  assert.deepEqual(codes, [130]);
  release();
  while (codes.length < 2) await new Promise((r) => setImmediate(r));
  assert.deepEqual(codes, [130, 1]);
  assert.ok(cap.records().some((r) => r.msg === "shutdown failed"));
  remove();
});
