// MCDoc benchmark (bounded: a few 5 s load runs, a few pushes): the bundled mcdoc fetching from a
// loopback git server (git http-backend), two 300-page repositories.
//   1. cached page req/s, side by side with nginx serving the same pages as static files
//      (one nginx worker; target ≥ 0.5× nginx), with requests per CPU-second of each server;
//   2. cold render of a 1 MB markdown file (mcdsl's renderer as MCDoc configures it, and with
//      Shiki forced on all of it);
//   3. push → signed webhook → updated page, for a 300-page repository (target ≤ 2 s);
//   4. cross-repository search latency over HTTP, p50/p99 (target p99 ≤ 20 ms), and the server's
//      CPU per query (user + system, from /proc: the figure a loaded machine inflates least).
// Writes bench/results/mcdoc.md. Run: node --import tsx bench/mcdoc/run.ts
import { execFile, spawn } from "node:child_process";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { startGitServer, workClone } from "@metacircular/mcdoc/testing/git-server";
import { loadShiki, MarkdownRenderer, renderMarkdown } from "@metacircular/mcdsl/markdown";
import { freePort, makeTempDir, REPO_ROOT, rng } from "@metacircular/testkit";
import { cpuSeconds, wrk } from "../mc-proxy/measure.ts";
import { bigDocument, pageBody, pagePath } from "./corpus.ts";

const run = promisify(execFile);
const PAGES = 300;
const PER_SECTION = 30;
const SECRET = "bench-webhook-secret-0123456789";
const r = rng(20261207);
const tmp = makeTempDir("mcdoc-bench-");
const lines: string[] = [];
const say = (s: string) => {
  console.log(s);
  lines.push(s);
};

async function until(check: () => Promise<boolean>, ms: number, every = 20): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((res) => setTimeout(res, every));
  }
  return false;
}

