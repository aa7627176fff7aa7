// MCQ benchmark (bounded loopback load; not part of npm test).
//   node --import tsx bench/mcq/run.ts
// Builds and starts the deployed bundle (dist/mcq.mjs) against a real MCIAS and measures, with
// the targets of the MCQ issue: the push (render + store) of a 1 MB markdown document while a
// reader page is fetched in a loop (the render runs on a worker thread: pages must keep
// answering); reader pages per second beside nginx serving the same page as a file (the floor);
// full-text search p50/p99 over 10,000 documents; the wire size of an 8 KB document's reader
// page; total blocking time of the 1 MB document's page in headless Chromium.
// Writes bench/results/mcq.md.

import { execFileSync, spawn } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { renderMarkdown } from "@metacircular/mcdsl/markdown";
import {
  freePort,
  loginToken,
  makeTempDir,
  startMcias,
  startProcess,
  waitForHttp,
} from "@metacircular/testkit";
import Database from "better-sqlite3";
import { cpuSeconds } from "../lib/proc.ts";
import { closedLoop, type Sample, type Summary } from "../mcias/load.ts";
import { blockingTime } from "./browser.ts";
import { markdownOfSize, searchQueries, smallDocument } from "./corpus.ts";

const root = join(import.meta.dirname, "../..");
const pkg = join(root, "services/mcq");
execFileSync("npm", ["run", "build"], { cwd: pkg, stdio: "inherit" });
const dir = makeTempDir("mcq-bench-");
const mcias = await startMcias({ extraToml: '[policy]\ndefault = "allow"\n' });
const token = await loginToken(mcias, mcias.adminUsername, mcias.adminPassword, "mcq");
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const dbPath = join(dir.path, "mcq.db");
const config = join(dir.path, "mcq.toml");
writeFileSync(
  config,
  `[server]\nlisten_addr = "127.0.0.1:${port}"\n[database]\npath = "${dbPath}"\n[log]\nlevel = "warn"
[mcias]\nserver_url = "${mcias.url}"\nservice_name = "mcq"\n[web]\nsecure_cookies = false
[documents]\nmax_bytes = 2097152\n`,
);
const server = startProcess(process.execPath, {
  args: [join(pkg, "dist/mcq.mjs"), "server", "--config", config],
  tsx: false,
});
await waitForHttp(`${url}/v1/health`, { timeoutMs: 60_000 });
const pid = server.proc.pid!;
const auth = { Authorization: `Bearer ${token}` };

/** GET with the token; the body is read fully; `gzip` asks for a compressed answer. */
function get(path: string, gzip = false): Promise<Sample & { bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers = { ...auth, ...(gzip ? { "accept-encoding": "gzip" } : {}) };
    request(`${url}${path}`, { headers, agent: false }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      res.on("end", () =>
        resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, bytes }),
      );
    })
      .on("error", reject)
      .end();
  });
}

