// The KRL as ssh-keygen -Q reads it: an empty list is valid, and revocation by serial, key id and
// key each revokes exactly what it names.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { SshCaEngine } from "../src/ssh-ca/index.ts";
import { MemoryMountStore } from "./helpers/memory-mount-store.ts";
import { makeUserKey, sshKeygen } from "./helpers/openssh.ts";

test("ssh-keygen -Q sees exactly what was revoked by serial, key id and key", (t) => {
  const dir = tempDirFor(t);
  const ca = new SshCaEngine(new MemoryMountStore(), () => 1_800_000_000_000);
  ca.initialize({ keyType: "ecdsa-p384" });
  const issue = (name: string) => {
    const key = makeUserKey(dir.path, name);
    const rec = ca.sign({
      publicKey: key.publicKey,
      certType: "user",
      keyId: `id-${name}`,
      principals: [name],
      ttlSeconds: 600,
    });
    writeFileSync(dir.join(`${name}-cert.pub`), `${rec.certificate}\n`);
    return { ...key, serial: rec.serial, cert: dir.join(`${name}-cert.pub`) };
  };
  const [a, b, c, d] = ["a", "b", "c", "d"].map(issue) as [
    ReturnType<typeof issue>,
    ReturnType<typeof issue>,
    ReturnType<typeof issue>,
    ReturnType<typeof issue>,
  ];
  const query = (file: string): boolean => {
    writeFileSync(dir.join("krl"), ca.krl());
    const r = sshKeygen(["-Q", "-f", dir.join("krl"), file]);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.ok(
      r.status === 0 ? r.stdout.includes(": ok") : r.stdout.includes(": REVOKED"),
      r.stdout,
    );
    return r.status === 1;
  };
  for (const x of [a, b, c, d]) assert.equal(query(x.cert), false, "empty KRL revokes nothing");

  assert.deepEqual(ca.revoke({ kind: "serial", serial: a.serial }), { krlVersion: 1 });
  ca.revoke({ kind: "key-id", keyId: "id-b" });
  ca.revoke({ kind: "key", publicKey: c.publicKey });
  assert.deepEqual(
    [a, b, c, d].map((x) => query(x.cert)),
    [true, true, true, false],
  );
  assert.equal(query(`${c.path}.pub`), true, "a revoked key is revoked as a plain key too");
  assert.equal(
    query(`${a.path}.pub`),
    false,
    "revoking a serial leaves the key usable in another cert",
  );
  assert.equal(ca.getCertificate(a.serial).revoked, true);
  assert.equal(ca.getCertificate(d.serial).revoked, false);

  const listing = sshKeygen(["-Q", "-l", "-f", dir.join("krl")]);
  assert.equal(listing.status, 0, listing.stderr);
  assert.match(listing.stdout, /# KRL version 3\n/);
  assert.match(listing.stdout, /serial: 1\n/);
  assert.match(listing.stdout, /id: id-b\n/);
  assert.throws(() => ca.revoke({ kind: "serial", serial: "99" }), {
    code: "certificate_not_found",
  });
});

test("a KRL of a CA without revocations is readable and revokes nothing", (t) => {
  const dir = tempDirFor(t);
  const ca = new SshCaEngine(new MemoryMountStore());
  assert.throws(() => ca.krl(), { code: "ca_not_initialized" });
  ca.initialize({ keyType: "ed25519" });
  writeFileSync(dir.join("krl"), ca.krl());
  const r = sshKeygen(["-Q", "-l", "-f", dir.join("krl")]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /# KRL version 0\n/);
});
