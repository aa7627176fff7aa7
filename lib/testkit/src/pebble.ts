// Debian's Pebble (the reference ACME test server) and pebble-challtestsrv (its mock DNS) as
// real child processes, for ACME differential tests (Metacrypt's server, mcdsl's client).
// Pebble's listener uses a leaf of the caller's throwaway TLS CA; the mock DNS answers A
// queries with 127.0.0.1 and serves the TXT records tests set.

import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestCA } from "./ca.ts";
import { freePort, freeTcpUdpPort } from "./ports.ts";
import { type ChildService, startProcess } from "./process.ts";

export interface MockDns {
  addr: string;
  /** The management interface (POST /set-txt {"host","value"}). */
  mgmtUrl: string;
  setTxt(host: string, value: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startMockDns(): Promise<MockDns> {
  const [dns, mgmt] = [await freeTcpUdpPort(), await freePort()];
  const child = startProcess("pebble-challtestsrv", {
    args: [
      ...["-dns01", `127.0.0.1:${dns}`, "-management", `127.0.0.1:${mgmt}`],
      ...["-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv6", ""],
    ],
  });
  await child.waitForLine(/Starting management server/, 60_000);
  return {
    addr: `127.0.0.1:${dns}`,
    mgmtUrl: `http://127.0.0.1:${mgmt}`,
    async setTxt(host, value) {
      const body = JSON.stringify({ host: `${host}.`, value });
      const r = await fetch(`http://127.0.0.1:${mgmt}/set-txt`, { method: "POST", body });
      if (r.status !== 200) throw new Error(`set-txt: ${r.status}`);
    },
    async stop() {
      await child.stop();
    },
  };
}

export interface Pebble {
  directory: string;
  eab: { kid: string; hmac_key: string };
  /** Pebble's issuing root (it changes every start), as a PEM file. */
  rootFile: string;
  interFile: string;
  /** "Valid" / "Revoked", from the management interface. */
  certStatus(serial: string): Promise<string>;
  stop(): Promise<void>;
}

/** Pebble's management API over TLS, read with curl (trusting our TLS CA). */
function mgmtGet(tlsCa: string, url: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      "curl",
      ["-sS", "--fail", "--cacert", tlsCa, url],
      { timeout: 60_000 },
      (e, out, err) => (e ? reject(new Error(`curl ${url}: ${err}`)) : resolve(out)),
    ),
  );
}

export async function startPebble(o: {
  dir: string;
  tls: TestCA;
  httpPort: number;
  tlsPort: number;
  dnsServer: string;
  /** More PEBBLE_* settings, e.g. PEBBLE_AUTHZREUSE (percent of authorizations reused). */
  env?: Record<string, string>;
}): Promise<Pebble> {
  const leaf = o.tls.issue(["127.0.0.1", "localhost"], { file: "pebble" });
  const [port, mgmt] = [await freePort(), await freePort()];
  const eab = { kid: "kid-1", hmac_key: Buffer.alloc(32, 7).toString("base64url") };
  const config = join(o.dir, "pebble.json");
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${mgmt}`,
        certificate: leaf.certPath,
        privateKey: leaf.keyPath,
        httpPort: o.httpPort,
        tlsPort: o.tlsPort,
        ocspResponderURL: "",
        externalAccountBindingRequired: true,
        externalAccountMACKeys: { [eab.kid]: eab.hmac_key },
      },
    }),
  );
  const child: ChildService = startProcess("pebble", {
    args: ["-config", config, "-dnsserver", o.dnsServer],
    env: { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", ...o.env },
  });
  await child.waitForLine(/Listening on/, 60_000);
  const m = `https://127.0.0.1:${mgmt}`;
  const rootFile = join(o.dir, "pebble-root.pem");
  const interFile = join(o.dir, "pebble-inter.pem");
  writeFileSync(rootFile, await mgmtGet(o.tls.certPath, `${m}/roots/0`));
  writeFileSync(interFile, await mgmtGet(o.tls.certPath, `${m}/intermediates/0`));
  return {
    directory: `https://127.0.0.1:${port}/dir`,
    eab,
    rootFile,
    interFile,
    async certStatus(serial) {
      const j = JSON.parse(await mgmtGet(o.tls.certPath, `${m}/cert-status-by-serial/${serial}`));
      return j.Status as string;
    },
    async stop() {
      await child.stop();
    },
  };
}
