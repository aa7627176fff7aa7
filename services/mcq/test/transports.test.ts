// REST and gRPC agree: one scenario (push, refuse a guest's push, read per account, re-push,
// the diff since last read, mark unread, refused delete, missing and invalid slugs, login,
// logout, health) runs once over each transport (the test kit's bothTransports) on its own
// slugs, against a real MCIAS; every step's result or stable error code, and the state left
// behind (as each account sees it), must be the same.
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { createClient } from "@connectrpc/connect";
import { AdminService } from "@metacircular/proto/mcq/v1/admin_pb";
import { AuthService } from "@metacircular/proto/mcq/v1/auth_pb";
import type {
  Document as DocumentMsg,
  DocumentSummary as SummaryMsg,
} from "@metacircular/proto/mcq/v1/document_pb";
import { DocumentService } from "@metacircular/proto/mcq/v1/document_pb";
import {
  bearerTransport,
  bothTransports,
  grpcOutcome,
  type MatrixTokens,
  matrixPrincipals,
  type Outcome,
  restOutcome,
  type Transport,
  USER_PASSWORD,
} from "@metacircular/testkit";
import type { DocumentDetail, DocumentSummary } from "../src/documents/views.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

let s: Stack;
let tokens: MatrixTokens;
const cleanups: Array<() => unknown> = [];
before(async () => {
  s = await startStack({ after: (fn) => cleanups.push(fn) }, { users: false, grpc: true });
  tokens = await matrixPrincipals(s.mcias, { service: "mcq", foreignService: "mcns" });
});
after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

/** What is compared of a document: everything but timestamps (present or not) and the prefix. */
type Face = Omit<DocumentSummary, "read_at" | "created_at" | "updated_at" | "snippet"> & {
  read_at: boolean;
  body?: string;
  html?: string;
  toc?: unknown[];
};
type Who = "agent" | "human" | "guest" | "other";
type Changes = { kind: string; from?: number; to?: number; added?: number; removed?: number };

interface DocsFace {
  put(who: Who, slug: string, body: string, tags?: string[]): Promise<Outcome<[boolean, Face]>>;
  get(who: Who, slug: string): Promise<Outcome<Face>>;
  list(who: Who, unread: boolean): Promise<Outcome<Face[]>>;
  mark(who: Who, slug: string, read: boolean): Promise<Outcome<Face>>;
  changes(who: Who, slug: string): Promise<Outcome<Changes>>;
  del(who: Who, slug: string): Promise<Outcome>;
  login(password: string): Promise<Outcome<string>>;
  logout(token: string): Promise<Outcome>;
  listWith(token: string): Promise<Outcome>;
  health(): Promise<Outcome<string>>;
}

const face = (prefix: string, d: DocumentSummary | DocumentDetail): Face => ({
  slug: d.slug.slice(prefix.length),
  title: d.title,
  tags: d.tags,
  pushed_by: d.pushed_by,
  version: d.version,
  read: d.read,
  read_version: d.read_version,
  read_at: d.read_at !== null,
  ...("body" in d ? { body: d.body, html: d.html, toc: d.toc } : {}),
});
const fromMsg = (prefix: string, m: SummaryMsg | undefined, doc?: DocumentMsg): Face => {
  assert.ok(m);
  return face(prefix, {
    slug: m.slug,
    title: m.title,
    tags: m.tags,
    pushed_by: m.pushedBy,
    version: m.version,
    read: m.read,
    read_version: m.readVersion ?? null,
    read_at: m.readAt ?? null,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    ...(doc
      ? {
          body: doc.body,
          html: doc.html,
          toc: doc.toc.map((t) => ({ level: t.level, id: t.id, text: t.text })),
        }
      : {}),
  } as DocumentDetail);
};
const restChanges = (b: unknown): Changes => {
  const c = b as { kind: string; from_version?: number; to_version?: number } & Changes;
  return c.kind === "diff"
    ? { kind: c.kind, from: c.from_version, to: c.to_version, added: c.added, removed: c.removed }
    : { kind: `${c.kind}:${(b as { reason: string }).reason}` };
};

