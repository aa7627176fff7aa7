import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { EchoService } from "@metacircular/proto/common/v1/echo_pb";
import { HealthService } from "@metacircular/proto/common/v1/health_pb";
import { ERROR_CODE_METADATA } from "../errors/index.ts";
import { missingMethods } from "./method-map.ts";
import type { GrpcServerHandle } from "./serve.ts";
import {
  call,
  E,
  type EchoClient,
  grpcJsClient,
  MAP,
  start,
  status,
} from "./testdata/echo-fixture.ts";

describe("serveGrpc over h2c with a grpc-js client", () => {
  let srv: GrpcServerHandle;
  let client: EchoClient;
  before(async () => {
    srv = await start();
    client = grpcJsClient(srv.port);
  });
  after(async () => {
    client.close();
    await srv.close();
  });

  test("a public method succeeds without a token", async () => {
    assert.deepEqual(await call(client, "PublicEcho", "hi"), { message: "hi", caller: "" });
  });

  test("an undeclared method is refused with PERMISSION_DENIED, even for an admin", async () => {
    await assert.rejects(
      call(client, "UndeclaredEcho", "x"),
      status(grpc.status.PERMISSION_DENIED),
    );
    await assert.rejects(
      call(client, "UndeclaredEcho", "x", "tok-admin"),
      status(grpc.status.PERMISSION_DENIED),
    );
  });

  test("authenticated methods need a valid token and see the identity", async () => {
    await assert.rejects(call(client, "AuthedEcho", "x"), status(grpc.status.UNAUTHENTICATED));
    await assert.rejects(
      call(client, "AuthedEcho", "x", "forged"),
      status(grpc.status.UNAUTHENTICATED),
    );
    assert.equal((await call(client, "AuthedEcho", "x", "tok-user")).caller, "alice");
  });

  test("admin methods refuse non-admins", async () => {
    await assert.rejects(
      call(client, "AdminEcho", "x", "tok-user"),
      status(grpc.status.PERMISSION_DENIED),
    );
    await assert.rejects(call(client, "AdminEcho", "x"), status(grpc.status.UNAUTHENTICATED));
    assert.equal((await call(client, "AdminEcho", "x", "tok-admin")).caller, "root");
  });

  test("AppError maps to its gRPC code with the stable code in metadata; crashes are bare INTERNAL", async () => {
    const nf = await call(client, "PublicEcho", "throw:not_found").catch(
      (e: grpc.ServiceError) => e,
    );
    assert.equal((nf as grpc.ServiceError).code, grpc.status.NOT_FOUND);
    assert.deepEqual((nf as grpc.ServiceError).metadata.get(ERROR_CODE_METADATA), [
      "zone_not_found",
    ]);
    await assert.rejects(
      call(client, "PublicEcho", "throw:exists"),
      status(grpc.status.ALREADY_EXISTS),
    );
    const crash = (await call(client, "PublicEcho", "throw:crash").catch(
      (e) => e,
    )) as grpc.ServiceError;
    assert.equal(crash.code, grpc.status.INTERNAL);
    assert.ok(!crash.details.includes("secret"), crash.details);
  });

  test("the Connect gRPC client reaches HealthService/Check, which is always public", async () => {
    const transport = createGrpcTransport({ baseUrl: srv.url });
    const health = createClient(HealthService, transport);
    const res = await health.check({});
    assert.equal(res.status, "ok");
    assert.equal(res.version, "1.0.0");
  });

  test("server streams carry the identity, and an AppError mid-stream maps to its code", async () => {
    const transport = createGrpcTransport({ baseUrl: srv.url });
    const c = createClient(EchoService, transport);
    const got: string[] = [];
    const headers = { authorization: "Bearer tok-user" };
    const err = await (async () => {
      for await (const m of c.streamEcho({ message: "s", repeat: 3 }, { headers }))
        got.push(m.caller);
    })().then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    assert.deepEqual(got, ["alice", "alice", "alice"]);
    assert.equal(err?.code, Code.Unavailable);
    assert.equal(err?.metadata.get(ERROR_CODE_METADATA), "unavailable");
    const denied = await (async () => {
      for await (const _m of c.streamEcho({ message: "s", repeat: 1 })) got.push("leak");
    })().catch((e: unknown) => ConnectError.from(e));
    assert.equal(denied?.code, Code.Unauthenticated);
  });

  test("missingMethods names every method absent from the map", () => {
    assert.deepEqual(missingMethods([EchoService], MAP), [`${E}/UndeclaredEcho`]);
    assert.deepEqual(missingMethods([HealthService], MAP), [
      "/metacircular.common.v1.HealthService/Check",
    ]);
  });
});
