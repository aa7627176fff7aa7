import assert from "node:assert/strict";
import { test } from "node:test";
import { formatListenAddr, parseListenAddr, portEnvToAddr } from "./listen-addr.ts";

test("listen address forms parse", () => {
  assert.deepEqual(parseListenAddr("127.0.0.1:8443"), { host: "127.0.0.1", port: 8443 });
  assert.deepEqual(parseListenAddr(":53"), { host: "", port: 53 });
  assert.deepEqual(parseListenAddr("[::1]:0"), { host: "::1", port: 0 });
  assert.deepEqual(parseListenAddr("localhost:80"), { host: "localhost", port: 80 });
  assert.equal(formatListenAddr({ host: "::1", port: 5 }), "[::1]:5");
  assert.equal(portEnvToAddr("8080"), ":8080");
  assert.equal(portEnvToAddr("0.0.0.0:1"), "0.0.0.0:1");
});

test("malformed listen addresses are refused", () => {
  for (const bad of ["8443", "::1:80", "host:", "host:http", "h:65536", "[::1]", ""]) {
    assert.throws(() => parseListenAddr(bad), Error, bad);
  }
});

test("an empty host may stand for a given any-address; a mapped v6 address formats with brackets", () => {
  assert.deepEqual(parseListenAddr(":53", { anyHost: "0.0.0.0" }), { host: "0.0.0.0", port: 53 });
  assert.deepEqual(parseListenAddr("[::]:53", { anyHost: "0.0.0.0" }), { host: "::", port: 53 });
  assert.deepEqual(parseListenAddr("10.0.0.1:5", { anyHost: "0.0.0.0" }), {
    host: "10.0.0.1",
    port: 5,
  });
  const bound = { host: "::ffff:127.0.0.1", port: 443 };
  assert.equal(formatListenAddr(bound), "[::ffff:127.0.0.1]:443");
});
