import assert from "node:assert/strict";
import { test } from "node:test";
import { grpcOptionsFromConfig } from "../grpc/from-config.ts";
import { httpOptionsFromConfig } from "../http/from-config.ts";
import { silentLogger } from "../log/logger.ts";
import { listenerFromConfig } from "./from-config.ts";

const plain = { listen_addr: "127.0.0.1:8443", shutdown_timeout_ms: 2500 };
const tls = { ...plain, grpc_addr: "127.0.0.1:9443", tls_cert: "/c.pem", tls_key: "/k.pem" };

test("the [server] section gives the listen address, TLS files only when both are set, and the shutdown wait", () => {
  assert.deepEqual(listenerFromConfig(plain), {
    listen: "127.0.0.1:8443",
    shutdownTimeoutMs: 2500,
  });
  assert.deepEqual(listenerFromConfig({ ...plain, tls_cert: "/c.pem" }).tls, undefined);
  assert.deepEqual(listenerFromConfig(tls, "unix:/run/x.sock"), {
    listen: "unix:/run/x.sock",
    shutdownTimeoutMs: 2500,
    tls: { cert: "/c.pem", key: "/k.pem" },
  });
  const logger = silentLogger();
  assert.deepEqual(httpOptionsFromConfig(tls, logger), {
    listen: "127.0.0.1:8443",
    shutdownTimeoutMs: 2500,
    tls: { cert: "/c.pem", key: "/k.pem" },
    logger,
  });
});

test("gRPC options listen on grpc_addr and refuse a section without one", () => {
  const service = {
    service: "x",
    version: "1",
    register() {},
    methodMap: {},
    logger: silentLogger(),
  };
  const o = grpcOptionsFromConfig(tls, service);
  assert.equal(o.listen, "127.0.0.1:9443");
  assert.deepEqual(o.tls, { cert: "/c.pem", key: "/k.pem" });
  assert.equal(o.service, "x");
  assert.throws(() => grpcOptionsFromConfig(plain, service), /grpc_addr is not configured/);
});
