// A throwaway certificate authority for tests: real X.509 made by the openssl CLI, so the same
// files verify with `openssl verify`, Node's TLS stack, curl and any other client.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./tmp.ts";

export interface Leaf {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

export interface TestCA {
  dir: string;
  certPath: string;
  keyPath: string;
  cert: string;
  /** Issues a leaf for the DNS names / IPs given (first name becomes the CN). */
  issue(names: string[], opts?: { client?: boolean; days?: number; file?: string }): Leaf;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function isIp(name: string): boolean {
  return /^[0-9.]+$/.test(name) || name.includes(":");
}

/** The self-signed CA certificate and its key (P-256), valid two days. */
function makeRoot(dir: string, name: string): void {
  openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"], dir);
  openssl(
    [
      "req",
      "-x509",
      "-new",
      "-key",
      "ca.key",
      "-sha256",
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-out",
      "ca.crt",
    ],
    dir,
  );
}

interface LeafRequest {
  names: string[];
  base: string;
  serial: number;
  client: boolean;
  days: number;
}

/** Writes <base>.key (PKCS#8) and <base>.crt signed by the CA in `dir`. */
function makeLeaf(dir: string, r: LeafRequest): Leaf {
  const { base } = r;
  const san = r.names.map((n) => (isIp(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
  const eku = r.client ? "clientAuth" : "serverAuth,clientAuth";
  writeFileSync(
    join(dir, `${base}.ext`),
    `subjectAltName=${san}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${eku}\n`,
  );
  openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${base}.key.ec`], dir);
  // PKCS#8 keys are what every consumer (Node, HAProxy, nginx, Go) accepts.
  openssl(["pkcs8", "-topk8", "-nocrypt", "-in", `${base}.key.ec`, "-out", `${base}.key`], dir);
  openssl(
    ["req", "-new", "-key", `${base}.key`, "-subj", `/CN=${r.names[0]}`, "-out", `${base}.csr`],
    dir,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      `${base}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-set_serial",
      String(r.serial),
      "-days",
      String(r.days),
      "-sha256",
      "-extfile",
      `${base}.ext`,
      "-out",
      `${base}.crt`,
    ],
    dir,
  );
  const certPath = join(dir, `${base}.crt`);
  const keyPath = join(dir, `${base}.key`);
  return {
    certPath,
    keyPath,
    cert: readFileSync(certPath, "utf8"),
    key: readFileSync(keyPath, "utf8"),
  };
}

export function createTestCA(name = "Metacircular Test CA"): TestCA {
  const tmp = makeTempDir("mc-ca-");
  const dir = tmp.path;
  makeRoot(dir, name);
  let serial = 1;
  return {
    dir,
    certPath: join(dir, "ca.crt"),
    keyPath: join(dir, "ca.key"),
    cert: readFileSync(join(dir, "ca.crt"), "utf8"),
    issue(names, opts = {}) {
      if (names.length === 0) throw new Error("issue needs at least one name");
      const base = opts.file ?? `leaf-${serial}`;
      serial++;
      const client = opts.client === true;
      return makeLeaf(dir, { names, base, serial: 1000 + serial, client, days: opts.days ?? 2 });
    },
    remove: () => tmp.remove(),
  };
}
