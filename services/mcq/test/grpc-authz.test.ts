// gRPC's access map is complete, and the authorization matrix holds on both transports against a
// real MCIAS with the test kit's principals: an admin, two system accounts, a user, a guest, no
// token, a forged token, and valid tokens for another service (refused like no token). Guests
// read and mark but never push; only the pusher or an admin deletes. REST and gRPC must give the
// same answer (the gRPC status REST's maps to, and the same stable code) for every caller.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, createClient } from "@connectrpc/connect";
import { missingMethods } from "@metacircular/mcdsl/grpc";
import { AdminService } from "@metacircular/proto/mcq/v1/admin_pb";
import { AuthService } from "@metacircular/proto/mcq/v1/auth_pb";
import { DocumentService } from "@metacircular/proto/mcq/v1/document_pb";
import {
  bearerTransport,
  grpcOutcome,
  type MatrixTokens,
  matrixPrincipals,
  type Outcome,
  restOutcome,
} from "@metacircular/testkit";
import { grpcAccess, grpcServices } from "../src/grpcserver/method-map.ts";
import { type Stack, startStack } from "./helpers/stack.ts";

test("every gRPC method is declared in the access map", () => {
  assert.deepEqual(missingMethods(grpcServices, grpcAccess), []);
  assert.equal(Object.keys(grpcAccess).length, 10);
});

type Who = keyof MatrixTokens;
const WHO: Who[] = [
  "admin",
  "agent",
  "other",
  "human",
  "guest",
  "none",
  "bogus",
  "foreign",
  "foreignSystem",
];
const UNAUTH: Who[] = ["none", "bogus", "foreign", "foreignSystem"];
const READERS: Who[] = ["admin", "agent", "other", "human", "guest"];
const BODY = "# Matrix\n\ntext";

let s: Stack;
let tokens: MatrixTokens;
let n = 0;

const cleanups: Array<() => unknown> = [];
before(async () => {
  s = await startStack({ after: (fn) => cleanups.push(fn) }, { users: false, grpc: true });
  tokens = await matrixPrincipals(s.mcias, { service: "mcq", foreignService: "mcns" });
  await s.api("PUT", "/v1/documents/shared", tokens.agent, { body: BODY });
});

after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

const rpc = (token: string | undefined) => {
  const t = bearerTransport(s.grpcUrl, token);
  return {
    docs: createClient(DocumentService, t),
    auth: createClient(AuthService, t),
    admin: createClient(AdminService, t),
  };
};

/** One action: its REST call and its gRPC call, as outcomes (values are not compared here). */
interface Op {
  name: string;
  allow: Who[];
  /** Runs before each caller's attempt (e.g. a fresh document to delete). */
  prepare?: () => Promise<string>;
  rest(token: string | undefined, slug: string): Promise<Response>;
  grpc(token: string | undefined, slug: string): Promise<unknown>;
}

const fresh = async () => {
  const slug = `del-${n++}`;
  const r = await s.api("PUT", `/v1/documents/${slug}`, tokens.agent, { body: BODY });
  assert.equal(r.status, 201);
  return slug;
};

const OPS: Op[] = [
  {
    name: "health",
    allow: WHO,
    rest: (t) => s.api("GET", "/v1/health", t),
    grpc: (t) => rpc(t).admin.health({}),
  },
  {
    name: "list",
    allow: READERS,
    rest: (t) => s.api("GET", "/v1/documents", t),
    grpc: (t) => rpc(t).docs.list({}),
  },
  {
    name: "get",
    allow: READERS,
    rest: (t) => s.api("GET", "/v1/documents/shared", t),
    grpc: (t) => rpc(t).docs.get({ slug: "shared" }),
  },
  {
    name: "changes",
    allow: READERS,
    rest: (t) => s.api("GET", "/v1/documents/shared/changes", t),
    grpc: (t) => rpc(t).docs.changes({ slug: "shared" }),
  },
  {
    name: "mark read",
    allow: READERS,
    rest: (t) => s.api("POST", "/v1/documents/shared/read", t),
    grpc: (t) => rpc(t).docs.markRead({ slug: "shared" }),
  },
  {
    name: "mark unread",
    allow: READERS,
    rest: (t) => s.api("POST", "/v1/documents/shared/unread", t),
    grpc: (t) => rpc(t).docs.markUnread({ slug: "shared" }),
  },
  {
    name: "push",
    allow: ["admin", "agent", "other", "human"],
    rest: (t) => s.api("PUT", `/v1/documents/p-${n++}`, t, { body: BODY }),
    grpc: (t) => rpc(t).docs.put({ slug: `p-${n++}`, body: BODY }),
  },
  {
    name: "delete (pushed by agent)",
    allow: ["admin", "agent"],
    prepare: fresh,
    rest: (t, slug) => s.api("DELETE", `/v1/documents/${slug}`, t),
    grpc: (t, slug) => rpc(t).docs.delete({ slug }),
  },
];

const expected = (who: Who, allow: Who[]): Outcome<undefined>["ok"] | Code =>
  allow.includes(who) ? true : UNAUTH.includes(who) ? Code.Unauthenticated : Code.PermissionDenied;
const verdict = (o: Outcome) => (o.ok ? true : o.grpcCode);
const code = (o: Outcome) => (o.ok ? "" : o.code);

for (const op of OPS)
  test(`matrix: ${op.name}, on REST and gRPC alike`, async () => {
    for (const who of WHO) {
      const token = tokens[who];
      const rest = await restOutcome(await op.rest(token, (await op.prepare?.()) ?? ""));
      const grpc = await grpcOutcome(op.grpc(token, (await op.prepare?.()) ?? ""));
      const want = expected(who, op.allow);
      assert.equal(verdict(rest), want, `REST ${op.name} as ${who}: ${JSON.stringify(rest)}`);
      assert.equal(verdict(grpc), want, `gRPC ${op.name} as ${who}: ${JSON.stringify(grpc)}`);
      assert.equal(code(grpc), code(rest), `${op.name} as ${who}: the same stable code`);
    }
  });

test("matrix: guests are refused a push with push_not_allowed; logout needs a token for mcq", async () => {
  const put = await grpcOutcome(rpc(tokens.guest).docs.put({ slug: "g", body: BODY }));
  assert.deepEqual(put, { ok: false, grpcCode: Code.PermissionDenied, code: "push_not_allowed" });
  for (const who of UNAUTH) {
    const rest = await restOutcome(await s.api("POST", "/v1/auth/logout", tokens[who]));
    const grpc = await grpcOutcome(rpc(tokens[who]).auth.logout({}));
    assert.equal(verdict(rest), Code.Unauthenticated, who);
    assert.deepEqual(grpc, rest, who);
  }
});
