// Debian's docker-registry (distribution 2.8) over TLS with token auth, behind an equivalent
// token server written here: the MCR benchmark's anchor and the other side of the differential
// conformance test. The token server does what MCR's token
// endpoint does for a password login: checks the credentials with the same MCIAS (login, then
// validate; remembered for 60 s, as MCR does), grants what was asked and signs an ES256 JWT that
// the registry verifies against the certificate in its `rootcertbundle` (the `x5c` header carries
// it). Registry and token server share one leaf (127.0.0.1) from a throwaway CA.
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, randomUUID, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { AuthClient } from "@metacircular/mcdsl/auth";
import {
  type ChildService,
  createTestCA,
  freePort,
  type MciasInstance,
  makeTempDir,
  startProcess,
  type TempDir,
} from "@metacircular/testkit";
import { SignJWT } from "jose";

export interface DockerRegistry {
  url: string;
  ca: string;
  pid: number;
  dir: TempDir;
  /** The token endpoint (GET with Basic credentials, `service` and `scope` parameters). */
  realm: string;
  service: string;
  stop(): Promise<void>;
}

const SERVICE = "anchor-registry";
const ISSUER = "anchor-token-server";
const LOGIN_CACHE_MS = 60_000;

/** A self-signed P-256 signing certificate for the tokens (the registry's trust root). */
function signingCert(dir: TempDir): { key: string; cert: string; x5c: string } {
  const key = dir.join("token.key");
  const cert = dir.join("token.crt");
  const args = "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2".split(" ");
  execFileSync("openssl", [...args, "-keyout", key, "-out", cert, "-subj", "/CN=anchor token"], {
    stdio: "ignore",
  });
  const pem = readFileSync(cert, "utf8");
  return { key, cert, x5c: new X509Certificate(pem).raw.toString("base64") };
}

/** `repository:a/b:pull,push` → the JWT access entry. */
function accessOf(scope: string): { type: string; name: string; actions: string[] } | null {
  const last = scope.lastIndexOf(":");
  const first = scope.indexOf(":");
  if (first < 0 || last <= first) return null;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(",")
      .filter(Boolean),
  };
}

async function startTokenServer(
  mcias: MciasInstance,
  tls: { cert: string; key: string },
  signer: { key: string; x5c: string },
): Promise<Server> {
  const client = new AuthClient({
    serverUrl: mcias.url,
    caCert: mcias.caCertPath,
    serviceName: "mcr",
  });
  const key = createPrivateKey(readFileSync(signer.key));
  const logins = new Map<string, number>();
  const server = createServer(
    { cert: readFileSync(tls.cert), key: readFileSync(tls.key), minVersion: "TLSv1.3" },
    (req, res) => {
      void (async () => {
        const url = new URL(req.url ?? "/", "https://x");
        const basic = (req.headers.authorization ?? "").replace(/^Basic /, "");
        const [user, ...rest] = Buffer.from(basic, "base64").toString().split(":");
        const pass = rest.join(":");
        const k = createHash("sha256").update(`${user}\0${pass}`).digest("hex");
        if ((logins.get(k) ?? 0) <= Date.now()) {
          const login = await client.login(user ?? "", pass);
          if (!(await client.validate(login.token))) throw new Error("not valid");
          void client.logout(login.token).catch(() => undefined);
          logins.set(k, Date.now() + LOGIN_CACHE_MS);
        }
        const access = url.searchParams
          .getAll("scope")
          .map(accessOf)
          .filter((a) => a !== null);
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({ access })
          .setProtectedHeader({ alg: "ES256", x5c: [signer.x5c] })
          .setIssuer(ISSUER)
          .setSubject(user ?? "")
          .setAudience(SERVICE)
          .setIssuedAt(now)
          .setNotBefore(now - 5)
          .setExpirationTime(now + 300)
          .setJti(randomUUID())
          .sign(key);
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
      })().catch(() => {
        res.writeHead(401, { "Content-Type": "application/json" });
        res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication failed"}]}');
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

export async function startDockerRegistry(mcias: MciasInstance): Promise<DockerRegistry> {
  const dir = makeTempDir("docker-registry-");
  const ca = createTestCA("Docker Registry Test CA");
  const leaf = ca.issue(["127.0.0.1"]);
  const signer = signingCert(dir);
  const tokens = await startTokenServer(mcias, { cert: leaf.certPath, key: leaf.keyPath }, signer);
  const tokenPort = (tokens.address() as AddressInfo).port;
  const port = await freePort();
  const realm = `https://127.0.0.1:${tokenPort}/token`;
  const config = dir.join("config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: error",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${dir.join("store")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: 127.0.0.1:${port}`,
      "  secret: anchor-secret-not-used-for-anything",
      "  tls:",
      `    certificate: ${leaf.certPath}`,
      `    key: ${leaf.keyPath}`,
      "auth:",
      "  token:",
      `    realm: ${realm}`,
      `    service: ${SERVICE}`,
      `    issuer: ${ISSUER}`,
      `    rootcertbundle: ${signer.cert}`,
      "",
    ].join("\n"),
  );
  const proc: ChildService = startProcess("docker-registry", {
    args: ["serve", config],
    tsx: false,
  });
  const url = `https://127.0.0.1:${port}`;
  await waitForRegistry(url, ca.cert);
  return {
    url,
    ca: ca.cert,
    pid: proc.proc.pid!,
    dir,
    realm,
    service: SERVICE,
    async stop() {
      await proc.stop();
      tokens.close();
      dir.remove();
      ca.remove();
    },
  };
}

/** `/v2/` answers 401 with a Bearer challenge once the registry listens. */
async function waitForRegistry(url: string, ca: string): Promise<void> {
  const { request } = await import("node:https");
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const r = request(`${url}/v2/`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      r.on("error", () => resolve(0));
      r.end();
    });
    if (status === 401) return;
    if (Date.now() > deadline) throw new Error(`docker-registry did not start at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** "2.8.2+ds1", from `docker-registry --version`. */
export function registryVersion(): string {
  const out = execFileSync("docker-registry", ["--version"], { encoding: "utf8" });
  return out.trim().split(/\s+/).pop() ?? "unknown";
}
