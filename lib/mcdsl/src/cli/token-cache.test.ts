// The token cache: per (MCIAS URL, audience), 0600/0700, expired entries ignored and dropped.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { jwtExpiry, loadToken, saveToken, tokenCachePath } from "./token-cache.ts";

const dir = mkdtempSync(join(tmpdir(), "mcdsl-tokens-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function jwt(exp: number): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "EdDSA" })}.${part({ sub: "a", exp })}.c2ln`;
}

test("tokens are kept per URL and audience, in a 0600 file in a 0700 directory", () => {
  const env = { XDG_CONFIG_HOME: join(dir, "a") };
  const o = { env, now: 1000 };
  saveToken("http://127.0.0.1:1/", "mcias", jwt(2000), o);
  saveToken("http://127.0.0.1:1", "mcns", jwt(3000), o);
  saveToken("http://127.0.0.1:2", "mcias", jwt(4000), o);
  assert.equal(loadToken("http://127.0.0.1:1", "mcias", o), jwt(2000));
  assert.equal(loadToken("http://127.0.0.1:1/", "mcns", o), jwt(3000));
  assert.equal(loadToken("http://127.0.0.1:2", "mcias", o), jwt(4000));
  assert.equal(loadToken("http://127.0.0.1:2", "mcns", o), undefined);
  saveToken("http://127.0.0.1:1", "mcias", jwt(5000), o);
  assert.equal(loadToken("http://127.0.0.1:1", "mcias", o), jwt(5000), "a new login replaces");
  const path = tokenCachePath(env);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, "a", "metacircular")).mode & 0o777, 0o700);
});

test("expired tokens are ignored and dropped on the next write", () => {
  const env = { XDG_CONFIG_HOME: join(dir, "b") };
  saveToken("http://h:1", "mcias", jwt(1500), { env, now: 1000 });
  assert.equal(loadToken("http://h:1", "mcias", { env, now: 1499 }), jwt(1500));
  assert.equal(loadToken("http://h:1", "mcias", { env, now: 1500 }), undefined);
  saveToken("http://h:1", "mcns", jwt(9000), { env, now: 1600 });
  const file = JSON.parse(readFileSync(tokenCachePath(env), "utf8")) as { tokens: unknown[] };
  assert.equal(file.tokens.length, 1);
});

test("a corrupt cache reads as empty and is replaced; tokens without exp are refused", () => {
  const env = { XDG_CONFIG_HOME: join(dir, "c") };
  saveToken("http://h:1", "mcias", jwt(9000), { env, now: 1 });
  writeFileSync(tokenCachePath(env), "garbage");
  assert.equal(loadToken("http://h:1", "mcias", { env, now: 1 }), undefined);
  saveToken("http://h:1", "mcias", jwt(9000), { env, now: 1 });
  assert.equal(loadToken("http://h:1", "mcias", { env, now: 1 }), jwt(9000));
  assert.equal(jwtExpiry("opaque"), undefined);
  assert.throws(() => saveToken("http://h:1", "mcias", "opaque", { env }), /no expiry/);
});
