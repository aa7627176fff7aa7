// SSH CA certificates read back by ssh-keygen -L (which also verifies the CA signature), for every
// CA key type and both certificate types, plus the request checks that refuse bad certificates.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { tempDirFor } from "@metacircular/testkit";
import { type CaKeyType, SshCaEngine } from "../src/ssh-ca/index.ts";
import { WireWriter } from "../src/ssh-ca/wire.ts";
import { MemoryMountStore } from "./helpers/memory-mount-store.ts";
import { makeUserKey, type SubjectKeyType, sshKeygen } from "./helpers/openssh.ts";

const CA_TYPES: Array<[CaKeyType, string]> = [
  ["ed25519", "ssh-ed25519"],
  ["ecdsa-p256", "ecdsa-sha2-nistp256"],
  ["ecdsa-p384", "ecdsa-sha2-nistp384"],
  ["rsa-3072", "rsa-sha2-512"],
];

function readCert(path: string, line: string): string {
  writeFileSync(path, `${line}\n`);
  const r = sshKeygen(["-L", "-f", path]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

for (const [caType, sigAlg] of CA_TYPES) {
  test(`ssh-keygen -L reads user and host certificates from a ${caType} CA`, (t) => {
    const dir = tempDirFor(t);
    const ca = new SshCaEngine(new MemoryMountStore());
    const { publicKey: caLine } = ca.initialize({ keyType: caType });
    writeFileSync(dir.join("ca.pub"), `${caLine}\n`);
    const caFp = sshKeygen(["-l", "-f", dir.join("ca.pub")]).stdout.split(" ")[1];
    const subject = makeUserKey(dir.path, "user");
    const user = ca.sign({
      publicKey: subject.publicKey,
      certType: "user",
      keyId: "alice laptop",
      principals: ["alice", "ops"],
      ttlSeconds: 3600,
      validAfter: 1_800_000_000,
      criticalOptions: { "force-command": "/usr/bin/uptime", "source-address": "127.0.0.1/32,::1" },
      extensions: { "permit-pty": "", "permit-agent-forwarding": "" },
    });
    const out = readCert(dir.join("user-cert.pub"), user.certificate);
    assert.match(out, /Type: ssh-ed25519-cert-v01@openssh.com user certificate/);
    assert.ok(out.includes(`Signing CA: `) && out.includes(`${caFp} (using ${sigAlg})`), out);
    assert.match(out, /Key ID: "alice laptop"/);
    assert.match(out, /Serial: 1\n/);
    assert.match(out, /Valid: from 2027-01-15T08:00:00 to 2027-01-15T09:00:00/);
    assert.match(out, /Principals: \n\s+alice\n\s+ops\n/);
    assert.match(out, /force-command \/usr\/bin\/uptime/);
    assert.match(out, /source-address 127.0.0.1\/32,::1/);
    assert.match(out, /Extensions: \n\s+permit-agent-forwarding\n\s+permit-pty\n/);

    const host = ca.sign({
      publicKey: makeUserKey(dir.path, "host", "ecdsa-256").publicKey,
      certType: "host",
      keyId: "host web1",
      principals: ["web1.example.net", "127.0.0.1"],
      ttlSeconds: 86_400,
    });
    const hostOut = readCert(dir.join("host-cert.pub"), host.certificate);
    assert.match(hostOut, /ecdsa-sha2-nistp256-cert-v01@openssh.com host certificate/);
    assert.match(hostOut, /Serial: 2\n/);
    assert.match(hostOut, /Critical Options: \(none\)/);
    assert.match(hostOut, /Extensions: \(none\)/);
    assert.equal(host.serial, "2");
  });
}

test("every subject key type ssh-keygen makes is certified", (t) => {
  const dir = tempDirFor(t);
  const ca = new SshCaEngine(new MemoryMountStore());
  ca.initialize({ keyType: "ed25519" });
  const types: SubjectKeyType[] = ["ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa"];
  for (const type of types) {
    const key = makeUserKey(dir.path, type, type);
    const rec = ca.sign({
      publicKey: key.publicKey,
      certType: "user",
      keyId: type,
      principals: ["u"],
      ttlSeconds: 60,
    });
    const out = readCert(dir.join(`${type}-cert.pub`), rec.certificate);
    const fp = sshKeygen(["-l", "-f", `${key.path}.pub`]).stdout.split(" ")[1];
    assert.ok(out.includes(fp ?? "?"), `${type}: ${out}`);
    assert.equal(rec.keyFingerprint, fp);
    assert.deepEqual(rec.extensions, { "permit-pty": "" });
  }
});

test("bad requests are refused with stable codes", (t) => {
  const dir = tempDirFor(t);
  const ca = new SshCaEngine(new MemoryMountStore(), () => 1_800_000_000_000);
  const pub = makeUserKey(dir.path, "k").publicKey;
  const base = {
    publicKey: pub,
    certType: "user" as const,
    keyId: "k",
    principals: ["a"],
    ttlSeconds: 60,
  };
  assert.throws(() => ca.sign(base), { code: "ca_not_initialized" });
  ca.initialize({ keyType: "ed25519", maxTtlSeconds: 3600 });
  assert.throws(() => ca.initialize({ keyType: "ed25519" }), { code: "ca_exists" });
  const cases: Array<[object, string]> = [
    [{ principals: [] }, "principals_required"],
    [{ principals: ["a b"] }, "invalid_principal"],
    [{ principals: ["a,b"] }, "invalid_principal"],
    [{ keyId: "" }, "invalid_key_id"],
    [{ ttlSeconds: 3601 }, "invalid_ttl"],
    [{ ttlSeconds: 0 }, "invalid_ttl"],
    [{ criticalOptions: { "no-such-option": "" } }, "invalid_option"],
    [{ criticalOptions: { "force-command": "" } }, "invalid_option"],
    [{ criticalOptions: { "source-address": "10.0.0.0/33" } }, "invalid_option"],
    [{ extensions: { "permit-everything": "" } }, "invalid_extension"],
    [{ extensions: { "permit-pty": "yes" } }, "invalid_extension"],
    [{ certType: "host", criticalOptions: { "verify-required": "" } }, "invalid_option"],
    [{ certType: "host", extensions: { "permit-pty": "" } }, "invalid_extension"],
    [{ certType: "router" }, "invalid_cert_type"],
    [{ principals: "alice" }, "invalid_principal"],
    [{ criticalOptions: ["force-command"] }, "invalid_option"],
    [{ extensions: { "permit-pty": 1 } }, "invalid_extension"],
    [{ publicKey: "ssh-dss AAAAB3NzaC1kc3M=" }, "unsupported_key_type"],
    [{ publicKey: pub.replace("ssh-ed25519", "ssh-rsa") }, "malformed_key"],
  ];
  for (const [change, code] of cases) {
    assert.throws(() => ca.sign({ ...base, ...change }), { code }, JSON.stringify(change));
  }
  const ok = ca.sign({ ...base, certType: "host", extensions: { "role@example.com": "web" } });
  assert.equal(ok.validAfter, 1_800_000_000 - 60);
  assert.equal(ok.validBefore, 1_800_000_000 + 60 - 60);
  assert.deepEqual(
    ca.listCertificates().map((c) => c.serial),
    ["1"],
  );
  assert.throws(() => ca.getCertificate("0"), { code: "certificate_not_found" });
  assert.throws(() => ca.getCertificate("abc"), { code: "certificate_not_found" });
});

test("the CA key survives a reload from the mount and is never replaced", () => {
  const store = new MemoryMountStore();
  const first = new SshCaEngine(store);
  const { publicKey } = first.initialize({ keyType: "ecdsa-p256" });
  assert.equal(new SshCaEngine(store).publicKey(), publicKey);
  assert.match(publicKey, /^ecdsa-sha2-nistp256 AAAA\S+ metacrypt-ssh-ca$/);
});

test("security-key (sk-) subject keys are certified with their application string", (t) => {
  const dir = tempDirFor(t);
  const ca = new SshCaEngine(new MemoryMountStore());
  ca.initialize({ keyType: "ed25519" });
  const raw = Buffer.from(
    generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }).x ?? "",
    "base64url",
  );
  const blob = new WireWriter()
    .string("sk-ssh-ed25519@openssh.com")
    .string(raw)
    .string("ssh:")
    .toBuffer();
  const line = `sk-ssh-ed25519@openssh.com ${blob.toString("base64")} yubikey`;
  const rec = ca.sign({
    publicKey: line,
    certType: "user",
    keyId: "sk",
    principals: ["u"],
    ttlSeconds: 60,
  });
  assert.match(rec.certificate, /^sk-ssh-ed25519-cert-v01@openssh.com /);
  const out = readCert(dir.join("sk-cert.pub"), rec.certificate);
  assert.match(out, /Type: sk-ssh-ed25519-cert-v01@openssh.com user certificate/);
});
