// Profile one mc-proxy process (workers = 0) under wrk load; writes a .cpuprofile to $PROF_DIR.
// Env: L4=1 (passthrough route instead of L7), CLOSE=1 (new connection per request), H2=1 (h2load,
// 20 connections × 10 streams), SECONDS,
// DIRECT=1 (also load the backend directly, for comparison).
import { writeFileSync } from "node:fs";
import { createTestCA, freePort, makeTempDir, REPO_ROOT } from "@metacircular/testkit";
import { h2load, wrk } from "./measure.ts";
import { backendNginx, run, waitPort } from "./servers.ts";

const tmp = makeTempDir("mcp-prof-");
const ca = createTestCA();
const leaf = ca.issue(["localhost"]);
const p = {
  backendPlain: await freePort(),
  backendTls: await freePort(),
  l7: await freePort(),
  l4: 0,
};
const f = {
  dir: tmp.path,
  cert: leaf.certPath,
  key: leaf.keyPath,
  backendCert: leaf.certPath,
  backendKey: leaf.keyPath,
  big: tmp.join("big"),
};
writeFileSync(f.big, "x");
const be = backendNginx(f, p);
await waitPort(p.backendPlain);
await waitPort(p.backendTls);
const conf = tmp.join("p.toml");
writeFileSync(
  conf,
  `[server]\nworkers = 0\naccess_log = false\n[admin]\nsocket = "${tmp.join("s.sock")}"\n[database]\npath = "${tmp.join("p.db")}"\n[log]\nlevel = "warn"\n[[listeners]]\nname = "l7"\naddr = "127.0.0.1:${p.l7}"\n[[listeners.routes]]\nhostname = "localhost"\nbackend = "127.0.0.1:${process.env.L4 ? p.backendTls : p.backendPlain}"\nmode = "${process.env.L4 ? "l4" : "l7"}"\ntls_cert = "${f.cert}"\ntls_key = "${f.key}"\n`,
);
const px = run("mc-proxy", process.execPath, [
  "--cpu-prof",
  `--cpu-prof-dir=${process.env.PROF_DIR ?? "/tmp"}`,
  "--import",
  "tsx",
  `${REPO_ROOT}/services/mc-proxy/src/cmd/mc-proxy.ts`,
  "server",
  "--config",
  conf,
]);
await waitPort(p.l7);
const r = process.env.H2
  ? await h2load(`https://localhost:${p.l7}/`, {
      connections: 20,
      streams: 10,
      seconds: Number(process.env.SECONDS ?? 4),
    })
  : await wrk(`https://localhost:${p.l7}/`, {
      connections: 20,
      seconds: Number(process.env.SECONDS ?? 4),
      close: process.env.CLOSE === "1",
    });
console.log(r.raw);
if (process.env.DIRECT)
  console.log(
    "DIRECT",
    (
      await wrk(`https://localhost:${process.env.L4 ? p.backendTls : p.backendPlain}/`, {
        connections: 20,
        seconds: 3,
        close: process.env.CLOSE === "1",
      })
    ).raw,
  );
await px.stop();
await be.stop();
tmp.remove();
ca.remove();
