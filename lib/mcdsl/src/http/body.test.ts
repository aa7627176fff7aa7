import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { test } from "node:test";
import { z } from "zod";
import { silentLogger } from "../log/logger.ts";
import { createApp } from "./app.ts";
import { readBodyText } from "./body.ts";
import { readJson } from "./read-json.ts";
import { serveHttp } from "./serve.ts";

async function served(t: { after(fn: () => Promise<void>): void }) {
  const a = createApp({ service: "s", version: "9", logger: silentLogger(), bodyLimit: 1024 });
  a.post("/echo", async (c) => c.json(await readJson(c, z.object({ v: z.string() }))));
  a.post("/text", async (c) => c.text(String((await readBodyText(c)).length)));
  a.get("/raw", () => new Response("raw", { headers: { "content-type": "text/plain" } }));
  const srv = await serveHttp(a, { listen: "127.0.0.1:0", logger: silentLogger() });
  t.after(() => srv.close());
  return srv;
}

function chunkedPost(port: number, path: string, parts: Buffer[]) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST" }, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once("error", reject);
    req.setHeader("content-type", "application/json");
    for (const p of parts) req.write(p);
    req.end();
  });
}

test("JSON bodies are read from the Node request, with and without Content-Length", async (t) => {
  const srv = await served(t);
  const r = await fetch(`${srv.url}/echo`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ v: "ü-ok" }),
  });
  assert.deepEqual(await r.json(), { v: "ü-ok" });
  const parts = [Buffer.from('{"v":'), Buffer.from('"split"}')];
  const chunked = await chunkedPost(srv.port, "/echo", parts);
  assert.deepEqual(JSON.parse(chunked.body), { v: "split" });
});

test("declared and streamed bodies over the limit are 413 payload_too_large", async (t) => {
  const srv = await served(t);
  const declared = await fetch(`${srv.url}/text`, { method: "POST", body: "x".repeat(2000) });
  assert.equal(declared.status, 413);
  assert.equal(
    ((await declared.json()) as { error: { code: string } }).error.code,
    "payload_too_large",
  );
  const streamed = await chunkedPost(srv.port, "/text", [Buffer.alloc(700), Buffer.alloc(700)]);
  assert.equal(streamed.status, 413);
  const ok = await chunkedPost(srv.port, "/text", [Buffer.alloc(300), Buffer.alloc(300)]);
  assert.deepEqual(ok, { status: 200, body: "600" });
});

test("nosniff and the request id are set whatever the handler returns", async (t) => {
  const srv = await served(t);
  const raw = await fetch(`${srv.url}/raw`, { headers: { "x-request-id": "abc-123" } });
  assert.equal(await raw.text(), "raw");
  assert.equal(raw.headers.get("x-content-type-options"), "nosniff");
  assert.equal(raw.headers.get("x-request-id"), "abc-123");
  const missing = await fetch(`${srv.url}/nope`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("x-content-type-options"), "nosniff");
  assert.match(missing.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
});