function restFace(prefix: string): DocsFace {
  const p = (slug: string) => `/v1/documents/${prefix}${slug}`;
  const api = (who: Who, m: string, path: string, body?: unknown) =>
    s.api(m, path, tokens[who], body);
  const one = (b: unknown) => face(prefix, b as DocumentDetail);
  const mine = (b: unknown) =>
    (b as { documents: DocumentSummary[] }).documents
      .filter((d) => d.slug.startsWith(prefix))
      .map((d) => face(prefix, d));
  return {
    put: async (who, slug, body, tags) => {
      const r = await api(who, "PUT", p(slug), { body, ...(tags ? { tags } : {}) });
      return restOutcome(r, (b) => [r.status === 201, one(b)] as [boolean, Face]);
    },
    get: async (who, slug) => restOutcome(await api(who, "GET", p(slug)), one),
    list: async (who, unread) =>
      restOutcome(await api(who, "GET", `/v1/documents${unread ? "?unread=true" : ""}`), mine),
    mark: async (who, slug, read) =>
      restOutcome(await api(who, "POST", `${p(slug)}/${read ? "read" : "unread"}`), one),
    changes: async (who, slug) =>
      restOutcome(await api(who, "GET", `${p(slug)}/changes`), restChanges),
    del: async (who, slug) => restOutcome(await api(who, "DELETE", p(slug))),
    login: async (password) =>
      restOutcome(
        await s.api("POST", "/v1/auth/login", undefined, { username: "alice", password }),
        (b) => typeof (b as { token: unknown }).token,
      ),
    logout: async (token) => restOutcome(await s.api("POST", "/v1/auth/logout", token)),
    listWith: async (token) => restOutcome(await s.api("GET", "/v1/documents", token)),
    health: async () =>
      restOutcome(await s.api("GET", "/v1/health"), (b) => (b as { status: string }).status),
  };
}

function grpcFace(prefix: string): DocsFace {
  const docs = (who: Who | string) =>
    createClient(
      DocumentService,
      bearerTransport(s.grpcUrl, who in tokens ? tokens[who as Who] : who),
    );
  const auth = (token?: string) => createClient(AuthService, bearerTransport(s.grpcUrl, token));
  const full = (d: DocumentMsg | undefined) => fromMsg(prefix, d?.summary, d);
  return {
    put: (who, slug, body, tags) =>
      grpcOutcome(
        docs(who).put({ slug: prefix + slug, body, tags: tags ?? [] }),
        (m) => [m.created, full(m.document)] as [boolean, Face],
      ),
    get: (who, slug) =>
      grpcOutcome(docs(who).get({ slug: prefix + slug }), (m) => full(m.document)),
    list: (who, unread) =>
      grpcOutcome(docs(who).list(unread ? { unread } : {}), (m) =>
        m.documents.filter((d) => d.slug.startsWith(prefix)).map((d) => fromMsg(prefix, d)),
      ),
    mark: (who, slug, read) =>
      grpcOutcome(
        (read
          ? docs(who).markRead({ slug: prefix + slug })
          : docs(who).markUnread({ slug: prefix + slug })) as Promise<{ document?: SummaryMsg }>,
        (m) => fromMsg(prefix, m.document),
      ),
    changes: (who, slug) =>
      grpcOutcome(docs(who).changes({ slug: prefix + slug }), (c) =>
        c.kind === "diff"
          ? {
              kind: c.kind,
              from: c.fromVersion,
              to: c.toVersion,
              added: c.added,
              removed: c.removed,
            }
          : { kind: `${c.kind}:${c.reason}` },
      ),
    del: (who, slug) => grpcOutcome(docs(who).delete({ slug: prefix + slug })),
    login: (password) =>
      grpcOutcome(auth().login({ username: "alice", password }), (m) => typeof m.token),
    logout: (token) => grpcOutcome(auth(token).logout({})),
    listWith: (token) => grpcOutcome(docs(token).list({})),
    health: () =>
      grpcOutcome(
        createClient(AdminService, bearerTransport(s.grpcUrl)).health({}),
        (m) => m.status,
      ),
  };
}

