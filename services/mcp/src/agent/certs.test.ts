// Which certificate source a [certs] section gives, and what a static pair or no source means
// for the L7 host names of a deploy (the Metacrypt source runs in test/host-certs.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "@metacircular/mcdsl/errors";
import { certsSection } from "../config.ts";
import type { Registry } from "../db/registry.ts";
import { certificatesFor, certSourceFrom } from "./certs.ts";

const none = {} as Registry;
const noUndo = () => undefined;

test("[certs] gives a static pair, a Metacrypt issuer, or nothing", () => {
  assert.equal(certSourceFrom(certsSection.parse({})), undefined);
  assert.deepEqual(certSourceFrom(certsSection.parse({ cert: "/c.pem", key: "/c.key" })), {
    kind: "static",
    cert: "/c.pem",
    key: "/c.key",
  });
  const mc = certSourceFrom(
    certsSection.parse({ mode: "metacrypt", url: "http://127.0.0.1:1", token_file: "/t" }),
  );
  assert.equal(mc?.kind, "metacrypt");
  if (mc?.kind === "metacrypt") {
    assert.equal(mc.dir, "/srv/mc-proxy/certs");
    mc.issuer.close();
  }
});

test("static: every L7 host name shares the pair; no source refuses L7 routes", async () => {
  const src = { kind: "static" as const, cert: "/c.pem", key: "/c.key" };
  const rows = await certificatesFor(src, none, "s", ["a.x", "b.x"], noUndo);
  assert.deepEqual(
    rows.map((r) => [r.hostname, r.certPath, r.keyPath, r.serial]),
    [
      ["a.x", "/c.pem", "/c.key", undefined],
      ["b.x", "/c.pem", "/c.key", undefined],
    ],
  );
  assert.deepEqual(await certificatesFor(undefined, none, "s", [], noUndo), []);
  await assert.rejects(
    certificatesFor(undefined, none, "s", ["a.x"], noUndo),
    (e: unknown) => e instanceof AppError && e.code === "no_certificate",
  );
});
