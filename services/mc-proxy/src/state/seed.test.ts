// The route rule every client meets (TOML seed, gRPC over the socket or TCP, mcproxyctl): which
// fields each mode takes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRoute } from "./seed.ts";

const BASE = { hostname: "a.test", backend: "127.0.0.1:1" };

test("l7 routes need a certificate and key", () => {
  const r = parseRoute({ ...BASE, mode: "l7", tls_cert: "/c.pem" });
  assert.deepEqual(r, { ok: false, message: "tls_cert: l7 routes need tls_cert and tls_key" });
  assert.equal(
    parseRoute({ ...BASE, mode: "l7", tls_cert: "/c", tls_key: "/k", health_path: "/h" }).ok,
    true,
  );
});

test("l4 routes refuse the fields only l7 uses, naming each", () => {
  assert.equal(parseRoute({ ...BASE, mode: "l4", backend_tls: false, min_tls: "1.3" }).ok, true);
  for (const field of ["tls_cert", "tls_key", "backend_ca", "health_path"]) {
    const r = parseRoute({ ...BASE, mode: "l4", [field]: "/x" });
    assert.deepEqual(r, { ok: false, message: `${field}: applies to l7 routes only` });
  }
  const both = parseRoute({ ...BASE, mode: "l4", tls_cert: "/c", tls_key: "/k" });
  assert.equal(
    both.ok ? "" : both.message,
    "tls_cert: applies to l7 routes only; tls_key: applies to l7 routes only",
  );
});
