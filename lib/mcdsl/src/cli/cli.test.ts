import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { AppError, ERROR_CODE_METADATA } from "../errors/index.ts";
import { createCli, describeError, printResult, runCli } from "./program.ts";
import { readSecret } from "./secret.ts";
import { formatTable } from "./table.ts";

function build() {
  const out: string[] = [];
  const err: string[] = [];
  const program = createCli({
    name: "democtl",
    description: "demo",
    version: "1.4.0",
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t) },
  });
  program
    .command("zones")
    .description("list zones")
    .action((_opts, cmd) => {
      printResult(cmd, [{ name: "a.test", records: 3 }], (rows) => formatTable(rows));
    });
  program.command("fail").action(() => {
    throw AppError.notFound("zone_not_found", "no zone b.test");
  });
  return { program, out, err };
}

test("human output by default, JSON with --json anywhere", async () => {
  const a = build();
  assert.equal(await runCli(a.program, ["zones"]), 0);
  assert.equal(a.out.join(""), "NAME    RECORDS\na.test  3\n");
  const b = build();
  assert.equal(await runCli(b.program, ["--json", "zones"]), 0);
  assert.deepEqual(JSON.parse(b.out.join("")), [{ name: "a.test", records: 3 }]);
  const c = build();
  await runCli(c.program, ["zones", "--json"]);
  assert.deepEqual(JSON.parse(c.out.join("")), [{ name: "a.test", records: 3 }]);
});

test("--version prints the version and exits 0", async () => {
  const a = build();
  assert.equal(await runCli(a.program, ["--version"]), 0);
  assert.equal(a.out.join(""), "1.4.0\n");
});

test("errors exit 1 with a message, or a JSON error body with --json; usage errors exit non-zero", async () => {
  const a = build();
  assert.equal(await runCli(a.program, ["fail"]), 1);
  assert.equal(a.err.join(""), "error: no zone b.test (zone_not_found)\n");
  const b = build();
  assert.equal(await runCli(b.program, ["--json", "fail"]), 1);
  assert.deepEqual(JSON.parse(b.err.join("")), {
    error: { code: "zone_not_found", message: "no zone b.test" },
  });
  const c = build();
  assert.notEqual(await runCli(c.program, ["bogus"]), 0);
  assert.match(c.err.join(""), /unknown command 'bogus'/);
  process.exitCode = 0;
});

test("gRPC errors print their stable code and raw message", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const program = createCli({
    name: "x",
    description: "x",
    version: "1",
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t) },
  });
  program.command("a").action(() => {
    throw new ConnectError(
      "zone exists",
      Code.AlreadyExists,
      new Headers({ [ERROR_CODE_METADATA]: "zone_exists" }),
    );
  });
  program.command("b").action(() => {
    throw new ConnectError("denied", Code.PermissionDenied);
  });
  await runCli(program, ["--json", "a"]);
  await runCli(program, ["--json", "b"]);
  assert.deepEqual(
    err.map((l) => JSON.parse(l)),
    [
      { error: { code: "zone_exists", message: "zone exists" } },
      { error: { code: "permission_denied", message: "denied" } },
    ],
  );
  process.exitCode = 0;
});

test("every gRPC status gets Connect's own name, in snake_case, without loading Connect", () => {
  for (const [name, value] of Object.entries(Code)) {
    if (typeof value !== "number") continue;
    const snake = name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
    assert.equal(describeError(new ConnectError("m", value)).errCode, snake, name);
  }
  // Something merely named like a ConnectError is not one.
  const impostor = Object.assign(new Error("x"), { name: "ConnectError", code: 5 });
  assert.equal(describeError(impostor).errCode, "error");
});

test("formatTable aligns columns and renders missing values", () => {
  assert.equal(
    formatTable([
      { a: 1, b: null },
      { a: 222, b: "x" },
    ]),
    "A    B\n1    -\n222  x",
  );
  assert.equal(formatTable([], []), "");
});

test("readSecret prefers the named env var, else reads stdin", async () => {
  assert.equal(
    await readSecret({ prompt: "pw: ", envVar: "X_PW", env: { X_PW: "from-env" } }),
    "from-env",
  );
  const input = new PassThrough();
  input.end("from-stdin\n");
  assert.equal(await readSecret({ prompt: "pw: ", envVar: "X_PW", env: {}, input }), "from-stdin");
});
