// REST API: /v1/documents and /v1/auth. Each handler translates HTTP into one use case
// (Documents, Sessions); gRPC (grpcserver/) calls the same ones.

import { AppError } from "@metacircular/mcdsl/errors";
import { type AppEnv, readJson, requireIdentity } from "@metacircular/mcdsl/http";
import { bearerToken } from "@metacircular/mcdsl/identity";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { Sessions } from "../auth/sessions.ts";
import type { Documents } from "../documents/documents.ts";

const pushBody = z.strictObject({
  body: z.string(),
  title: z.string().optional(),
  tags: z.array(z.string()).optional(),
});

const loginBody = z.strictObject({
  username: z.string(),
  password: z.string(),
  totp_code: z.string().optional(),
});

function flag(v: string | undefined, name: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw AppError.badRequest("invalid_query", `${name} must be true or false`);
}

function limitOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,4}$/.test(v)) throw AppError.badRequest("invalid_query", "limit must be 1-1000");
  return Number(v);
}

export function listQuery(c: Context) {
  return {
    unread: flag(c.req.query("unread"), "unread"),
    pushedBy: c.req.query("pushed_by") || undefined,
    tag: c.req.query("tag") || undefined,
    q: c.req.query("q") || undefined,
    limit: limitOf(c.req.query("limit")),
  };
}

function registerAuthRoutes(app: Hono<AppEnv>, sessions: Sessions): void {
  app.post("/v1/auth/login", async (c) => {
    const b = await readJson(c, loginBody);
    return c.json(
      await sessions.login({ username: b.username, password: b.password, totpCode: b.totp_code }),
    );
  });
  app.post("/v1/auth/logout", async (c) => {
    await sessions.logout(requireIdentity(c), bearerToken(c.req.header("Authorization")) ?? "");
    return c.body(null, 204);
  });
}

export function registerRestRoutes(app: Hono<AppEnv>, docs: Documents, sessions: Sessions): void {
  registerAuthRoutes(app, sessions);
  app.get("/v1/documents", (c) =>
    c.json({ documents: docs.list(requireIdentity(c), listQuery(c)) }),
  );
  app.get("/v1/documents/:slug", (c) => c.json(docs.get(requireIdentity(c), c.req.param("slug"))));
  app.put("/v1/documents/:slug", async (c) => {
    const body = await readJson(c, pushBody);
    const r = await docs.put(requireIdentity(c), c.req.param("slug"), body);
    return c.json(r.document, r.created ? 201 : 200);
  });
  app.delete("/v1/documents/:slug", (c) => {
    docs.delete(requireIdentity(c), c.req.param("slug"));
    return c.body(null, 204);
  });
  app.post("/v1/documents/:slug/read", (c) =>
    c.json(docs.markRead(requireIdentity(c), c.req.param("slug"))),
  );
  app.post("/v1/documents/:slug/unread", (c) =>
    c.json(docs.markUnread(requireIdentity(c), c.req.param("slug"))),
  );
  app.get("/v1/documents/:slug/changes", async (c) =>
    c.json(await docs.changes(requireIdentity(c), c.req.param("slug"))),
  );
}
