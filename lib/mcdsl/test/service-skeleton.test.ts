// The modules composed the way a service composes them, in a real child process.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as grpcJs from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { REPO_ROOT, tempDirFor } from "@metacircular/testkit";
import Database from "better-sqlite3";
import { createArchive, extractArchive } from "../src/archive/index.ts";

type Echo = (
  r: { message: string },
  md: grpcJs.Metadata,
  cb: (e: grpcJs.ServiceError | null, r?: { caller: string }) => void,
) => void;

test("config + db + REST + gRPC + shutdown + backup work together", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDirFor(t, "mc-skel-");
  const svc = dir.join("srv");
  mkdirSync(svc);
  const config = join(svc, "skeleton.toml");
  writeFileSync(
    config,
    `[server]\nlisten_addr = "127.0.0.1:1"\n[database]\npath = "${join(svc, "skeleton.db")}"\n[log]\nlevel = "info"\n`,
  );
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "fixtures/skeleton-main.ts"), config],
    {
      // $PORT beats the TOML value; the generic override sets the gRPC address.
      env: {
        ...process.env,
        PORT: "127.0.0.1:0",
        SKEL_SERVER_GRPC_ADDR: "127.0.0.1:0",
        SKEL_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
  t.after(() => child.kill("SIGKILL"));
  child.stdout.resume();
  const [url, grpcPort] = await new Promise<[string, number]>((resolve, reject) => {
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
      const m = /READY (\S+) (\d+)/.exec(err);
      if (m) resolve([m[1]!, Number(m[2])]);
    });
    child.once("exit", (c) => reject(new Error(`exited ${c}: ${err}`)));
  });

  const post = (token: string, body: unknown) =>
    fetch(`${url}/v1/notes`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  assert.equal((await post("user-token", { body: "hi" })).status, 403);
  assert.equal((await post("admin-token", { body: "" })).status, 400);
  assert.equal((await post("admin-token", { body: "first note" })).status, 201);
  const list = await fetch(`${url}/v1/notes`, { headers: { Authorization: "Bearer user-token" } });
  assert.deepEqual(await list.json(), { notes: [{ author: "root", body: "first note" }] });
  assert.equal((await fetch(`${url}/v1/notes`)).status, 401);

  const def = protoLoader.loadSync("metacircular/common/v1/echo.proto", {
    includeDirs: [join(REPO_ROOT, "lib/proto/proto")],
    defaults: true,
  });
  const Ctor = (
    grpcJs.loadPackageDefinition(def) as unknown as {
      metacircular: {
        common: {
          v1: {
            EchoService: new (
              a: string,
              c: grpcJs.ChannelCredentials,
            ) => grpcJs.Client & Record<string, Echo>;
          };
        };
      };
    }
  ).metacircular.common.v1.EchoService;
  const client = new Ctor(`127.0.0.1:${grpcPort}`, grpcJs.credentials.createInsecure());
  const md = new grpcJs.Metadata();
  md.set("authorization", "Bearer user-token");
  const caller = await new Promise<string>((resolve, reject) =>
    client.AuthedEcho!({ message: "x" }, md, (e, r) => (e ? reject(e) : resolve(r!.caller))),
  );
  assert.equal(caller, "alice");
  const denied = await new Promise<grpcJs.ServiceError>((resolve) =>
    client.AdminEcho!({ message: "x" }, new grpcJs.Metadata(), (e) => resolve(e!)),
  );
  assert.equal(
    denied.code,
    grpcJs.status.PERMISSION_DENIED,
    "AdminEcho is not in this service's map",
  );

  // Back up while the service runs, then stop it.
  const backup = dir.join("backup.tar.zst");
  await createArchive(svc, backup, { db: { path: join(svc, "skeleton.db") } });
  client.close();
  child.kill("SIGTERM");
  assert.equal(await exited, 0);

  const restored = dir.join("restored");
  await extractArchive(backup, restored);
  const copy = new Database(join(restored, "skeleton.db"), { readonly: true });
  t.after(() => copy.close());
  assert.equal(copy.pragma("integrity_check", { simple: true }), "ok");
  assert.deepEqual(copy.prepare("SELECT author, body FROM notes").all(), [
    { author: "root", body: "first note" },
  ]);
});
