// The answer to a challenge response (RFC 8555 §7.5.1) waits for the validation up to
// `inline_validation_ms`: a quick validation answers "valid" at once, so clients skip polling (lego
// otherwise waits 5 s before its second look). A validation that takes longer answers
// "processing" with Retry-After, and so does the authorization while it is under way; the
// outcome still arrives. The http-01 server here holds its answer until the test releases it.

import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, test } from "node:test";
import type { Authorization } from "@metacircular/mcdsl/acme";
import { ACME_NAMES, type AcmeServer, startAcmeServer } from "./helpers/acme.ts";

const servers: AcmeServer[] = [];
const listeners: Server[] = [];
after(async () => {
  for (const l of listeners) l.closeAllConnections();
  await Promise.all(listeners.map((l) => new Promise((r) => l.close(r))));
  await Promise.all(servers.map((s) => s.stop()));
});

/** An http-01 server that answers every token with `answer()` once `gate` resolves. */
async function http01(port: number, answer: () => string, gate: Promise<void>): Promise<void> {
  const srv = createServer((_req, res) => {
    void gate.then(() => res.end(answer()));
  });
  listeners.push(srv);
  await new Promise<void>((r) => srv.listen(port, "127.0.0.1", r));
}

async function challengeOf(s: AcmeServer, name: string) {
  const c = await s.account();
  const order = await c.newOrder({ names: [name] });
  const authzUrl = order.authorizations[0]!;
  const a = await c.authorization(authzUrl);
  const ch = a.challenges.find((x) => x.type === "http-01")!;
  return { c, authzUrl, ch, keyAuthorization: `${ch.token}.${c.key.thumbprint}` };
}

test("a quick validation is answered in the challenge response itself", async () => {
  const s = await startAcmeServer();
  servers.push(s);
  let ka = "";
  await http01(s.httpPort, () => ka, Promise.resolve());
  const x = await challengeOf(s, ACME_NAMES[0]!);
  ka = x.keyAuthorization;
  const r = await x.c.post(x.ch.url, {});
  assert.equal(r.json.status, "valid");
  assert.equal(r.retryAfter, undefined);
  assert.equal((await x.c.authorization(x.authzUrl)).status, "valid");
});

test("a slow validation answers processing with Retry-After, then completes", async () => {
  const s = await startAcmeServer({ inlineValidationMs: 0 });
  servers.push(s);
  let ka = "";
  let release = () => {};
  await http01(
    s.httpPort,
    () => ka,
    new Promise<void>((r) => {
      release = r;
    }),
  );
  const x = await challengeOf(s, ACME_NAMES[1]!);
  ka = x.keyAuthorization;
  const r = await x.c.post(x.ch.url, {});
  assert.equal(r.json.status, "processing");
  assert.equal(r.retryAfter, "1");
  const during = await x.c.post(x.authzUrl, "");
  assert.equal(during.json.status, "pending");
  assert.equal(during.retryAfter, "1");
  release();
  const done = await x.c.poll<Authorization>(x.authzUrl, 60_000);
  assert.equal(done.status, "valid");
  const afterwards = await x.c.post(x.authzUrl, "");
  assert.equal(afterwards.retryAfter, undefined);
});
