import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { connect, createServer } from "node:tls";
import { createTestCA } from "./ca.ts";

test("test CA issues leaves that openssl verifies", (t) => {
  const ca = createTestCA();
  t.after(() => ca.remove());
  const leaf = ca.issue(["svc.test", "127.0.0.1"]);
  const out = execFileSync("openssl", ["verify", "-CAfile", ca.certPath, leaf.certPath]).toString();
  assert.match(out, /OK/);
  const text = execFileSync("openssl", [
    "x509",
    "-in",
    leaf.certPath,
    "-noout",
    "-ext",
    "subjectAltName",
  ]).toString();
  assert.match(text, /DNS:svc\.test/);
  assert.match(text, /IP Address:127\.0\.0\.1/);
});

test("a leaf from the test CA completes a real TLS handshake and a foreign CA does not", async (t) => {
  const ca = createTestCA();
  const other = createTestCA("Other CA");
  t.after(() => {
    ca.remove();
    other.remove();
  });
  const leaf = ca.issue(["localhost"]);
  const server = createServer({ cert: leaf.cert, key: leaf.key }, (s) => s.end("hi"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;

  const ok = connect({ port, host: "127.0.0.1", servername: "localhost", ca: ca.cert });
  await once(ok, "secureConnect");
  assert.equal(ok.authorized, true);
  ok.destroy();

  const bad = connect({ port, host: "127.0.0.1", servername: "localhost", ca: other.cert });
  const [err] = (await once(bad, "error")) as [Error & { code?: string }];
  assert.match(
    String(err.code),
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/,
  );
});