const V1 = "# Plan\n\n## Steps\n\n- one\n- two\n\n## Notes\n\nThe zebra crossing is ready.\n";
const V2 = V1.replace("is ready", "moved").replace("- two", "- two\n- three");

async function scenario(f: DocsFace): Promise<unknown[]> {
  const out: unknown[] = [];
  const step = async (x: Promise<unknown>) => out.push(await x);
  await step(f.put("agent", "plan", V1, ["Ops", "ci"]));
  await step(f.put("agent", "keep", "# Keep\n\nstays"));
  await step(f.put("guest", "nope", V1));
  await step(f.get("human", "plan"));
  await step(f.mark("human", "plan", true));
  await step(f.list("guest", true)); // the guest has read nothing: both unread
  await step(f.list("human", true)); // the human read the plan
  await step(f.changes("human", "plan"));
  await step(f.put("agent", "plan", V2));
  await step(f.changes("human", "plan")); // the diff against version 1
  await step(f.changes("guest", "plan"));
  await step(f.mark("guest", "keep", true));
  await step(f.mark("human", "plan", false));
  await step(f.del("other", "plan"));
  await step(f.get("human", "missing"));
  await step(f.put("agent", "Not A Slug", V1));
  await step(f.login("wrong password"));
  await step(f.login(USER_PASSWORD));
  await step(f.health());
  await step(f.del("agent", "plan"));
  await step(f.get("agent", "plan"));
  // The state left behind, as each account sees it.
  for (const who of ["human", "guest", "agent"] as const) await step(f.list(who, false));
  return out;
}

async function logoutRevokes(f: DocsFace): Promise<unknown[]> {
  const r = await fetch(`${s.mcias.url}/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "alice", password: USER_PASSWORD, service_name: "mcq" }),
  });
  const token = ((await r.json()) as { token: string }).token;
  return [await f.listWith(token), await f.logout(token), await f.listWith(token)];
}

const faceOf = (t: Transport) => (t === "rest" ? restFace("rest-") : grpcFace("grpc-"));

bothTransports("the same operations give the same answers and leave the same state", async (t) => {
  const out = await scenario(faceOf(t));
  // Spot checks of the scenario itself (the comparison only shows the two agree).
  const codes = out.flatMap((o) => ((o as Outcome).ok ? [] : [(o as { code: string }).code]));
  assert.deepEqual(codes, [
    "push_not_allowed",
    "delete_not_allowed",
    "document_not_found",
    "invalid_slug",
    "invalid_credentials",
    "document_not_found",
  ]);
  // Read state is per account: the guest has read neither document, the human the plan.
  const slugs = (i: number) =>
    ((out[i] as Outcome<Face[]>).ok ? (out[i] as { value: Face[] }).value : []).map((d) => d.slug);
  assert.deepEqual(slugs(5).sort(), ["keep", "plan"]);
  assert.deepEqual(slugs(6), ["keep"]);
  const diff = out[9] as Outcome<Changes>;
  assert.ok(diff.ok && diff.value.kind === "diff" && diff.value.from === 1 && diff.value.to === 2);
  assert.ok((diff.value.added ?? 0) > 0 && (diff.value.removed ?? 0) > 0);
  return out;
});

bothTransports("logout revokes the token it was called with", async (t) => {
  const out = await logoutRevokes(faceOf(t));
  assert.equal((out[0] as Outcome).ok, true);
  assert.equal((out[1] as Outcome).ok, true);
  assert.equal((out[2] as { code?: string }).code, "unauthenticated");
  return out;
});
