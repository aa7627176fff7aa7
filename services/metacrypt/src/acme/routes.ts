// The ACME transport: Hono routes under /acme/<mount>/ (all public: JWS-authenticated) and the
// MCIAS-authenticated EAB call (POST /v1/acme/<mount>/eab). Each route only translates: body →
// authenticate → use case → reply. Every response carries a fresh Replay-Nonce, the index Link
// and Cache-Control: no-store; errors are application/problem+json.

import { type AppEnv, readBodyText, requireIdentity } from "@metacircular/mcdsl/http";
import type { Context, Hono } from "hono";
import { keyChange, listOrders, newAccount, updateAccount } from "./accounts.ts";
import { authenticate, type KeyMode } from "./authenticate.ts";
import { download, finalize, renewalInfo, revoke } from "./certs.ts";
import { respondChallenge } from "./challenges.ts";
import type { AcmeDeps, AcmeReply, AcmeRequest } from "./context.ts";
import { directory } from "./directory.ts";
import { issueEab } from "./eab.ts";
import { authorization, getOrder, newOrder } from "./orders.ts";
import { AcmeProblem, toProblem } from "./problem.ts";
import { acmeUrls, type Urls } from "./resources.ts";

type Use = (d: AcmeDeps, r: AcmeRequest, id: string) => AcmeReply | Promise<AcmeReply>;

/** The ACME routes, for the access map (all public) and the completeness test. */
export const ACME_ROUTES = {
  "GET /acme/:mount/directory": "public",
  "GET /acme/:mount/new-nonce": "public",
  "GET /acme/:mount/renewal-info/:id": "public",
  "POST /acme/:mount/new-account": "public",
  "POST /acme/:mount/new-order": "public",
  "POST /acme/:mount/revoke-cert": "public",
  "POST /acme/:mount/key-change": "public",
  "POST /acme/:mount/acct/:id": "public",
  "POST /acme/:mount/acct/:id/orders": "public",
  "POST /acme/:mount/order/:id": "public",
  "POST /acme/:mount/order/:id/finalize": "public",
  "POST /acme/:mount/authz/:id": "public",
  "POST /acme/:mount/chall/:id": "public",
  "POST /acme/:mount/cert/:id": "public",
  "POST /v1/acme/:mount/eab": "authenticated",
} as const;

function base(d: AcmeDeps, c: Context): string {
  return d.opts.externalUrl ?? new URL(c.req.url).origin;
}

function send(d: AcmeDeps, c: Context, urls: Urls, reply: AcmeReply): Response {
  const headers: Record<string, string> = {
    "Replay-Nonce": d.nonces.issue(),
    "Cache-Control": "no-store",
    Link: [`<${urls.directory}>;rel="index"`, ...(reply.links ?? [])].join(", "),
  };
  if (reply.location) headers.Location = reply.location;
  if (reply.retryAfter) headers["Retry-After"] = String(reply.retryAfter);
  const text = typeof reply.body === "string";
  headers["Content-Type"] = reply.contentType ?? "application/json";
  const body = text ? (reply.body as string) : JSON.stringify(reply.body);
  const empty = c.req.method === "HEAD" || reply.status === 204;
  return new Response(empty ? null : body, { status: reply.status, headers });
}

async function respond(
  d: AcmeDeps,
  c: Context,
  fn: (mount: string, urls: Urls) => AcmeReply | Promise<AcmeReply>,
): Promise<Response> {
  const mount = c.req.param("mount")!;
  const urls = acmeUrls(base(d, c), mount);
  try {
    d.ca.store(mount);
    return send(d, c, urls, await fn(mount, urls));
  } catch (e) {
    const { problem, unexpected } = toProblem(e);
    if (unexpected) d.log.error({ err: e, path: c.req.path }, "acme request failed");
    const reply: AcmeReply = {
      status: problem.status,
      body: problem.toJSON(),
      contentType: "application/problem+json",
    };
    return send(d, c, urls, reply);
  }
}

function post(app: Hono<AppEnv>, d: AcmeDeps, path: string, mode: KeyMode, use: Use): void {
  app.post(`/acme/:mount${path}`, (c) =>
    respond(d, c, async (mount, urls) => {
      const ct = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
      if (ct !== "application/jose+json")
        throw new AcmeProblem("malformed", "Content-Type must be application/jose+json", {
          status: 415,
        });
      const body = await readBodyText(c);
      const url = `${base(d, c)}${c.req.path}`;
      const r = await authenticate(d, mount, urls, url, body, mode);
      return use(d, r, c.req.param("id") ?? "");
    }),
  );
}

export function acmeRoutes(app: Hono<AppEnv>, d: AcmeDeps): void {
  app.get("/acme/:mount/directory", (c) =>
    respond(d, c, (mount, urls) => ({ status: 200, body: directory(d, mount, urls) })),
  );
  app.get("/acme/:mount/new-nonce", (c) =>
    respond(d, c, () => ({ status: c.req.method === "HEAD" ? 200 : 204, body: null })),
  );
  app.get("/acme/:mount/renewal-info/:id", (c) =>
    respond(d, c, (mount) => renewalInfo(d, mount, c.req.param("id"))),
  );
  post(app, d, "/new-account", "jwk", (d, r) => newAccount(d, r));
  post(app, d, "/new-order", "kid", (d, r) => newOrder(d, r));
  post(app, d, "/revoke-cert", "either", (d, r) => revoke(d, r));
  post(app, d, "/key-change", "kid", (d, r) => keyChange(d, r));
  post(app, d, "/acct/:id", "kid", updateAccount);
  post(app, d, "/acct/:id/orders", "kid", listOrders);
  post(app, d, "/order/:id", "kid", getOrder);
  post(app, d, "/order/:id/finalize", "kid", finalize);
  post(app, d, "/authz/:id", "kid", authorization);
  post(app, d, "/chall/:id", "kid", respondChallenge);
  post(app, d, "/cert/:id", "kid", download);
  app.post("/v1/acme/:mount/eab", (c) =>
    c.json(issueEab(d, requireIdentity(c), c.req.param("mount"), new URL(c.req.url).origin), 201),
  );
}
