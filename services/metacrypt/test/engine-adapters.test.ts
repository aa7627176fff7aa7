// The SSH CA, transit and user-to-user engines on the real server, through `POST
// /v1/engine/request`: certificates read back by ssh-keygen, the KRL from the public route checked
// with `ssh-keygen -Q`, transit rotation/rewrap/batches, messages between users with the caller
// as sender and recipient, policy and the sealed vault; one scenario over REST and gRPC alike;
// inherited object members ("constructor", "__proto__") are unknown operations; policy decides SSH
// host certificates as sign-host.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { Identity, TokenValidator } from "@metacircular/mcdsl/http";
import { EngineService } from "@metacircular/proto/metacrypt/v1/engine_pb";
import { bothTransports, freePort, grpcOutcome, restOutcome } from "@metacircular/testkit";
import {
  client,
  IDENTITIES,
  PASSWORD,
  type Reply,
  readyAdmin,
  startTestMetacrypt,
  type TestMetacrypt,
} from "./helpers/metacrypt.ts";
import { makeUserKey, sshKeygen } from "./helpers/openssh.ts";

const PEOPLE: Record<string, Identity> = {
  ...IDENTITIES,
  "tok-bob": { username: "bob", accountType: "human", roles: ["user"] },
  "tok-carol": { username: "carol", accountType: "human", roles: ["user"] },
};
const validator: TokenValidator = { validate: async (t) => PEOPLE[t] ?? null };

let h: TestMetacrypt;
let admin: ReturnType<typeof client>;

before(async () => {
  const grpc_addr = `127.0.0.1:${await freePort()}`;
  h = await startTestMetacrypt(
    { server: { listen_addr: "127.0.0.1:0", grpc_addr } },
    { validator },
  );
  admin = await readyAdmin(h.url);
  for (const [name, type] of [
    ["ssh", "ssh-ca"],
    ["transit", "transit"],
    ["users", "user-crypto"],
  ])
    assert.equal((await admin("POST", "/v1/mounts", { name, type })).status, 201);
});
after(() => h?.stop());

const as =
  (token: string) =>
  (mount: string, operation: string, data: unknown = {}): Promise<Reply> =>
    client(h.url, token)("POST", "/v1/engine/request", { mount, operation, data });
const req = as("tok-admin");
const b64 = (s: string) => Buffer.from(s).toString("base64");

async function ok(p: Promise<Reply>): Promise<Reply["json"]> {
  const r = await p;
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

test("SSH CA: a user certificate reads back with ssh-keygen -L; the public KRL with -Q", async () => {
  assert.equal((await client(h.url)("GET", "/v1/ssh/ssh/ca.pub")).status, 404);
  const init = await ok(req("ssh", "init", { key_type: "ed25519" }));
  const pub = (await client(h.url)("GET", "/v1/ssh/ssh/ca.pub")).body.toString();
  assert.equal(pub.trim(), init.public_key);
  const key = makeUserKey(h.dir, "alice-key");
  const cert = await ok(
    req("ssh", "sign", {
      public_key: key.publicKey,
      key_id: "alice@laptop",
      principals: ["alice"],
    }),
  );
  assert.equal(cert.cert_type, "user");
  assert.equal(cert.extensions["permit-pty"], "");
  const certPath = `${key.path}-cert.pub`;
  writeFileSync(certPath, `${cert.certificate}\n`);
  const shown = sshKeygen(["-L", "-f", certPath]);
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /Type: ssh-ed25519-cert-v01@openssh.com user certificate/);
  assert.match(shown.stdout, /Key ID: "alice@laptop"/);
  assert.match(shown.stdout, new RegExp(`Serial: ${cert.serial}\\b`));
  assert.match(shown.stdout, /Principals: \n\s+alice\n/);

  const krlPath = join(h.dir, "krl");
  const fetched = await client(h.url)("GET", "/v1/ssh/ssh/krl");
  assert.equal(fetched.status, 200);
  writeFileSync(krlPath, fetched.body);
  assert.equal(sshKeygen(["-Q", "-f", krlPath, certPath]).status, 0, "not revoked yet");
  assert.equal((await ok(req("ssh", "revoke", { serial: cert.serial }))).krl_version, 1);
  const after = await client(h.url)("GET", "/v1/ssh/ssh/krl");
  writeFileSync(krlPath, after.body);
  const q = sshKeygen(["-Q", "-f", krlPath, certPath]);
  assert.notEqual(q.status, 0);
  assert.match(q.stdout + q.stderr, /REVOKED/);
  const listed = await ok(req("ssh", "list-certs"));
  assert.equal(listed.certificates[0].revoked, true);
  assert.equal(
    (await req("ssh", "sign", { public_key: "nope", key_id: "x", principals: ["a"] })).json.error
      .code,
    "malformed_key",
  );
});