async function repos(
  url: string,
): Promise<Array<{ name: string; state: string; revision: string }>> {
  return ((await (await fetch(`${url}/v1/repos`)).json()) as { repos: never[] }).repos;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function main() {
  await run("npm", ["run", "build", "-w", "services/mcdoc"], { cwd: REPO_ROOT });
  const port = await freePort();
  const hookSecret = tmp.join("secret");
  writeFileSync(hookSecret, SECRET);
  const git = await startGitServer(tmp.join("git"));
  const clones: Record<string, ReturnType<typeof workClone>> = {};
  for (const name of ["alpha", "beta"]) {
    const remote = git.createRepo(name, {
      url: `http://127.0.0.1:${port}/v1/webhook`,
      secretFile: hookSecret,
    });
    const c = workClone(tmp.join(`work-${name}`), remote);
    c.write("README.md", `# ${name}\n\nThe ${name} handbook.\n`);
    for (let i = 0; i < PAGES; i++)
      c.write(pagePath(i, PER_SECTION), pageBody(r, i, PAGES, PER_SECTION));
    await c.commitAndPush("bench corpus");
    clones[name] = c;
  }
  const config = tmp.join("mcdoc.toml");
  writeFileSync(
    config,
    `[server]\nlisten_addr = "127.0.0.1:${port}"\n[log]\nlevel = "warn"\n[cache]\ndir = "${tmp.join("cache")}"\n` +
      `[refresh]\ninterval_seconds = 0\n[webhook]\nsecret_file = "${hookSecret}"\n` +
      ["alpha", "beta"]
        .map((n) => `[[repos]]\nname = "${n}"\nurl = "${git.url}/${n}.git"\n`)
        .join(""),
  );
  const t0 = performance.now();
  mkdirSync(join(REPO_ROOT, ".artifacts"), { recursive: true });
  const log = openSync(join(REPO_ROOT, ".artifacts/mcdoc-bench.log"), "w");
  const mcdoc = spawn(
    process.execPath,
    [join(REPO_ROOT, "services/mcdoc/dist/mcdoc.mjs"), "server", "--config", config],
    {
      stdio: ["ignore", log, log],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    const ready = await until(
      async () => {
        try {
          return (await repos(url)).every((x) => x.state === "ready");
        } catch {
          return false;
        }
      },
      300_000,
      100,
    );
    if (!ready) throw new Error("mcdoc did not render the corpus");
    say(
      `First render of 2 × ${PAGES + 1} pages (start, fetch, Shiki load, render, prepare): ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    await cachedPages(url, mcdoc.pid!);
    await pushToPage(url, clones.alpha!);
    await search(url, mcdoc.pid!);
  } finally {
    mcdoc.kill("SIGTERM");
    await git.stop();
  }
  await coldRender();
}

async function cachedPages(url: string, pid: number) {
  const path = `/${pagePath(137, PER_SECTION).replace(/^/, "r/alpha/")}`;
  const staticRoot = tmp.join("static");
  for (let i = 0; i < PAGES; i++) {
    const p = `/r/alpha/${pagePath(i, PER_SECTION)}`;
    const file = join(staticRoot, p);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(await (await fetch(`${url}${p}`)).arrayBuffer()));
  }
  const nport = await freePort();
  const conf = tmp.join("nginx.conf");
  writeFileSync(
    conf,
    `user root; worker_processes 1; daemon off; pid ${tmp.join("nginx.pid")}; error_log ${tmp.join("nginx.err")};
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; sendfile on; etag on;
  server { listen 127.0.0.1:${nport}; root ${staticRoot}; default_type "text/html; charset=utf-8";
    add_header Cache-Control "public, max-age=60, must-revalidate"; } }
`,
  );
  const nginx = spawn("nginx", ["-p", tmp.path, "-c", conf, "-e", tmp.join("nginx.err")], {
    stdio: "ignore",
  });
  await until(
    async () => (await fetch(`http://127.0.0.1:${nport}${path}`).catch(() => null))?.ok === true,
    10_000,
    50,
  );
  const size = (await (await fetch(`${url}${path}`)).arrayBuffer()).byteLength;
  say(`## Cached page (${path}, ${size} bytes), wrk -t2 -c16 -d5s\n`);
  say("| server | req/s | p99 ms | server CPU s | req per CPU-s | errors |");
  say("| --- | ---: | ---: | ---: | ---: | ---: |");
  const rows: Record<string, { rps: number; perCpu: number }> = {};
  for (const [name, base, p] of [
    ["mcdoc", url, pid],
    ["nginx (static files, 1 worker)", `http://127.0.0.1:${nport}`, nginx.pid!],
  ] as const) {
    await wrk(`${base}${path}`, { connections: 16, seconds: 1 });
    const c0 = cpuSeconds(p);
    const res = await wrk(`${base}${path}`, { connections: 16, seconds: 5 });
    if (res.errors) console.log(res.raw);
    const cpu = cpuSeconds(p) - c0;
    rows[name] = { rps: res.rps, perCpu: res.requests / cpu };
    say(
      `| ${name} | ${res.rps.toFixed(0)} | ${res.p99ms?.toFixed(2)} | ${cpu.toFixed(2)} | ${(res.requests / cpu).toFixed(0)} | ${res.errors} |`,
    );
  }
  nginx.kill("SIGTERM");
  const m = rows.mcdoc!;
  const n = rows["nginx (static files, 1 worker)"]!;
  say(
    `\nmcdoc / nginx: ${(m.rps / n.rps).toFixed(2)}× req/s, ${(m.perCpu / n.perCpu).toFixed(2)}× req per CPU-second (target ≥ 0.5×)\n`,
  );
}

async function pushToPage(url: string, clone: ReturnType<typeof workClone>) {
  say(`## Push → webhook → updated page (${PAGES + 1}-page repository)\n`);
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const i = 40 + k * 17;
    const marker = `marker${k}x${Date.now()}`;
    clone.write(pagePath(i, PER_SECTION), pageBody(r, i, PAGES, PER_SECTION, marker));
    const t = performance.now();
    await clone.commitAndPush(`bench push ${k}`);
    const ok = await until(
      async () =>
        (await (await fetch(`${url}/r/alpha/${pagePath(i, PER_SECTION)}`)).text()).includes(marker),
      30_000,
    );
    if (!ok) throw new Error("pushed page never appeared");
    times.push(performance.now() - t);
  }
  say(
    `git push start → new page served, 5 pushes: ${times.map((x) => x.toFixed(0)).join(", ")} ms; median ${pct(times, 50).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (target ≤ 2000 ms)\n`,
  );
}

async function search(url: string, pid: number) {
  const words = [
    "proxy",
    "webhook signature",
    "latency",
    "manifest layer",
    "quorum",
    "page",
    "zzz",
    "render",
    "cache revision",
  ];
  const times: number[] = [];
  let cpu0 = 0;
  for (let i = 0; i < 600; i++) {
    if (i === 100) cpu0 = cpuSeconds(pid);
    const q = encodeURIComponent(words[i % words.length]!);
    const t = performance.now();
    const res = await fetch(`${url}/search?q=${q}`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  const cpuMs = ((cpuSeconds(pid) - cpu0) * 1000) / 500;
  const steady = times.slice(100);
  say(
    `## Cross-repository search (2 repositories, ${2 * (PAGES + 1)} pages; full HTTP round trip incl. page render)\n`,
  );
  say(
    `500 queries (after 100 warm-up): p50 ${pct(steady, 50).toFixed(2)} ms, p99 ${pct(steady, 99).toFixed(2)} ms, max ${Math.max(...steady).toFixed(2)} ms (target p99 ≤ 20 ms); server CPU ${cpuMs.toFixed(2)} ms per query\n`,
  );
}

async function coldRender() {
  const big = bigDocument(r, 1024 * 1024);
  say(`## Render of a 1 MB markdown file (${(big.length / 1024).toFixed(0)} KiB)\n`);
  const renderer = new MarkdownRenderer({
    workerFile: resolve(REPO_ROOT, "services/mcdoc/src/cmd/mcdoc-render-worker.ts"),
  });
  let t = performance.now();
  const ctx = { repo: "bench", page: "big.md", files: ["big.md"] };
  await renderer.render(big, ctx);
  say(
    `- as MCDoc renders it (worker; highlight.js above 256 KiB), cold (worker start + Shiki load + render): ${(performance.now() - t).toFixed(0)} ms`,
  );
  t = performance.now();
  await renderer.render(big, ctx);
  say(`- the same, warm worker: ${(performance.now() - t).toFixed(0)} ms`);
  await renderer.close();
  const shiki = await loadShiki();
  t = performance.now();
  renderMarkdown(big, { highlighter: shiki, hugeBytes: Number.MAX_SAFE_INTEGER });
  say(
    `- Shiki forced on every code block (in process, Shiki loaded): ${(performance.now() - t).toFixed(0)} ms\n`,
  );
}

try {
  await main();
} finally {
  tmp.remove();
}
const header = `# MCDoc benchmark\n\nRun: \`node --import tsx bench/mcdoc/run.ts\` (${new Date().toISOString().slice(0, 10)}, shared 2-core machine, loopback; bundled mcdoc from \`npm run build -w services/mcdoc\`).\n\n`;
const NOTES = `## Notes

- **Search, what a query costs.** Until 2026-12-07 the index kept every column in the FTS5 table
  and the query asked FTS5 for \`snippet()\`, which tokenises each returned page again: 5-12 ms
  of the server's CPU per query over these 602 pages, most of the time (profiled: the SQLite call
  ~80 %, the JSX results page ~8 %, the rest HTTP). Now the FTS5 index only ranks rowids (bm25,
  titles 8×), the 50 rows shown are b-tree seeks into a plain \`pages\` table, snippets are cut
  in process around the first hit (services/mcdoc/src/db/snippet.ts) and the results page is laid
  out once with gaps for the query and hits. Same corpus, same queries, both runs on the same
  loaded shared machine (load average ~15): server CPU per query 9.40 ms before, 1.96 ms after
  (p50 39.1 → 8.5 ms, p99 186 → 54 ms there). In process, interleaved: 6.9 ms → 1.1 ms per query,
  of which ranking 0.5 ms; same result order for every query. The quiet-machine run before the
  change: p50 8.99 ms, p99 20.77 ms. Push-to-page (which now also writes the \`pages\` rows) in
  the same two loaded runs: median 5.06 s before, 4.12 s after (0.79 s on the quiet machine).
- FTS5 prefix indexes (\`prefix='2 3'\`) were tried for the "word"* terms: building and updating
  the index took 3-5× as long (push-to-page pays that) for no clear gain on queries.
- Wall-clock figures from a loaded machine are inflated; server CPU per request is the figure to
  compare between runs.
`;
writeFileSync(join(REPO_ROOT, "bench/results/mcdoc.md"), `${header + lines.join("\n")}\n${NOTES}`);
