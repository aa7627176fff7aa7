// MCQ full-text search, in process (no HTTP, no token check): the store's list() over the
// bench corpus of 10,000 documents, typical words and a word every document contains.
//   node --import tsx bench/mcq/search.ts
// Prints p50/p99 (wall) and mean CPU ms per query kind; run.ts measures the same searches end to end over HTTP.
import { openDatabase } from "@metacircular/mcdsl/db";
import { DocumentStore } from "@metacircular/mcq/document-store";
import { ftsQuery } from "@metacircular/mcq/input";
import { migrations } from "@metacircular/mcq/migrations";
import { makeTempDir } from "@metacircular/testkit";
import { searchQueries, smallDocument } from "./corpus.ts";

const dir = makeTempDir("mcq-search-");
const db = openDatabase(`${dir.path}/mcq.db`, { migrations });
const store = new DocumentStore(db);
db.transaction(() => {
  for (let i = 0; i < 10_000; i++) {
    const d = smallDocument(i);
    store.upsert({
      slug: `doc-${i}`,
      ...d,
      html: `<p>${d.body}</p>`.repeat(2),
      toc: "[]",
      tags: [],
      pushedBy: "bench",
    });
  }
})();
const { typical, everywhere } = searchQueries();

function measure(queries: string[]): { p50: number; p99: number; cpuMs: number } {
  const times: number[] = [];
  let cpu = 0;
  for (let i = 0; i < queries.length * 2; i++) {
    const match = ftsQuery(queries[i % queries.length])!;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    store.list({ reader: "bench", match, limit: 50 });
    if (i < queries.length) continue; // the first pass warms the cache
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  const cpuMs = +(cpu / times.length).toFixed(2);
  return { p50: +at(0.5).toFixed(2), p99: +at(0.99).toFixed(2), cpuMs };
}

console.log("typical words:", measure(typical));
console.log("a word in every document:", measure(everywhere));
db.close();
dir.remove();
