// The gRPC face of the real mcias process (real gRPC over h2c), with the same semantics as REST.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import { AdminService } from "@metacircular/proto/mcias/v1/admin_pb";
import { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { PolicyService } from "@metacircular/proto/mcias/v1/policy_pb";
import { TokenService } from "@metacircular/proto/mcias/v1/token_pb";
import { type MciasInstance, startMcias } from "./helpers.ts";

let m: MciasInstance;
before(async () => {
  m = await startMcias({ grpc: true });
});
after(async () => {
  await m?.stop();
});

function transport(token?: string) {
  const auth: Interceptor = (next) => (req) => {
    if (token) req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  return createGrpcTransport({ baseUrl: m.grpcUrl!, interceptors: [auth] });
}

const code = (c: Code) => (e: unknown) => e instanceof ConnectError && e.code === c;

test("account lifecycle, policy and login over gRPC", async () => {
  assert.ok(m.grpcUrl);
  const admin = transport(m.adminToken);
  const accounts = createClient(AccountService, admin);
  const policies = createClient(PolicyService, admin);
  const created = await accounts.createAccount({ username: "Hank", password: "hank-password-1" });
  assert.equal(created.account?.username, "hank");
  assert.deepEqual(created.account?.roles, ["user"]);
  await assert.rejects(accounts.createAccount({ username: "hank" }), code(Code.AlreadyExists));
  await assert.rejects(accounts.getAccount({ username: "nobody" }), code(Code.NotFound));
  await assert.rejects(accounts.createAccount({ username: "root" }), code(Code.InvalidArgument));

  const anon = createClient(AuthService, transport());
  await assert.rejects(
    anon.login({ username: "hank", password: "hank-password-1", serviceName: "mcns" }),
    code(Code.PermissionDenied),
  );
  const rule = await policies.createRule({
    rule: { priority: 10, effect: "allow", roles: ["user"], serviceNames: ["mcns", "mcias"] },
  });
  assert.ok(rule.rule && rule.rule.id > 0n);
  const list = await policies.listRules({});
  assert.equal(list.defaultEffect, "deny");
  const login = await anon.login({
    username: "hank",
    password: "hank-password-1",
    serviceName: "mcns",
  });
  assert.ok(login.token);
  await assert.rejects(
    anon.login({ username: "hank", password: "wrong-password" }),
    code(Code.Unauthenticated),
  );

  const tokens = createClient(TokenService, transport());
  const v = await tokens.validateToken({ token: login.token });
  assert.equal(v.valid, true);
  assert.equal(v.username, "hank");
  // MCIAS's own API takes only tokens issued for MCIAS: the mcns token is refused here.
  await assert.rejects(
    createClient(AuthService, transport(login.token)).whoAmI({}),
    code(Code.Unauthenticated),
  );
  const own = await anon.login({ username: "hank", password: "hank-password-1" });
  const me = await createClient(AuthService, transport(own.token)).whoAmI({});
  assert.equal(me.account?.username, "hank");

  // a user token is refused on admin methods; none at all is unauthenticated
  await assert.rejects(
    createClient(AccountService, transport(own.token)).listAccounts({}),
    code(Code.PermissionDenied),
  );
  await assert.rejects(
    createClient(AccountService, transport()).listAccounts({}),
    code(Code.Unauthenticated),
  );

  const disabled = await accounts.setAccountEnabled({ username: "hank", enabled: false });
  assert.equal(disabled.account?.status, "disabled");
  assert.equal((await tokens.validateToken({ token: login.token })).valid, false);
  await accounts.deleteAccount({ username: "hank" });
  assert.equal(
    (await accounts.listAccounts({})).accounts.some((a) => a.username === "hank"),
    false,
  );
});

test("system tokens, revocation feed and audit over gRPC", async () => {
  const admin = transport(m.adminToken);
  const accounts = createClient(AccountService, admin);
  const tokens = createClient(TokenService, admin);
  await accounts.createAccount({ username: "svc-grpc", type: "system" });
  await assert.rejects(
    tokens.issueSystemToken({ username: "svc-grpc" }),
    code(Code.InvalidArgument),
    "a system token names its audience",
  );
  const issued = await tokens.issueSystemToken({ username: "svc-grpc", audience: "mcns" });
  const feed = await tokens.listRevocations({ since: -1n });
  const pending = tokens.listRevocations({ since: feed.epoch, waitSeconds: 20 });
  await tokens.revokeToken({ tokenId: issued.tokenId });
  const page = await pending;
  assert.deepEqual(page.revokedTokenIds, [issued.tokenId]);
  assert.equal((await tokens.validateToken({ token: issued.token })).valid, false);
  await assert.rejects(tokens.revokeToken({ tokenId: issued.tokenId }), code(Code.NotFound));

  const adminSvc = createClient(AdminService, admin);
  const v = await adminSvc.verifyAudit({});
  assert.equal(v.ok, true);
  const events = await adminSvc.listAuditEvents({ event: "token_revoked", limit: 5 });
  assert.ok(events.events.length >= 1);
  const rot = await adminSvc.rotateSigningKey({});
  assert.equal(rot.kids.length, 2);
});
