// The libpod client against a real rootful podman (its own storage and service socket) and a
// busybox image built FROM scratch: create with ports, env, cmd, volumes, user, restart and
// labels; start, serve, list, inspect, logs, stop, remove; errors for what does not exist.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { freePort } from "@metacircular/testkit";
import type { ContainerSpec } from "../src/podman/types.ts";
import { buildBusyboxImage, startPodman, type TestPodman } from "./helpers/podman.ts";
import { httpGet } from "./helpers/probe.ts";
import { retry } from "./helpers/retry.ts";

let p: TestPodman;
const IMAGE = "localhost/mcp-test/bb:v1";

before(async () => {
  p = await startPodman();
  await buildBusyboxImage(p, IMAGE, "<h1>hello from busybox</h1>\n");
});
after(async () => {
  await p?.stop();
});

function spec(name: string, hostPort: number, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    name,
    image: IMAGE,
    env: { GREETING: "hi there", PORT: "8080" },
    ports: [{ hostPort, containerPort: 8080 }],
    volumes: [],
    restart: "no",
    init: true,
    labels: { "mcp.service": "hello", "mcp.component": "web" },
    ...extra,
  };
}

test("image inspect: present and missing", async () => {
  const img = await p.client.inspectImage(IMAGE);
  assert.ok(img?.id);
  assert.ok(img.repoTags.includes(IMAGE));
  assert.equal(await p.client.inspectImage("localhost/nothing:v1"), undefined);
});

test("create, start, serve, list, inspect, logs, stop, remove", async () => {
  const port = await freePort();
  const vol = p.dir.join("vol");
  mkdirSync(vol, { recursive: true });
  writeFileSync(`${vol}/index.html`, "from the volume\n");
  const id = await p.client.createContainer(
    spec("mcp-hello-web", port, {
      volumes: [{ source: vol, destination: "/data", readOnly: true }],
      cmd: ["/bin/busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/data"],
      user: "65534:65534",
      restart: "on-failure",
    }),
  );
  assert.match(id, /^[0-9a-f]{64}$/);
  await p.client.startContainer("mcp-hello-web");
  await p.client.startContainer("mcp-hello-web"); // already running: not an error
  const page = await retry(() => httpGet(port));
  assert.equal(page.body, "from the volume\n");

  const rows = await p.client.listContainers("mcp.service=hello");
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.name, "mcp-hello-web");
  assert.equal(rows[0]?.state, "running");
  assert.deepEqual(rows[0]?.ports, [{ hostIp: "127.0.0.1", hostPort: port, containerPort: 8080 }]);
  assert.equal(rows[0]?.labels["mcp.component"], "web");
  assert.deepEqual(await p.client.listContainers("mcp.service=other"), []);

  const info = await p.client.inspectContainer(id);
  assert.equal(info?.name, "mcp-hello-web");
  assert.equal(info?.state, "running");
  assert.deepEqual(info?.ports, [{ hostIp: "127.0.0.1", hostPort: port, containerPort: 8080 }]);
  assert.equal(info?.image, IMAGE);

  const logs = await retry(async () => {
    const text = await p.client.logs("mcp-hello-web");
    assert.match(text, /response:200/);
    return text;
  });
  assert.ok(logs.length > 0);

  await p.client.stopContainer("mcp-hello-web", 5);
  assert.equal((await p.client.inspectContainer(id))?.state, "exited");
  await p.client.stopContainer("mcp-hello-web", 5); // already stopped: not an error
  await p.client.removeContainer("mcp-hello-web");
  await p.client.removeContainer("mcp-hello-web"); // already gone: not an error
  assert.equal(await p.client.inspectContainer(id), undefined);
});

test("the environment reaches the container, and the container runs as the given user", async () => {
  const port = await freePort();
  await p.client.createContainer(
    spec("mcp-env", port, {
      cmd: ["/bin/busybox", "sh", "-c", 'echo "$GREETING as $(/bin/busybox id -u)"; sleep 30'],
      user: "1234",
    }),
  );
  await p.client.startContainer("mcp-env");
  await retry(async () => assert.match(await p.client.logs("mcp-env"), /hi there as 1234/));
  await p.client.removeContainer("mcp-env");
});

test("errors: unknown image, duplicate name, missing container", async () => {
  const port = await freePort();
  await assert.rejects(
    p.client.createContainer(spec("mcp-bad", port, { image: "localhost/nothing:v1" })),
    (e: unknown) => e instanceof AppError && e.code === "podman_not_found",
  );
  await p.client.createContainer(spec("mcp-dup", port));
  await assert.rejects(
    p.client.createContainer(spec("mcp-dup", port)),
    (e: unknown) => e instanceof AppError && e.code === "podman_conflict",
  );
  await p.client.removeContainer("mcp-dup");
  await assert.rejects(
    p.client.startContainer("mcp-none"),
    (e: unknown) => e instanceof AppError && e.code === "podman_not_found",
  );
  await assert.rejects(
    p.client.pullImage("127.0.0.1:1/nothing:v1", { tlsVerify: false }),
    (e: unknown) => e instanceof AppError && e.code.length > 0,
  );
});
