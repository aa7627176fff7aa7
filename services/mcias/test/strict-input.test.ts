// Strict input on the real process: JSON bodies need application/json (UTF-8), duplicate keys
// are refused, and unpaired surrogates are refused at the REST and gRPC edges, so
// `mciasctl audit verify` stays clean (the audit writer itself is fuzzed in src/audit/).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { type MciasInstance, startMcias } from "./helpers.ts";

const CTL = resolve(import.meta.dirname, "../src/cmd/mciasctl.ts");
let m: MciasInstance;

before(async () => {
  m = await startMcias({ grpc: true });
  await m.api("POST", "/v1/policies", { priority: 10, effect: "allow", roles: ["user"] });
  await m.createAccount("alice", { roles: ["user"], password: "alice-password-1" });
});
after(async () => {
  await m?.stop();
});

interface Answer {
  status: number;
  code: string | undefined;
}

/** A raw POST: the body bytes and Content-Type exactly as given (none when undefined). */
function post(path: string, body: string, type: string | undefined, token?: string) {
  const payload = Buffer.from(body, "utf8");
  return new Promise<Answer>((ok, fail) => {
    const req = request(`${m.url}${path}`, { method: "POST" }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => {
        text += d;
      });
      res.on("end", () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { error?: { code: string } }).error?.code;
        } catch {
          code = undefined;
        }
        ok({ status: res.statusCode ?? 0, code });
      });
    });
    req.once("error", fail);
    if (type !== undefined) req.setHeader("content-type", type);
    if (token) req.setHeader("authorization", `Bearer ${token}`);
    req.setHeader("content-length", payload.length);
    req.end(payload);
  });
}

function auditVerify(): { code: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", CTL, "--server", m.url, "audit", "verify"],
    {
      encoding: "utf8",
      env: { ...process.env, MCIAS_TOKEN: m.adminToken },
    },
  );
  return { code: r.status, out: r.stdout + r.stderr };
}

const LOGIN = JSON.stringify({ username: "alice", password: "alice-password-1" });

test("login bodies must be application/json in UTF-8: anything else is 415", async () => {
  for (const type of [
    undefined,
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/json; charset=iso-8859-1",
  ]) {
    const r = await post("/v1/auth/login", LOGIN, type);
    assert.deepEqual(r, { status: 415, code: "unsupported_media_type" }, String(type));
  }
  const ok = await post("/v1/auth/login", LOGIN, "application/json; charset=utf-8");
  assert.equal(ok.status, 200);
});

test("duplicate keys are refused, not resolved last-wins", async () => {
  const body = '{"username":"dupe","type":"human","roles":["user"],"roles":["admin"]}';
  const r = await post("/v1/accounts", body, "application/json", m.adminToken);
  assert.deepEqual(r, { status: 400, code: "duplicate_key" });
  const lookup = await m.api("GET", "/v1/accounts/dupe");
  assert.equal(lookup.status, 404, "nothing was created");
  const login = '{"username":"alice","password":"wrong","password":"alice-password-1"}';
  assert.deepEqual(await post("/v1/auth/login", login, "application/json"), {
    status: 400,
    code: "duplicate_key",
  });
});

test("a lone surrogate in a REST login is 400 and the audit chain stays intact", async () => {
  const body = '{"username":"al\\ud800ice","password":"whatever-password"}';
  assert.deepEqual(await post("/v1/auth/login", body, "application/json"), {
    status: 400,
    code: "invalid_unicode",
  });
  const v = auditVerify();
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, /audit log intact/);
});

test("gRPC's JSON codec refuses a lone surrogate too; the audit chain stays intact", async () => {
  const transport = createConnectTransport({
    baseUrl: m.grpcUrl!,
    httpVersion: "2",
    useBinaryFormat: false,
  });
  const auth = createClient(AuthService, transport);
  await assert.rejects(
    auth.login({ username: "al\ud800ice", password: "whatever-password" }),
    (e: unknown) => e instanceof ConnectError && e.code === Code.InvalidArgument,
  );
  const v = auditVerify();
  assert.equal(v.code, 0, v.out);
});