async function push(slug: string, body: string): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`${url}/v1/documents/${slug}`, {
    method: "PUT",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({ body }),
  });
  if (!r.ok) throw new Error(`push ${slug}: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
  return performance.now() - t0;
}

const small = markdownOfSize(8 * 1024, 8);
const big = markdownOfSize(1024 * 1024, 1);
await push("small", small); // also warms the worker (Shiki)

// 1. The 1 MB push, with the reader page of the small document fetched meanwhile.
const during: Sample[] = [];
let pushing = true;
const reader = (async () => {
  while (pushing) during.push(await get("/d/small"));
})();
const pushCpu0 = cpuSeconds(pid);
const pushMs = await push("big", big);
const pushCpuMs = (cpuSeconds(pid) - pushCpu0) * 1000;
// The render alone, in this process (the platform renderer, highlight.js above huge_bytes).
const renderCpu0 = process.cpuUsage();
const renderT0 = performance.now();
const rendered = renderMarkdown(big);
const renderMs = performance.now() - renderT0;
const renderCpuMs =
  (process.cpuUsage(renderCpu0).user + process.cpuUsage(renderCpu0).system) / 1000;
pushing = false;
await reader;
const duringSorted = during.map((s) => s.ms).sort((a, b) => a - b);
const idle = await closedLoop(() => get("/d/small"), 1, 3, 300);

// 2. Reader pages per second, mcq beside nginx serving the same (compressed) page as a file.
const readerLoad = async (c: number): Promise<[Summary, number]> => {
  const cpu0 = cpuSeconds(pid);
  const s = await closedLoop(() => get("/d/small", true), c, 8, 20_000);
  return [s, ((cpuSeconds(pid) - cpu0) * 1000) / s.count];
};
const [r1, cpu1] = await readerLoad(1);
const [r8, cpu8] = await readerLoad(8);
const nginx = await nginxFloor((await fetch(`${url}/d/small`, { headers: auth })).text());

// 3. Full-text search over 10,000 documents (inserted straight into the database; the FTS
// triggers index them as a push would).
const db = new Database(dbPath);
const ins = db.prepare(
  "INSERT INTO documents (slug, title, body, html, toc, pushed_by, version) VALUES (?, ?, ?, '', '[]', 'bench', 1)",
);
db.transaction(() => {
  for (let i = 0; i < 10_000; i++) {
    const d = smallDocument(i);
    ins.run(`doc-${i}`, d.title, d.body);
  }
})();
db.close();
const { typical, everywhere } = searchQueries();
const searchLoad = async (queries: string[]): Promise<[Summary, number]> => {
  await get(`/v1/documents?q=${queries[0]}`);
  const cpu0 = cpuSeconds(pid);
  const s = await closedLoop(
    (i) => get(`/v1/documents?q=${encodeURIComponent(queries[i % queries.length]!)}&limit=50`),
    1,
    15,
    queries.length,
  );
  return [s, ((cpuSeconds(pid) - cpu0) * 1000) / s.count];
};
const [search, searchCpu] = await searchLoad(typical);
const [searchAll, searchAllCpu] = await searchLoad(everywhere);

// 4. Wire size of the 8 KB document's reader page; 5. blocking time in Chromium.
const wire = await get("/d/small", true);
const plain = await get("/d/small");
const tbt = await blockingTime(url, token, ["/d/small", "/d/big"]);

await server.stop();
await mcias.stop();
report();

async function nginxFloor(page: Promise<string>): Promise<Summary> {
  const nport = await freePort();
  // nginx's worker runs as nobody when started by root: the page and its folder must be readable.
  chmodSync(dir.path, 0o755);
  writeFileSync(join(dir.path, "small.html"), await page, { mode: 0o644 });
  writeFileSync(
    join(dir.path, "nginx.conf"),
    `daemon off; worker_processes 1; pid ${dir.path}/nginx.pid; error_log ${dir.path}/nginx.err;
events {} http { access_log off; gzip on; gzip_types text/html; types { text/html html; }
server { listen 127.0.0.1:${nport}; root ${dir.path}; location /d/small { try_files /small.html =404; } } }`,
  );
  const ng = spawn("nginx", ["-p", dir.path, "-c", join(dir.path, "nginx.conf")], {
    stdio: "ignore",
  });
  try {
    await waitForHttp(`http://127.0.0.1:${nport}/d/small`);
    return await closedLoop(
      () =>
        new Promise<Sample>((resolve, reject) => {
          const t0 = performance.now();
          request(
            `http://127.0.0.1:${nport}/d/small`,
            { agent: false, headers: { "accept-encoding": "gzip" } },
            (res) => {
              res.resume();
              res.on("end", () =>
                resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }),
              );
            },
          )
            .on("error", reject)
            .end();
        }),
      8,
      8,
      20_000,
    );
  } finally {
    ng.kill("SIGTERM");
  }
}

