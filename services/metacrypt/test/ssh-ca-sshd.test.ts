// The acceptance test of the SSH CA against a real OpenSSH server on a loopback port: sshd trusts
// the CA keys (TrustedUserCAKeys), reads the engine's KRL (RevokedKeys) and presents a host
// certificate the ssh client checks through @cert-authority. A certificate login works for every
// CA key type, a principal sshd does not allow is refused, and so is a revoked certificate or key.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { after, before, test } from "node:test";
import { type ChildService, freePort, makeTempDir, startProcess } from "@metacircular/testkit";
import { type CaKeyType, SshCaEngine } from "../src/ssh-ca/index.ts";
import { MemoryMountStore } from "./helpers/memory-mount-store.ts";
import { makeUserKey, sshKeygen } from "./helpers/openssh.ts";

const dir = makeTempDir("mc-sshd-");
const user = userInfo().username;
const ALLOWED = "deploy-ops";
const cas = new Map<CaKeyType, SshCaEngine>();
const hostCa = new SshCaEngine(new MemoryMountStore());
let sshd: ChildService | undefined;
let port = 0;

function writeKrl(ca: SshCaEngine): void {
  writeFileSync(dir.join("revoked.krl"), ca.krl());
}

function sshdConfig(): string {
  return [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${dir.join("host_key")}`,
    `HostCertificate ${dir.join("host_key-cert.pub")}`,
    `PidFile ${dir.join("sshd.pid")}`,
    `TrustedUserCAKeys ${dir.join("user_ca.pub")}`,
    `RevokedKeys ${dir.join("revoked.krl")}`,
    `AuthorizedPrincipalsFile ${dir.join("principals")}`,
    "AuthorizedKeysFile none",
    `AllowUsers ${user}`,
    "PermitRootLogin prohibit-password",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "StrictModes no",
    "LogLevel VERBOSE",
    "",
  ].join("\n");
}

before(async () => {
  if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  port = await freePort();
  for (const type of ["ed25519", "ecdsa-p256", "rsa-3072"] as const) {
    const ca = new SshCaEngine(new MemoryMountStore());
    ca.initialize({ keyType: type });
    cas.set(type, ca);
  }
  writeFileSync(
    dir.join("user_ca.pub"),
    `${[...cas.values()].map((c) => c.publicKey()).join("\n")}\n`,
  );
  writeFileSync(dir.join("revoked.krl"), Buffer.alloc(0));
  writeFileSync(dir.join("principals"), `${ALLOWED}\n`);
  hostCa.initialize({ keyType: "ed25519" });
  const host = makeUserKey(dir.path, "host_key");
  const hostCert = hostCa.sign({
    publicKey: host.publicKey,
    certType: "host",
    keyId: "loopback sshd",
    principals: ["127.0.0.1"],
    ttlSeconds: 3600,
  });
  writeFileSync(dir.join("host_key-cert.pub"), `${hostCert.certificate}\n`);
  writeFileSync(
    dir.join("known_hosts"),
    `@cert-authority [127.0.0.1]:${port} ${hostCa.publicKey()}\n`,
  );
  writeFileSync(dir.join("sshd_config"), sshdConfig());
  sshd = startProcess("/usr/sbin/sshd", { args: ["-D", "-e", "-f", dir.join("sshd_config")] });
  await sshd.waitForLine(/Server listening on 127\.0\.0\.1 port/, 60_000);
});

after(async () => {
  await sshd?.stop();
  dir.remove();
});

interface Login {
  code: number;
  stdout: string;
  stderr: string;
}

/** One `ssh` login with the key at keyPath and its certificate; runs `echo`. */
function login(keyPath: string): Promise<Login> {
  const args = [
    ...["-F", "/dev/null", "-i", keyPath, "-o", `CertificateFile=${keyPath}-cert.pub`],
    ...["-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes"],
    ...["-o", "PreferredAuthentications=publickey", "-o", "StrictHostKeyChecking=yes"],
    ...[
      "-o",
      `UserKnownHostsFile=${dir.join("known_hosts")}`,
      "-o",
      "GlobalKnownHostsFile=/dev/null",
    ],
    ...["-o", "ConnectTimeout=60", "-p", String(port), `${user}@127.0.0.1`, "echo", "metacrypt-ok"],
  ];
  return new Promise((resolve) => {
    execFile("ssh", args, { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Waits for sshd to log `pattern`. The client's refusal can arrive before sshd's line does: the
 * pre-auth child hands its log message to the privileged monitor, which writes it when scheduled.
 */
async function sshdLogged(pattern: RegExp): Promise<void> {
  assert.ok(sshd, "sshd is running");
  await sshd.waitForLine(pattern, 30_000);
}

function certify(ca: SshCaEngine, name: string, principals: string[], ttlSeconds = 600) {
  const key = makeUserKey(dir.path, name);
  const rec = ca.sign({
    publicKey: key.publicKey,
    certType: "user",
    keyId: name,
    principals,
    ttlSeconds,
  });
  writeFileSync(`${key.path}-cert.pub`, `${rec.certificate}\n`);
  return { ...key, serial: rec.serial };
}

test("a user certificate logs in for every CA key type, host certificate checked", async () => {
  for (const [type, ca] of cas) {
    writeKrl(ca);
    const key = certify(ca, `ok-${type}`, ["someone-else", ALLOWED]);
    const r = await login(key.path);
    assert.equal(r.code, 0, `${type}: ${r.stderr}\n${sshd?.output()}`);
    assert.equal(r.stdout.trim(), "metacrypt-ok");
  }
});

test("a principal sshd does not allow is refused", async () => {
  const ca = cas.get("ed25519")!;
  writeKrl(ca);
  const r = await login(certify(ca, "wrong-principal", ["mallory"]).path);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /Permission denied/);
  await sshdLogged(/Certificate does not contain an authorized principal/);
});

test("an expired certificate is refused", async () => {
  const ca = cas.get("ed25519")!;
  const key = makeUserKey(dir.path, "expired");
  const rec = ca.sign({
    publicKey: key.publicKey,
    certType: "user",
    keyId: "expired",
    principals: [ALLOWED],
    ttlSeconds: 60,
    validAfter: 1_000_000_000,
  });
  writeFileSync(`${key.path}-cert.pub`, `${rec.certificate}\n`);
  const r = await login(key.path);
  assert.equal(r.code, 255);
  await sshdLogged(/Certificate invalid: expired/);
});

test("a certificate is refused once its serial, or its key, is in the KRL", async () => {
  for (const [type, ca] of cas) {
    writeKrl(ca);
    const bySerial = certify(ca, `serial-${type}`, [ALLOWED]);
    const byKey = certify(ca, `key-${type}`, [ALLOWED]);
    assert.equal((await login(bySerial.path)).code, 0, type);
    ca.revoke({ kind: "serial", serial: bySerial.serial });
    ca.revoke({ kind: "key", publicKey: byKey.publicKey });
    writeKrl(ca);
    assert.equal((await login(bySerial.path)).code, 255, `${type}: revoked serial still logs in`);
    assert.equal((await login(byKey.path)).code, 255, `${type}: revoked key still logs in`);
    assert.equal(sshKeygen(["-Q", "-f", dir.join("revoked.krl"), `${byKey.path}.pub`]).status, 1);
  }
  await sshdLogged(/revoked/i);
});
