// The OpenSSH tools as independent readers of what the SSH CA engine writes: ssh-keygen makes the
// subject keys and checks certificates and KRLs; nothing here re-implements their parsing.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function sshKeygen(args: string[]): ToolResult {
  const r = spawnSync("ssh-keygen", args, { encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export type SubjectKeyType = "ed25519" | "ecdsa-256" | "ecdsa-384" | "ecdsa-521" | "rsa";

/** A fresh key pair made by ssh-keygen in `dir`; returns the private key path and public line. */
export function makeUserKey(dir: string, name: string, type: SubjectKeyType = "ed25519") {
  const path = join(dir, name);
  const [t, bits] = type.split("-") as [string, string | undefined];
  const args = ["-q", "-t", t, "-N", "", "-C", `${name}@test`, "-f", path];
  if (bits) args.push("-b", bits);
  if (t === "rsa") args.push("-b", "2048");
  const r = sshKeygen(args);
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return { path, publicKey: readFileSync(`${path}.pub`, "utf8").trim() };
}
