// mcproxyctl's AddRoute request: paths from the caller's directory, mistakes named by flag.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { AppError } from "@metacircular/mcdsl/errors";
import { RouteMode } from "@metacircular/proto/mcproxy/v1/admin_pb";
import type { Command } from "commander";
import { reachError } from "../src/cli/context.ts";
import { buildMcproxyctl } from "../src/cli/program.ts";
import { callerPath, type RouteFlags, routeRequest } from "../src/cli/route-request.ts";

const BASE: RouteFlags = {
  mode: "l7",
  cert: "certs/a.crt",
  key: "/abs/a.key",
  minTls: "1.3",
  backendTls: false,
  backendH2: false,
  sendProxy: "0",
  timeoutMs: "60000",
};
const T = { listener: "web", hostname: "a.test", backend: "127.0.0.1:1" };

test("relative file flags resolve from the caller's directory; absolute ones stay", () => {
  const r = routeRequest(T, { ...BASE, backendCa: "../ca.crt" }, "/home/u/work");
  assert.equal(r.tlsCert, "/home/u/work/certs/a.crt");
  assert.equal(r.tlsKey, "/abs/a.key");
  assert.equal(r.backendCa, "/home/u/ca.crt");
  assert.equal(r.mode, RouteMode.L7);
  assert.equal(callerPath(undefined, "/x"), "");
});

test("flags only become the request: a malformed number is named by its flag", () => {
  assert.throws(
    () => routeRequest(T, { ...BASE, timeoutMs: "soon" }),
    (e: unknown) =>
      e instanceof AppError &&
      e.code === "invalid_argument" &&
      /^--timeout-ms must be a whole number/.test(e.message),
  );
  // Which fields a mode takes is the server's route rule (src/state/seed.test.ts), not the CLI's.
  const l4 = routeRequest(T, { ...BASE, mode: "l4", cert: undefined, key: undefined });
  assert.equal(l4.mode, RouteMode.L4);
  assert.equal(l4.tlsCert, "");
  assert.equal(routeRequest(T, { ...BASE, mode: "l4" }, "/w").tlsCert, "/w/certs/a.crt");
});

test("every mcproxyctl command has a description for --help", () => {
  const undescribed = (c: Command): string[] =>
    c.commands.flatMap((s) => [...(s.description() ? [] : [s.name()]), ...undescribed(s)]);
  assert.deepEqual(undescribed(buildMcproxyctl("0", { state: "absent", path: "/none" })), []);
});

test("an unreachable socket is reported as unavailable, naming the socket", () => {
  const cause = Object.assign(new Error("connect ENOENT /x.sock"), { code: "ENOENT" });
  const e = reachError(
    "/x.sock",
    new ConnectError("connect ENOENT /x.sock", Code.Internal, undefined, undefined, cause),
  );
  assert.ok(e instanceof AppError);
  assert.equal(e.code, "unavailable");
  assert.equal(e.message, "cannot reach mc-proxy at /x.sock: ENOENT");
  const other = new ConnectError("no route", Code.NotFound);
  assert.equal(reachError("/x.sock", other), other);
});