function report(): void {
  const pct = (xs: number[], p: number) =>
    xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1) : "-";
  const row = (name: string, s: Summary, cpu?: number) =>
    `| ${name} | ${s.count} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${cpu === undefined ? "-" : cpu.toFixed(2)} |`;
  const verdict = (ok: boolean) => (ok ? "met" : "**missed**");
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    "# MCQ benchmark",
    "",
    `\`node --import tsx bench/mcq/run.ts\` — ${date}, ${cpus().length} cores (shared; load average ${loadavg()[0]!.toFixed(2)} at the end), Node ${process.version}.`,
    "The deployed bundle (`dist/mcq.mjs`, plain node) against a real MCIAS (tokens cached after",
    "the first call). Documents come from a seeded generator (`bench/mcq/corpus.ts`): headings,",
    "paragraphs, lists, task lists, tables and fenced code (TypeScript, JSON, shell).",
    "",
    "| target (MCQ issue) | figure | verdict |",
    "| --- | --- | --- |",
    `| push of a 1 MB document (render + store) ≤ 1.5 s | ${pushMs.toFixed(0)} ms wall, ${pushCpuMs.toFixed(0)} ms server CPU (${(Buffer.byteLength(big) / 1024).toFixed(0)} KiB) | ${verdict(pushMs <= 1500)} |`,
    `| (the render alone, in process) | ${renderMs.toFixed(0)} ms wall, ${renderCpuMs.toFixed(0)} ms CPU, ${(rendered.html.length / 1024).toFixed(0)} KiB of HTML (${rendered.highlighter}) | ${verdict(renderMs <= 1500)} |`,
    `| reader pages answer during that render | ${during.length} pages, p50 ${pct(duringSorted, 50)} ms, max ${pct(duringSorted, 100)} ms (idle p50 ${idle.p50} ms) | ${verdict(during.length > 0)} |`,
    `| FTS search p99 over 10,000 documents ≤ 10 ms (HTTP, end to end) | p50 ${search.p50} ms, p99 ${search.p99} ms, ${searchCpu.toFixed(2)} ms server CPU per query | ${verdict(search.p99 <= 10)} |`,
    `| (worst case: a word every document contains) | p50 ${searchAll.p50} ms, p99 ${searchAll.p99} ms, ${searchAllCpu.toFixed(2)} ms server CPU per query | ${verdict(searchAll.p99 <= 10)} |`,
    `| 8 KB document's reader page ≤ 15 KB on the wire | ${(wire.bytes / 1024).toFixed(1)} KiB gzip (${(plain.bytes / 1024).toFixed(1)} KiB uncompressed); render-blocking scripts: ${tbt.blockingScripts} | ${verdict(wire.bytes <= 15 * 1024 && tbt.blockingScripts === 0)} |`,
    `| total blocking time, 1 MB document (its first part), headless Chromium ≤ 300 ms | ${tbt.pages[1]!.tbt.toFixed(0)} ms (longest task ${tbt.pages[1]!.longest.toFixed(0)} ms; 8 KB page: ${tbt.pages[0]!.tbt.toFixed(0)} ms) | ${verdict(tbt.pages[1]!.tbt <= 300)} |`,
    "",
    "Reader pages (`GET /d/small`, gzip, bearer token; 8 s each) beside nginx serving the same",
    "page from a file with gzip on (the floor for a page that is already rendered):",
    "",
    "| server | requests | per second | p50 ms | p99 ms | server CPU ms / page |",
    "| --- | --- | --- | --- | --- | --- |",
    row("mcq, 1 client", r1, cpu1),
    row("mcq, 8 clients", r8, cpu8),
    row("nginx (static file), 8 clients", nginx),
    "",
    ...tbt.notes,
    "",
    "Notes. Wall-clock figures on this shared machine scale with its load (the load average",
    "above); the server-CPU columns are the fairer ones. What changed because of this benchmark:",
    "a search used to compute a snippet for every match and sort whole rows (about 220 ms of",
    "server CPU per query over 10,000 documents), then read every match's wide row (body, HTML)",
    "to sort it (20-47 ms); it now takes the list order from a covering index in two passes that",
    "stop at the limit and computes snippets by rowid seek for the returned page only",
    "(`bench/mcq/search.ts` measures it in process). Reader pages are gzip-compressed (15 KiB of",
    "HTML → about 4 KiB). The 1 MB document's page took one 637 ms layout task (1270 ms total",
    "blocking time); its blocks now use `content-visibility: auto` and a body over 192 KiB of",
    "HTML is read in parts (`?part=N`, plain links), so the browser parses one part at a time.",
    "The 1 MB push is dominated by the render itself (markdown-it and highlight.js on the worker",
    "thread; see the in-process row); pages keep answering while it runs.",
  ];
  writeFileSync(join(root, "bench/results/mcq.md"), `${lines.join("\n")}\n`);
  console.log(lines.join("\n"));
}