test("transit: encrypt, rotate, decrypt v1, rewrap to v2; tampering refused; batches", async () => {
  await ok(req("transit", "create-key", { name: "payments" }));
  const v1 = await ok(req("transit", "encrypt", { name: "payments", plaintext: b64("card 4111") }));
  assert.match(v1.ciphertext, /^metacrypt:v1:/);
  assert.equal((await ok(req("transit", "rotate-key", { name: "payments" }))).latest_version, 2);
  const d = await ok(req("transit", "decrypt", { name: "payments", ciphertext: v1.ciphertext }));
  assert.equal(Buffer.from(d.plaintext, "base64").toString(), "card 4111");
  const v2 = await ok(req("transit", "rewrap", { name: "payments", ciphertext: v1.ciphertext }));
  assert.match(v2.ciphertext, /^metacrypt:v2:/);
  assert.equal(v2.key_version, 2);
  const raw = Buffer.from(v2.ciphertext.slice("metacrypt:v2:".length), "base64");
  raw[raw.length - 1]! ^= 1;
  const bad = await req("transit", "decrypt", {
    name: "payments",
    ciphertext: `metacrypt:v2:${raw.toString("base64")}`,
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, "decryption_failed");
  const batch = await ok(
    req("transit", "decrypt-batch", {
      name: "payments",
      items: [{ ciphertext: v2.ciphertext }, { ciphertext: "metacrypt:v9:AAAA" }],
    }),
  );
  assert.equal(batch.results[0].ok, true);
  assert.equal(Buffer.from(batch.results[0].value.plaintext, "base64").toString(), "card 4111");
  assert.equal(batch.results[1].ok, false);
  assert.match(batch.results[1].error.code, /^[a-z_]+$/);
  const notB64 = await req("transit", "encrypt", { name: "payments", plaintext: "***" });
  assert.equal(notB64.json.error.code, "invalid_request");
});

test("a transit batch is one decision and one audit row that counts its items, with no plaintext", async () => {
  const secret = b64("batch secret 42");
  const before = (await admin("GET", "/v1/audit?limit=1")).json.entries[0].seq as number;
  const items = Array.from({ length: 3 }, () => ({ plaintext: secret }));
  await ok(req("transit", "encrypt-batch", { name: "payments", items }));
  const rows = (await admin("GET", "/v1/audit?limit=10")).json.entries.filter(
    (r: { seq: number }) => r.seq > before,
  );
  assert.equal(rows.length, 1);
  assert.equal(rows[0].action, "encrypt-batch");
  assert.equal(rows[0].target, "payments");
  assert.equal(rows[0].decision, "allow");
  assert.deepEqual(JSON.parse(rows[0].detail), { items: 3 });
  assert.ok(!JSON.stringify(rows).includes(secret));
  assert.ok(!JSON.stringify(rows).includes("batch secret"));
  assert.equal((await admin("GET", "/v1/audit/verify")).json.ok, true);
});

test("user-to-user: alice encrypts to bob, bob decrypts, carol is not the recipient", async () => {
  const alice = as("tok-alice");
  const bob = as("tok-bob");
  await admin("PUT", "/v1/policy/rules/users", {
    id: "users",
    effect: "allow",
    subject: "role:user",
    mount: "users",
  });
  await ok(bob("users", "ensure-key"));
  const sent = await ok(alice("users", "encrypt", { recipient: "bob", plaintext: b64("hi bob") }));
  const opened = await ok(bob("users", "decrypt", { envelope: sent.envelope }));
  assert.equal(opened.sender, "alice");
  assert.equal(Buffer.from(opened.plaintext, "base64").toString(), "hi bob");
  const carol = await as("tok-carol")("users", "decrypt", { envelope: sent.envelope });
  assert.equal(carol.status, 403);
  assert.equal(carol.json.error.code, "not_recipient");
  const spoof = await alice("users", "encrypt", { sender: "bob", recipient: "bob", plaintext: "" });
  assert.equal(spoof.json.error.code, "invalid_request", "the sender is never a request field");
});

test("inherited object members are no operations: unknown_operation, not a 500", async () => {
  for (const mount of ["transit", "ssh", "users"])
    for (const operation of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const r = await req(mount, operation);
      assert.equal(r.status, 400, `${mount} ${operation}: ${JSON.stringify(r.json)}`);
      assert.equal(r.json.error.code, "unknown_operation");
    }
});

test("policy refuses a key and a principal outside its names; a sealed vault refuses engine requests", async () => {
  await ok(req("transit", "create-key", { name: "ledger" }));
  await admin("PUT", "/v1/policy/rules/alice-transit", {
    id: "alice-transit",
    effect: "allow",
    subject: "user:alice",
    mount: "transit",
    operations: ["encrypt"],
    names: ["ledger"],
  });
  const alice = as("tok-alice");
  await ok(alice("transit", "encrypt", { name: "ledger", plaintext: b64("x") }));
  const denied = await alice("transit", "encrypt", { name: "payments", plaintext: b64("x") });
  assert.equal(denied.status, 403);
  assert.equal(denied.json.error.code, "policy_denied");

  await admin("PUT", "/v1/policy/rules/alice-ssh", {
    id: "alice-ssh",
    effect: "allow",
    subject: "user:alice",
    mount: "ssh",
    operations: ["sign"],
    names: ["alice"],
  });
  const key = makeUserKey(h.dir, "alice-policy").publicKey;
  await ok(alice("ssh", "sign", { public_key: key, key_id: "a", principals: ["alice"] }));
  const root = await alice("ssh", "sign", { public_key: key, key_id: "a", principals: ["root"] });
  assert.equal(root.status, 403);
  assert.equal(root.json.error.code, "policy_denied");
  // A rule for user certificates does not vouch for a host of the same name: that is sign-host.
  const host = { public_key: key, key_id: "h", principals: ["alice"], cert_type: "host" };
  const asHost = await alice("ssh", "sign", host);
  assert.equal(asHost.status, 403);
  assert.match(asHost.json.error.message, /policy denies sign-host/);
  await admin("PUT", "/v1/policy/rules/alice-ssh-host", {
    id: "alice-ssh-host",
    effect: "allow",
    subject: "user:alice",
    mount: "ssh",
    operations: ["sign-host"],
    names: ["alice"],
  });
  assert.equal((await ok(alice("ssh", "sign", host))).cert_type, "host");

  h.ops.barrier.seal();
  try {
    const sealed = await req("transit", "encrypt", { name: "ledger", plaintext: b64("x") });
    assert.equal(sealed.status, 503);
    assert.equal(sealed.json.error.code, "sealed");
    assert.equal((await client(h.url)("GET", "/v1/ssh/ssh/krl")).status, 503);
    assert.equal((await client(h.url)("GET", "/v1/ssh/ssh/ca.pub")).status, 503);
  } finally {
    await readyUnseal();
  }
});

async function readyUnseal(): Promise<void> {
  const r = await client(h.url)("POST", "/v1/sys/unseal", {
    password: PASSWORD,
  });
  assert.equal(r.json.sealed, false);
}

bothTransports("transit hmac and verify-hmac agree over REST and gRPC", async (transport) => {
  const data = { name: "tags", input: b64("message") };
  if (transport === "rest") {
    await req("transit", "create-key", { name: "tags", type: "hmac" });
    const post = (operation: string, d: unknown) =>
      fetch(`${h.url}/v1/engine/request`, {
        method: "POST",
        headers: { Authorization: "Bearer tok-admin", "Content-Type": "application/json" },
        body: JSON.stringify({ mount: "transit", operation, data: d }),
      });
    const mac = (await (await post("hmac", data)).json()) as { hmac: string };
    return [
      mac.hmac,
      await restOutcome(await post("verify-hmac", { ...data, hmac: mac.hmac }), (b) => b),
      await restOutcome(await post("hmac", { name: "tags" }), (b) => b),
    ];
  }
  const transportGrpc = createGrpcTransport({
    baseUrl: h.grpc!.url,
    interceptors: [
      (next) => (r) => {
        r.header.set("authorization", "Bearer tok-admin");
        return next(r);
      },
    ],
  });
  const engine = createClient(EngineService, transportGrpc);
  const call = (operation: string, d: object) =>
    engine.request({ mount: "transit", operation, data: d as never });
  const mac = (await call("hmac", data)).result?.hmac as string;
  return [
    mac,
    await grpcOutcome(call("verify-hmac", { ...data, hmac: mac }), (m) => m.result),
    await grpcOutcome(call("hmac", { name: "tags" }), (m) => m.result),
  ];
});
