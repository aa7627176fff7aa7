import assert from "node:assert/strict";
import { test } from "node:test";
import { expectedOrigins, webauthnSection } from "./config.ts";

test("defaults: RP localhost, origin https://<rp_id>", () => {
  const c = webauthnSection.parse({});
  assert.equal(c.rp_id, "localhost");
  assert.equal(c.rp_name, "MCIAS");
  assert.deepEqual(expectedOrigins(c), ["https://localhost"]);
  assert.deepEqual(expectedOrigins(webauthnSection.parse({ rp_id: "id.example.org" })), [
    "https://id.example.org",
  ]);
});

test("origins must be secure and on the RP ID or a subdomain", () => {
  const ok = webauthnSection.parse({
    rp_id: "example.org",
    origins: ["https://example.org", "https://id.example.org:8443"],
  });
  assert.equal(ok.origins.length, 2);
  assert.ok(webauthnSection.safeParse({ origins: ["http://localhost:8080"] }).success);
  for (const bad of [
    "http://example.org",
    "https://evil.org",
    "https://notexample.org",
    "https://example.org/path",
    "example.org",
  ])
    assert.equal(
      webauthnSection.safeParse({ rp_id: "example.org", origins: [bad] }).success,
      false,
      bad,
    );
  assert.equal(webauthnSection.safeParse({ rp_id: "Example.org" }).success, false);
  assert.equal(webauthnSection.safeParse({ unknown: 1 }).success, false);
});
