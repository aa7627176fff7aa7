import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { PasswordCollector } from "./collector.ts";
import { PasswordInputError, readPassword } from "./read-password.ts";

test("collector handles enter, backspace, ctrl-u, control keys, ctrl-c and ctrl-d", () => {
  const c = new PasswordCollector();
  assert.deepEqual(c.feed("pass"), { state: "more" });
  assert.deepEqual(c.feed("x\u007f\u001b[Awörd\r"), { state: "done", value: "pass[Awörd" });
  assert.deepEqual(new PasswordCollector().feed("junk\u0015new\n"), {
    state: "done",
    value: "new",
  });
  assert.deepEqual(new PasswordCollector().feed("ab\u0003"), {
    state: "aborted",
    reason: "interrupted",
  });
  assert.deepEqual(new PasswordCollector().feed("\u0004"), { state: "aborted", reason: "eof" });
  assert.deepEqual(new PasswordCollector().feed("a\u0004b\r"), { state: "done", value: "ab" });
});

test("without a terminal one line is read and the rest is left for the next reader", async () => {
  const input = new PassThrough();
  input.end("s3cret\r\nnext line\n");
  assert.equal(await readPassword("ignored", { input }), "s3cret");
  const rest = await new Promise<string>((r) => {
    let s = "";
    input.on("data", (d) => {
      s += d;
    });
    input.on("end", () => r(s));
    input.resume();
  });
  assert.equal(rest, "next line\n");
});

test("without a terminal: no trailing newline is fine, empty input is an error", async () => {
  const a = new PassThrough();
  a.end("last");
  assert.equal(await readPassword("", { input: a }), "last");
  const b = new PassThrough();
  b.end("");
  await assert.rejects(readPassword("", { input: b }), PasswordInputError);
});

function underPty(
  t: { after(fn: () => void): void },
  keys: string,
): Promise<{ screen: string; result: Record<string, string> }> {
  const dir = tempDirFor(t, "mc-pty-");
  const result = dir.join("result.json");
  const helper = join(import.meta.dirname, "testdata/prompt-helper.ts");
  const cmd = `${process.execPath} --import tsx ${helper}`;
  const child = spawn("script", ["-qec", cmd, "/dev/null"], {
    env: { ...process.env, RESULT_FILE: result },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  let sent = false;
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      screen += d.toString();
      // Type only after the prompt: raw mode is on by then.
      if (!sent && screen.includes("Password: ")) {
        sent = true;
        child.stdin.write(keys);
      }
    });
    child.once("error", reject);
    child.once("close", () => {
      try {
        resolve({ screen, result: JSON.parse(readFileSync(result, "utf8")) });
      } catch (e) {
        reject(new Error(`no result; screen was: ${JSON.stringify(screen)} (${e})`));
      }
    });
  });
}

test("on a real pseudo-terminal the password is read without echo", {
  timeout: 30_000,
}, async (t) => {
  const { screen, result } = await underPty(t, "hunter2x\u007f\r");
  assert.deepEqual(result, { ok: "hunter2" });
  assert.ok(!screen.includes("hunter2"), `echoed: ${JSON.stringify(screen)}`);
});

test("on a real pseudo-terminal ctrl-c aborts", { timeout: 30_000 }, async (t) => {
  const { result } = await underPty(t, "abc\u0003");
  assert.deepEqual(result, { error: "interrupted" });
});
