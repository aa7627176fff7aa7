import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { AppError } from "../errors/index.ts";
import { JsonClient } from "./http-json.ts";

interface Seen {
  method: string;
  url: string;
  type: string | undefined;
  auth: string | undefined;
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

before(async () => {
  server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    seen.push({
      method: req.method ?? "",
      url: req.url ?? "",
      type: req.headers["content-type"],
      auth: req.headers.authorization,
      body,
    });
    if (req.url === "/json")
      res.writeHead(201, { "content-type": "application/json" }).end('{"a":1}');
    else if (req.url === "/text") res.writeHead(200).end("$ORIGIN x.\n");
    else if (req.url === "/empty") res.writeHead(204).end();
    else if (req.url === "/envelope")
      res
        .writeHead(429, { "retry-after": "7" })
        .end('{"error":{"code":"slow_down","message":"too many"}}');
    else res.writeHead(500).end("boom");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test("call: JSON and text bodies out, JSON, text and empty answers back, token sent", async () => {
  const c = new JsonClient(base);
  seen = [];
  assert.deepEqual(await c.call("POST", "/json", { body: { x: 1 }, token: "t0k" }), { a: 1 });
  assert.equal(await c.call("POST", "/text", { text: "a. 60 IN A 10.0.0.1\n" }), "$ORIGIN x.\n");
  assert.equal(await c.call("DELETE", "/empty"), undefined);
  c.close();
  assert.deepEqual(
    seen.map((s) => [s.method, s.type, s.auth, s.body]),
    [
      ["POST", "application/json", "Bearer t0k", '{"x":1}'],
      ["POST", "text/plain", undefined, "a. 60 IN A 10.0.0.1\n"],
      ["DELETE", undefined, undefined, ""],
    ],
  );
});

test("call: an error envelope becomes its AppError; without one, http_<status>", async () => {
  const c = new JsonClient(base);
  const e = await c.call("GET", "/envelope").catch((x: unknown) => x);
  assert.ok(e instanceof AppError);
  assert.deepEqual([e.status, e.code, e.message, e.retryAfter], [429, "slow_down", "too many", 7]);
  const plain = await c.call("GET", "/other").catch((x: unknown) => x);
  assert.ok(plain instanceof AppError);
  assert.deepEqual([plain.status, plain.code], [500, "http_500"]);
  const raw = await c.request("GET", "/other");
  assert.deepEqual([raw.status, raw.body, raw.text], [500, null, "boom"]);
  c.close();
});

test("call: an unreachable server is 503 unavailable naming it", async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const c = new JsonClient(`http://127.0.0.1:${port}`);
  const e = await c.call("GET", "/v1/zones").catch((x: unknown) => x);
  c.close();
  assert.ok(e instanceof AppError);
  assert.equal(e.status, 503);
  assert.equal(e.code, "unavailable");
  assert.match(e.message, new RegExp(`cannot reach http://127.0.0.1:${port}`));
});
