// readJson over a real socket: media type, UTF-8, strict JSON and schema errors, each with its
// stable code.
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { test } from "node:test";
import { z } from "zod";
import { silentLogger } from "../log/logger.ts";
import { createApp } from "./app.ts";
import { isJsonContentType, readJson } from "./read-json.ts";
import { serveHttp } from "./serve.ts";

async function served(t: { after(fn: () => Promise<void>): void }) {
  const a = createApp({ service: "s", version: "9", logger: silentLogger() });
  a.post("/v1/roles", async (c) =>
    c.json(await readJson(c, z.object({ name: z.string(), roles: z.array(z.string()) }))),
  );
  const srv = await serveHttp(a, { listen: "127.0.0.1:0", logger: silentLogger() });
  t.after(() => srv.close());
  return srv;
}

function post(port: number, body: Buffer | string, type?: string) {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return new Promise<{ status: number; code: string | undefined; body: string }>((ok, fail) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path: "/v1/roles", method: "POST" },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => {
          text += d;
        });
        res.on("end", () => {
          const code = (JSON.parse(text) as { error?: { code: string } }).error?.code;
          ok({ status: res.statusCode ?? 0, code, body: text });
        });
      },
    );
    req.once("error", fail);
    if (type !== undefined) req.setHeader("content-type", type);
    req.setHeader("content-length", payload.length);
    req.end(payload);
  });
}

const GOOD = '{"name":"alice","roles":["user"]}';

test("only application/json with no charset or UTF-8 is read; anything else is 415", async (t) => {
  const { port } = await served(t);
  for (const type of [
    "application/json",
    "Application/JSON",
    "application/json; charset=utf-8",
    'application/json;charset="UTF-8"',
  ]) {
    const r = await post(port, GOOD, type);
    assert.equal(r.status, 200, type);
  }
  for (const type of [
    undefined,
    "",
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/json; charset=iso-8859-1",
    "application/json; charset",
    "application/json-patch+json",
    "application/jsonx",
    "application/x-www-form-urlencoded",
  ]) {
    const r = await post(port, GOOD, type);
    assert.deepEqual([r.status, r.code], [415, "unsupported_media_type"], String(type));
  }
});

test("fetch with a string body sends text/plain, which is refused", async (t) => {
  const srv = await served(t);
  const r = await fetch(`${srv.url}/v1/roles`, { method: "POST", body: GOOD });
  assert.equal(r.status, 415);
});

test("duplicate keys, unpaired surrogates and non-UTF-8 bytes are 400 with stable codes", async (t) => {
  const { port } = await served(t);
  const dup = await post(
    port,
    '{"name":"a","roles":["user"],"roles":["admin"]}',
    "application/json",
  );
  assert.deepEqual([dup.status, dup.code], [400, "duplicate_key"]);
  const esc = await post(
    port,
    '{"name":"a","\\u0072oles":[],"roles":["admin"]}',
    "application/json",
  );
  assert.deepEqual([esc.status, esc.code], [400, "duplicate_key"]);
  const lone = await post(port, '{"name":"al\\ud800ice","roles":[]}', "application/json");
  assert.deepEqual([lone.status, lone.code], [400, "invalid_unicode"]);
  const latin1 = Buffer.from('{"name":"caf\xe9","roles":[]}', "latin1");
  const bytes = await post(port, latin1, "application/json");
  assert.deepEqual([bytes.status, bytes.code], [400, "invalid_unicode"]);
  const cesu = Buffer.concat([
    Buffer.from('{"name":"'),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from('","roles":[]}'),
  ]);
  const surrogateBytes = await post(port, cesu, "application/json");
  assert.deepEqual([surrogateBytes.status, surrogateBytes.code], [400, "invalid_unicode"]);
  const pair = await post(port, '{"name":"\\ud83d\\ude00","roles":[]}', "application/json");
  assert.equal(pair.status, 200);
  assert.equal((JSON.parse(pair.body) as { name: string }).name, "😀");
  const bad = await post(port, '{"name":', "application/json");
  assert.deepEqual([bad.status, bad.code], [400, "invalid_json"]);
  const shape = await post(port, '{"name":1,"roles":[]}', "application/json");
  assert.deepEqual([shape.status, shape.code], [400, "invalid_request"]);
});

test("isJsonContentType reads the media type and the charset parameter only", () => {
  assert.equal(isJsonContentType("application/json ; boundary=x"), true);
  assert.equal(isJsonContentType(" application/json"), true);
  assert.equal(isJsonContentType("application/json; charset=utf8"), false);
  assert.equal(isJsonContentType(undefined), false);
});
