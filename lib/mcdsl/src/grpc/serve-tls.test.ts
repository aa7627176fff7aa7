import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { EchoService } from "@metacircular/proto/common/v1/echo_pb";
import { createTestCA, REPO_ROOT, type TestCA, tempDirFor } from "@metacircular/testkit";
import type { TokenValidator } from "../identity/index.ts";
import { silentLogger } from "../log/logger.ts";
import { type GrpcServerHandle, serveGrpc } from "./serve.ts";
import { call, E, type EchoClient, grpcJsClient, start, status } from "./testdata/echo-fixture.ts";

describe("serveGrpc over TLS", () => {
  let ca: TestCA;
  let srv: GrpcServerHandle;
  before(async () => {
    ca = createTestCA();
    const leaf = ca.issue(["localhost", "127.0.0.1"]);
    srv = await start({ tls: { cert: leaf.certPath, key: leaf.keyPath } });
  });
  after(async () => {
    await srv.close();
    ca.remove();
  });

  test("TLS 1.3 clients are served; TLS 1.2 is refused", async () => {
    assert.match(srv.url, /^https:/);
    const transport = createGrpcTransport({ baseUrl: srv.url, nodeOptions: { ca: ca.cert } });
    const echoClient = createClient(EchoService, transport);
    assert.equal((await echoClient.publicEcho({ message: "tls" })).message, "tls");
    const e = await echoClient.authedEcho({ message: "x" }).catch((err) => ConnectError.from(err));
    assert.equal((e as ConnectError).code, Code.Unauthenticated);
    await assert.rejects(
      new Promise((resolve, reject) => {
        const s = tlsConnect(
          {
            port: srv.port,
            host: "127.0.0.1",
            ca: ca.cert,
            servername: "localhost",
            maxVersion: "TLSv1.2",
            ALPNProtocols: ["h2"],
          },
          () => resolve(s.getProtocol()),
        );
        s.once("error", reject);
      }),
      /protocol version|alert/i,
    );
  });

  test("grpc-js with TLS credentials works too", async () => {
    const def = protoLoader.loadSync("metacircular/common/v1/echo.proto", {
      includeDirs: [join(REPO_ROOT, "lib/proto/proto")],
      defaults: true,
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      metacircular: {
        common: { v1: { EchoService: new (a: string, c: grpc.ChannelCredentials) => EchoClient } };
      };
    };
    const client = new pkg.metacircular.common.v1.EchoService(
      `localhost:${srv.port}`,
      grpc.credentials.createSsl(Buffer.from(ca.cert)),
    );
    try {
      assert.equal((await call(client, "PublicEcho", "secure")).message, "secure");
    } finally {
      client.close();
    }
  });
});

test("startup refuses bad maps and a missing validator", async () => {
  const base = {
    service: "s",
    version: "0",
    listen: "127.0.0.1:0",
    logger: silentLogger(),
    register() {},
  };
  await assert.rejects(
    serveGrpc({ ...base, methodMap: { "EchoService/X": "public" } }),
    /package.Service\/Method/,
  );
  await assert.rejects(
    serveGrpc({ ...base, methodMap: { [`${E}/AuthedEcho`]: "authenticated" } }),
    /no validator/,
  );
});

test("close() completes while a grpc-js channel holds an idle HTTP/2 session", {
  timeout: 15_000,
}, async () => {
  const srv = await start();
  const client = grpcJsClient(srv.port);
  await call(client, "PublicEcho", "warm");
  await srv.close();
  await assert.rejects(call(client, "PublicEcho", "after"), status(grpc.status.UNAVAILABLE));
  client.close();
});

test("a validator outage: UNAVAILABLE on protected methods, public methods keep working", async (t) => {
  const broken: TokenValidator = { validate: () => Promise.reject(new Error("ECONNREFUSED")) };
  const srv = await start({ validator: broken });
  const client = grpcJsClient(srv.port);
  t.after(async () => {
    client.close();
    await srv.close();
  });
  assert.equal((await call(client, "PublicEcho", "up", "tok-user")).caller, "");
  await assert.rejects(
    call(client, "AuthedEcho", "x", "tok-user"),
    status(grpc.status.UNAVAILABLE),
  );
});

test("serveGrpc on a unix socket serves grpc-js clients", async (t) => {
  const dir = tempDirFor(t, "mc-grpc-unix-");
  const path = dir.join("admin.sock");
  const srv = await start({ listen: `unix:${path}` });
  const def = protoLoader.loadSync("metacircular/common/v1/echo.proto", {
    includeDirs: [join(REPO_ROOT, "lib/proto/proto")],
    defaults: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    metacircular: {
      common: { v1: { EchoService: new (a: string, c: grpc.ChannelCredentials) => EchoClient } };
    };
  };
  const client = new pkg.metacircular.common.v1.EchoService(
    `unix:${path}`,
    grpc.credentials.createInsecure(),
  );
  t.after(async () => {
    client.close();
    await srv.close();
  });
  assert.equal(srv.url, `unix:${path}`);
  assert.equal((await call(client, "PublicEcho", "local")).message, "local");
  await assert.rejects(call(client, "UndeclaredEcho", "x"), status(grpc.status.PERMISSION_DENIED));
});
