// The registry token signing key: an Ed25519 private key in a PKCS#8 PEM file (mode 0600) in
// the data directory. Created on first start (written to a temporary name, then renamed, so a
// crash never leaves half a key), read on every later start, so tokens issued before a restart
// stay valid until they expire. A key file others may read is refused, as ssh refuses one.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Whether this start created the file. */
  created: boolean;
}

function readKey(path: string): SigningKey {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new Error(
      `${path}: the token signing key must not be readable by others (mode ${mode.toString(8)}, want 600)`,
    );
  const privateKey = createPrivateKey(readFileSync(path));
  if (privateKey.asymmetricKeyType !== "ed25519")
    throw new Error(`${path}: expected an Ed25519 private key`);
  return { privateKey, publicKey: createPublicKey(privateKey), created: false };
}

export function loadOrCreateSigningKey(path: string): SigningKey {
  if (existsSync(path)) return readKey(path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const pair = generateKeyPairSync("ed25519");
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, pair.privateKey.export({ type: "pkcs8", format: "pem" }), {
    mode: 0o600,
    flag: "wx",
  });
  renameSync(tmp, path);
  return { ...pair, created: true };
}
