import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { AppError } from "../errors/index.ts";
import { captureLogs } from "../log/capture.ts";
import { createApp } from "./app.ts";
import { readJson } from "./read-json.ts";

function setup(extra: Partial<Parameters<typeof createApp>[0]> = {}) {
  const cap = captureLogs("svc");
  const app = createApp({
    service: "svc",
    version: "1.2.3",
    logger: cap.logger,
    bodyLimit: 64,
    ...extra,
  });
  app.get("/v1/boom", () => {
    throw new Error("secret db path /srv/x.db");
  });
  app.get("/v1/conflict", () => {
    throw AppError.conflict("name_taken", "the name is taken");
  });
  app.get("/v1/internal", () => {
    throw AppError.internal("disk /srv/x full");
  });
  app.get("/v1/slow-down", () => {
    throw AppError.tooManyRequests(9);
  });
  app.post("/v1/raw", async (c) => c.json(await c.req.json()));
  app.post("/v1/echo", async (c) =>
    c.json(await readJson(c, z.strictObject({ name: z.string() }))),
  );
  return { app, cap };
}

test("health answers with service and version", async () => {
  const { app } = setup();
  const res = await app.request("/v1/health");
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok", service: "svc", version: "1.2.3" });
});

test("a failing health check answers 503", async () => {
  const { app } = setup({
    health: () => {
      throw new Error("db gone");
    },
  });
  const res = await app.request("/v1/health");
  assert.equal(res.status, 503);
  assert.equal(((await res.json()) as { status: string }).status, "unavailable");
});

test("request ids are minted, echoed, reused when sane, and logged", async () => {
  const { app, cap } = setup();
  const a = await app.request("/v1/health");
  assert.match(a.headers.get("X-Request-Id") ?? "", /^[0-9a-f-]{36}$/);
  const b = await app.request("/v1/health", { headers: { "X-Request-Id": "proxy-abc.1" } });
  assert.equal(b.headers.get("X-Request-Id"), "proxy-abc.1");
  const c = await app.request("/v1/health", { headers: { "X-Request-Id": "bad id\twith junk" } });
  assert.notEqual(c.headers.get("X-Request-Id"), "bad id\twith junk");
  const lines = cap.records().filter((r) => r.msg === "request");
  assert.equal(lines.length, 3);
  assert.equal(lines[1]!.reqId, "proxy-abc.1");
  assert.equal(lines[1]!.status, 200);
  assert.equal(lines[1]!.path, "/v1/health");
});

test("access log leaves out query strings", async () => {
  const { app, cap } = setup();
  await app.request("/v1/health?code=oauth-code-123&token=t0k");
  assert.ok(!cap.text().includes("oauth-code-123"));
  assert.ok(!cap.text().includes("t0k"));
});

test("AppError renders as JSON with its status; 429 carries Retry-After", async () => {
  const { app } = setup();
  const res = await app.request("/v1/conflict");
  assert.equal(res.status, 409);
  assert.deepEqual(await res.json(), {
    error: { code: "name_taken", message: "the name is taken" },
  });
  const r2 = await app.request("/v1/slow-down");
  assert.equal(r2.status, 429);
  assert.equal(r2.headers.get("Retry-After"), "9");
});

test("unknown errors are 500 internal without details, and logged", async () => {
  const { app, cap } = setup();
  const res = await app.request("/v1/boom");
  assert.equal(res.status, 500);
  const text = await res.text();
  assert.deepEqual(JSON.parse(text), { error: { code: "internal", message: "internal error" } });
  assert.ok(!text.includes("secret"));
  assert.ok(cap.records().some((r) => r.msg === "unhandled error" && r.level === "error"));
  const r2 = await app.request("/v1/internal");
  assert.equal(r2.status, 500);
  assert.deepEqual(await r2.json(), { error: { code: "internal", message: "internal error" } });
  assert.ok(cap.text().includes("disk /srv/x full"), "the detail is logged");
});

test("unknown routes are JSON 404", async () => {
  const { app } = setup();
  const res = await app.request("/nope", { method: "DELETE" });
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, "not_found");
});

test("bodies over the limit are 413 JSON; bad JSON and bad shapes are 400/415", async () => {
  const { app } = setup();
  const json = { "Content-Type": "application/json" };
  const big = await app.request("/v1/echo", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ name: "x".repeat(100) }),
  });
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: { code: string } }).error.code, "payload_too_large");
  const bad = await app.request("/v1/echo", { method: "POST", headers: json, body: "{nope" });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: { code: string } }).error.code, "invalid_json");
  const shape = await app.request("/v1/echo", {
    method: "POST",
    headers: json,
    body: '{"name":1}',
  });
  assert.equal(shape.status, 400);
  assert.match(((await shape.json()) as { error: { message: string } }).error.message, /^name: /);
  const raw = await app.request("/v1/raw", { method: "POST", headers: json, body: "{nope" });
  assert.equal(raw.status, 400);
  const type = await app.request("/v1/echo", { method: "POST", body: '{"name":"a"}' });
  assert.equal(type.status, 415);
  const ok = await app.request("/v1/echo", { method: "POST", headers: json, body: '{"name":"a"}' });
  assert.deepEqual(await ok.json(), { name: "a" });
});
