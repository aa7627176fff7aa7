// kill -9 in the middle of a 200 MB push: the server process dies with the upload half
// written. No blob of that digest is visible (not on disk under blobs/, HEAD answers 404 after
// a restart), and GC reclaims the upload file.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { JsonClient } from "@metacircular/mcdsl/auth";
import {
  type ChildService,
  createTestCA,
  freePort,
  type MciasInstance,
  makeTempDir,
  startMcias,
  startProcess,
  type TempDir,
  type TestCA,
  waitForHttp,
} from "@metacircular/testkit";
import { mcrConfig, writeMcrToml } from "./helpers/mcr.ts";
import { RegistryClient } from "./helpers/registry-client.ts";
import { mciasLogin } from "./helpers/stack.ts";

const ENTRY = join(import.meta.dirname, "../src/cmd/mcr.ts");
const TOTAL = 200 * 1024 * 1024;
const CHUNK = 1024 * 1024;

let mcias: MciasInstance;
let dir: TempDir;
let ca: TestCA;
let configPath: string;
let base: string;
let server: ChildService | undefined;

async function startServer(): Promise<ChildService> {
  const p = startProcess(ENTRY, { args: ["server", "--config", configPath] });
  await waitForHttp(`${base}/v1/health`, { ca: ca.cert, timeoutMs: 90_000 });
  return p;
}

before(async () => {
  mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  dir = makeTempDir("mcr-crash-");
  ca = createTestCA("MCR Crash CA");
  const port = await freePort();
  base = `https://127.0.0.1:${port}`;
  const leaf = ca.issue(["127.0.0.1"]);
  const raw = mcrConfig(dir, mcias, leaf, {
    listen: `127.0.0.1:${port}`,
    gc: { upload_ttl_seconds: 0 },
  });
  mkdirSync(dir.join("store"), { recursive: true });
  configPath = writeMcrToml(dir.join("mcr.toml"), raw);
  server = await startServer();
});
after(async () => {
  await server?.stop();
  await mcias?.stop();
  ca?.remove();
  dir?.remove();
});

/** Streams random data into the upload and SIGKILLs the server once half of it was sent. */
function pushUntilKilled(loc: string, token: string, victim: ChildService): Promise<string> {
  const hash = createHash("sha256");
  return new Promise((resolve) => {
    const req = request(new URL(loc, base), {
      method: "PATCH",
      ca: ca.cert,
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Length": TOTAL,
        "Content-Range": `0-${TOTAL - 1}`,
      },
    });
    let sent = 0;
    const finish = () => resolve(`sha256:${hash.digest("hex")}`);
    req.on("error", finish);
    req.on("response", finish);
    const pump = () => {
      while (sent < TOTAL) {
        const chunk = randomBytes(CHUNK);
        hash.update(chunk);
        sent += chunk.length;
        if (sent === TOTAL / 2) victim.proc.kill("SIGKILL");
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

test("kill -9 during a 200 MB push leaves no visible blob, and GC reclaims the upload", async () => {
  const c = new RegistryClient(base, ca.cert);
  const tok = await c.token(mcias.adminUsername, mcias.adminPassword, [
    "repository:big/image:pull,push",
  ]);
  const start = await c.req("POST", "/v2/big/image/blobs/uploads/", { token: tok });
  assert.equal(start.status, 202);
  const uploadId = start.header("docker-upload-uuid")!;
  const digest = await pushUntilKilled(start.header("location")!, tok, server!);
  assert.equal(await server!.exited, "SIGKILL");

  const blobFile = join(dir.join("store"), "blobs", "sha256", digest.slice(7, 9), digest.slice(7));
  assert.ok(!existsSync(blobFile), "no partial blob under blobs/");
  assert.ok(
    readdirSync(dir.join("store/uploads")).includes(uploadId),
    "the partial upload stays in uploads/",
  );

  server = await startServer();
  const tok2 = await c.token(mcias.adminUsername, mcias.adminPassword, [
    "repository:big/image:pull",
  ]);
  const head = await c.req("HEAD", `/v2/big/image/blobs/${digest}`, { token: tok2 });
  assert.equal(head.status, 404);
  const adminMcr = await mciasLogin(mcias, mcias.adminUsername, mcias.adminPassword);
  const api = new JsonClient(base, ca.certPath);
  try {
    const gc = await api.request("POST", "/v1/gc", { token: adminMcr, body: { dry_run: false } });
    assert.equal(gc.status, 200);
    assert.deepEqual((gc.body as { uploads: string[] }).uploads, [uploadId]);
  } finally {
    api.close();
  }
  assert.deepEqual(readdirSync(dir.join("store/uploads")), []);
});
