import assert from "node:assert/strict";
import { test } from "node:test";
import { missingMethods } from "@metacircular/mcdsl/grpc";
import { AccountService } from "@metacircular/proto/mcias/v1/account_pb";
import { AdminService } from "@metacircular/proto/mcias/v1/admin_pb";
import { AuthService } from "@metacircular/proto/mcias/v1/auth_pb";
import { PolicyService } from "@metacircular/proto/mcias/v1/policy_pb";
import { TokenService } from "@metacircular/proto/mcias/v1/token_pb";
import { ACCESS_MAP } from "../server/access-map.ts";
import { METHOD_MAP, OWN_TOKEN_METHODS } from "./method-map.ts";

const services = [AuthService, TokenService, AccountService, PolicyService, AdminService];

test("every gRPC method is in the method map, and nothing else is", () => {
  assert.deepEqual(missingMethods(services, METHOD_MAP), []);
  const all = new Set(services.flatMap((s) => s.methods.map((m) => `/${s.typeName}/${m.name}`)));
  assert.deepEqual(
    Object.keys(METHOD_MAP).filter((k) => !all.has(k)),
    [],
  );
});

test("gRPC and REST agree on what is public", () => {
  const publicGrpc = Object.entries(METHOD_MAP)
    .filter(([, a]) => a === "public")
    .map(([k]) => k.split("/").pop());
  assert.deepEqual(publicGrpc.sort(), [
    "BeginPasskeyLogin",
    "FinishPasskeyLogin",
    "ListRevocations",
    "Login",
    "ValidateToken",
  ]);
  const publicRest = Object.entries(ACCESS_MAP)
    .filter(([, a]) => a === "public")
    .map(([k]) => k);
  assert.ok(publicRest.includes("POST /v1/auth/login"));
  assert.ok(publicRest.includes("POST /v1/token/validate"));
  assert.ok(publicRest.includes("GET /v1/token/revocations"));
  assert.ok(publicRest.includes("POST /v1/auth/passkey/login/begin"));
  assert.ok(publicRest.includes("POST /v1/auth/passkey/login/finish"));
});

test("gRPC and REST agree on the operations on the presented token itself", () => {
  for (const k of OWN_TOKEN_METHODS) assert.equal(METHOD_MAP[k], "authenticated", k);
  assert.deepEqual([...OWN_TOKEN_METHODS].map((k) => k.split("/").pop()).sort(), [
    "Logout",
    "RenewToken",
  ]);
  const restToken = Object.entries(ACCESS_MAP)
    .filter(([, a]) => a === "token")
    .map(([k]) => k)
    .sort();
  assert.deepEqual(restToken, ["POST /v1/auth/logout", "POST /v1/auth/renew"]);
});
