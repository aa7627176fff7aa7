// L4 passthrough and L7 termination through the real proxy process, with real clients.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { createTestCA, makeTempDir, type TestCA } from "@metacircular/testkit";
import { type Backend, h2cBackend, httpBackend, httpsBackend } from "./helpers/backends.ts";
import { curl, h2get, peerCert, resolveArg } from "./helpers/clients.ts";
import { IO_MODES, type ProxyProcess, startProxy, withIo } from "./helpers/proxy-process.ts";

for (const io of IO_MODES) {
  describe(`routing through the real proxy (io=${io})`, () => {
    const dir = makeTempDir("mcp-routing-");
    let ca: TestCA;
    let backendCa: TestCA;
    let proxy: ProxyProcess;
    const backends: Backend[] = [];
    let port = 0;

    before(async () => {
      ca = createTestCA("Proxy Test CA");
      backendCa = createTestCA("Backend Test CA");
      const l4Leaf = backendCa.issue(["l4.example.test"]);
      const reLeaf = backendCa.issue(["secure.example.test"]);
      const webLeaf = ca.issue(["web.example.test"]);
      const wildLeaf = ca.issue(["*.apps.example.test"]);
      const secureLeaf = ca.issue(["secure.example.test"]);
      const h2Leaf = ca.issue(["h2.example.test"]);
      const l4 = await httpsBackend("l4", l4Leaf.certPath, l4Leaf.keyPath);
      const plain = await httpBackend("plain");
      const re = await httpsBackend("reencrypt", reLeaf.certPath, reLeaf.keyPath);
      const h2 = await h2cBackend("h2c");
      backends.push(l4, plain, re, h2);
      proxy = await startProxy(
        dir.path,
        withIo(io, {
          listeners: [
            {
              name: "web",
              addr: "127.0.0.1:0",
              routes: [
                { hostname: "l4.example.test", backend: l4.addr, mode: "l4" },
                {
                  hostname: "web.example.test",
                  backend: plain.addr,
                  mode: "l7",
                  tls_cert: webLeaf.certPath,
                  tls_key: webLeaf.keyPath,
                },
                {
                  hostname: "*.apps.example.test",
                  backend: plain.addr,
                  mode: "l7",
                  tls_cert: wildLeaf.certPath,
                  tls_key: wildLeaf.keyPath,
                },
                {
                  hostname: "secure.example.test",
                  backend: re.addr,
                  mode: "l7",
                  tls_cert: secureLeaf.certPath,
                  tls_key: secureLeaf.keyPath,
                  backend_tls: true,
                  backend_ca: backendCa.certPath,
                },
                {
                  hostname: "h2.example.test",
                  backend: h2.addr,
                  mode: "l7",
                  tls_cert: h2Leaf.certPath,
                  tls_key: h2Leaf.keyPath,
                  backend_h2: true,
                },
              ],
            },
          ],
        }),
      );
      port = proxy.port("web");
    });

    after(async () => {
      await proxy?.stop();
      for (const b of backends) await b.close();
      ca?.remove();
      backendCa?.remove();
      dir.remove();
    });

    it("L4 passthrough shows the backend's own certificate", async () => {
      const r = await peerCert(port, "l4.example.test", backendCa.cert);
      assert.equal(r.cn, "l4.example.test");
      const c = await curl([
        ...resolveArg("l4.example.test", port),
        "--cacert",
        backendCa.certPath,
        `https://l4.example.test:${port}/x`,
      ]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(JSON.parse(c.stdout).backend, "l4");
    });

    it("L7 serves the route's certificate and adds forwarding headers (HTTP/1.1 via curl)", async () => {
      const r = await peerCert(port, "web.example.test", ca.cert);
      assert.equal(r.cn, "web.example.test");
      const c = await curl([
        "--http1.1",
        ...resolveArg("web.example.test", port),
        "--cacert",
        ca.certPath,
        "-H",
        "X-Forwarded-For: 198.51.100.3",
        `https://web.example.test:${port}/hello?q=1`,
      ]);
      assert.equal(c.code, 0, c.stderr);
      const body = JSON.parse(c.stdout);
      assert.equal(body.backend, "plain");
      assert.equal(body.url, "/hello?q=1");
      assert.equal(body.headers.host, `web.example.test:${port}`);
      assert.equal(body.headers["x-forwarded-for"], "198.51.100.3, 127.0.0.1");
      assert.equal(body.headers["x-real-ip"], "127.0.0.1");
      assert.equal(body.headers["x-forwarded-proto"], "https");
    });

    it("L7 over HTTP/2 (curl and Node's client), wildcard routes", async () => {
      const c = await curl([
        "--http2",
        "-w",
        "\\n%{http_version}",
        ...resolveArg("x.apps.example.test", port),
        "--cacert",
        ca.certPath,
        `https://x.apps.example.test:${port}/w`,
      ]);
      assert.equal(c.code, 0, c.stderr);
      const [json, version] = c.stdout.split("\n");
      assert.equal(version, "2");
      assert.equal(JSON.parse(json ?? "").backend, "plain");
      const r = await h2get(port, "web.example.test", ca.cert, "/node-h2");
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.body).url, "/node-h2");
    });

    it("h2load completes every request over HTTP/2 through L7", async () => {
      const out = await new Promise<string>((res) => {
        execFile(
          "h2load",
          [
            "-n",
            "400",
            "-c",
            "4",
            "-m",
            "10",
            `--connect-to=127.0.0.1:${port}`,
            `https://web.example.test:${port}/h2load`,
          ],
          (_e, stdout, stderr) => res(stdout + stderr),
        );
      });
      assert.match(out, /requests: 400 total, 400 started, 400 done, 400 succeeded, 0 failed/);
      assert.match(out, /status codes: 400 2xx/);
      assert.match(out, /Application protocol: h2/);
    });

    it("re-encrypts to a TLS backend verified against the configured CA", async () => {
      const c = await curl([
        ...resolveArg("secure.example.test", port),
        "--cacert",
        ca.certPath,
        `https://secure.example.test:${port}/`,
      ]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(JSON.parse(c.stdout).backend, "reencrypt");
    });

    it("speaks HTTP/2 to h2 backends", async () => {
      const c = await curl([
        "--http1.1",
        ...resolveArg("h2.example.test", port),
        "--cacert",
        ca.certPath,
        `https://h2.example.test:${port}/via-h2`,
      ]);
      assert.equal(c.code, 0, c.stderr);
      const body = JSON.parse(c.stdout);
      assert.equal(body.backend, "h2c");
      assert.equal(body.httpVersion, "2.0");
    });

    it("refuses an unknown SNI cleanly with a TLS alert", async () => {
      const r = await peerCert(port, "nobody.example.test", ca.cert);
      assert.match(r.error ?? "", /UNRECOGNIZED_NAME|unrecognized name/i);
      const c = await curl([
        ...resolveArg("nobody.example.test", port),
        "--cacert",
        ca.certPath,
        `https://nobody.example.test:${port}/`,
      ]);
      assert.notEqual(c.code, 0);
    });
  });
}
