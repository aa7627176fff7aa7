// A finished upload reaches the disk before it becomes a blob: strace(1) watches the real
// server process, and for each way of finishing an upload (monolithic POST, chunked PATCH + PUT, a
// sha512 digest) the trace must show an fsync of the upload file before its rename into blobs/,
// and an fsync of the blob's directory after it. Without the first, a power loss after the
// rename can leave an empty file under the digest, which later pushes of that digest never
// replace (a file already in place makes them a no-op).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
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
import { pushBlob, RegistryClient } from "./helpers/registry-client.ts";

const ENTRY = join(import.meta.dirname, "../src/cmd/mcr.ts");
const REPO = "durable/app";

let mcias: MciasInstance;
let dir: TempDir;
let ca: TestCA;
let server: ChildService | undefined;
let tracer: ChildService | undefined;
let c: RegistryClient;
let token: string;
let tracePath: string;

before(async () => {
  mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
  dir = makeTempDir("mcr-durable-");
  ca = createTestCA("MCR Durability CA");
  const port = await freePort();
  const base = `https://127.0.0.1:${port}`;
  const raw = mcrConfig(dir, mcias, ca.issue(["127.0.0.1"]), { listen: `127.0.0.1:${port}` });
  const configPath = writeMcrToml(dir.join("mcr.toml"), raw);
  tracePath = dir.join("strace.txt");
  server = startProcess(ENTRY, { args: ["server", "--config", configPath] });
  await waitForHttp(`${base}/v1/health`, { ca: ca.cert, timeoutMs: 120_000 });
  // strace attaches to the running server (-f: every thread, libuv runs file syscalls on its
  // pool; -y: file descriptors shown with their path); detaching later leaves it running.
  const pid = server.proc.pid!;
  const traced = "fsync,fdatasync,rename,renameat,renameat2";
  tracer = startProcess("/usr/bin/strace", {
    tsx: false,
    args: ["-f", "-y", "-e", `trace=${traced}`, "-o", tracePath, "-p", String(pid)],
  });
  // "Process <pid> attached with <n> threads" once every thread is traced.
  const attached = () => /Process \d+ attached/.test(tracer!.output());
  await poll(attached);
  assert.ok(attached(), `strace attached: ${tracer.output()}`);
  c = new RegistryClient(base, ca.cert);
  token = await c.token(mcias.adminUsername, mcias.adminPassword, [`repository:${REPO}:pull,push`]);
});
after(async () => {
  await tracer?.stop();
  await server?.stop();
  await mcias?.stop();
  ca?.remove();
  dir?.remove();
});

/** Line numbers of the trace's lines matching `re`. */
function linesMatching(re: RegExp): number[] {
  const lines = readFileSync(tracePath, "utf8").split("\n");
  return lines.flatMap((l, i) => (re.test(l) ? [i] : []));
}

/** strace may write a line a moment after the response went out: poll until `done` holds. */
async function poll(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The upload's data is fsynced before its rename into blobs/, the directory after it. */
async function assertDurable(uploadId: string, digest: string): Promise<void> {
  const [alg, hex] = digest.split(":") as [string, string];
  const blobDir = join(dir.join("store"), "blobs", alg, hex.slice(0, 2));
  const rename = new RegExp(`^\\d+ +rename\\w*\\(.*uploads/${uploadId}".*blobs/${alg}/`);
  // A syscall other threads interrupt is split ("<unfinished ...>"): match its first half.
  const fileSync = new RegExp(`^\\d+ +f(?:data)?sync\\(\\d+<[^>]*uploads/${uploadId}>`);
  const dirSync = new RegExp(`^\\d+ +fsync\\(\\d+<${esc(blobDir)}>`);
  let renames: number[] = [];
  let dirSyncs: number[] = [];
  await poll(() => {
    renames = linesMatching(rename);
    dirSyncs = linesMatching(dirSync);
    return renames.length > 0 && dirSyncs.some((d) => d > renames[0]!);
  });
  assert.equal(renames.length, 1, `one rename of upload ${uploadId} into blobs/`);
  const syncs = linesMatching(fileSync);
  assert.ok(
    syncs.some((s) => s < renames[0]!),
    `fsync of uploads/${uploadId} before its rename (fsyncs at ${syncs}, rename at ${renames})`,
  );
  assert.ok(
    dirSyncs.some((d) => d > renames[0]!),
    `fsync of ${blobDir} after the rename`,
  );
}

const uploadIdOf = (location: string) => location.split("/").pop()!;

test("a monolithic POST ?digest= upload is fsynced before it becomes a blob", async () => {
  const data = randomBytes(300_000);
  const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
  const r = await pushBlob(c, token, REPO, data, digest);
  assert.equal(r.status, 201, r.body.toString());
  // The POST never names its upload: find it by the rename onto the digest's path.
  const renamed = new RegExp(`uploads/([0-9a-f-]{36})".*blobs/sha256/\\w\\w/${digest.slice(7)}"`);
  const found: { id?: string } = {};
  await poll(() => {
    found.id = readFileSync(tracePath, "utf8").match(renamed)?.[1];
    return found.id !== undefined;
  });
  assert.ok(found.id, "the upload's rename is in the trace");
  await assertDurable(found.id, digest);
});

test("chunked PATCH + PUT with a sha512 digest is fsynced before it becomes a blob", async () => {
  const data = randomBytes(500_000);
  const digest = `sha512:${createHash("sha512").update(data).digest("hex")}`;
  const start = await c.req("POST", `/v2/${REPO}/blobs/uploads/`, { token });
  assert.equal(start.status, 202);
  const loc = start.header("location")!;
  const half = 250_000;
  const p1 = await c.req("PATCH", loc, {
    token,
    headers: { "Content-Range": `0-${half - 1}`, "Content-Type": "application/octet-stream" },
    body: data.subarray(0, half),
  });
  assert.equal(p1.status, 202);
  const put = await c.req("PUT", `${loc}?digest=${encodeURIComponent(digest)}`, {
    token,
    headers: { "Content-Range": `${half}-${data.length - 1}` },
    body: data.subarray(half),
  });
  assert.equal(put.status, 201, put.body.toString());
  await assertDurable(uploadIdOf(loc), digest);
  const get = await c.req("GET", `/v2/${REPO}/blobs/${digest}`, { token });
  assert.ok(get.body.equals(data));
});
