import { openDatabase } from "@metacircular/mcdsl/db";
import { smallDocument } from "../../bench/mcq/corpus.ts";
import { DocumentStore } from "./src/db/document-store.ts";
import { migrations } from "./src/db/migrations.ts";

const db = openDatabase(`/tmp/fts-probe-${process.pid}.db`, { migrations });
const ins = db.prepare(
  "INSERT INTO documents (slug, title, body, html, toc, pushed_by, version) VALUES (?, ?, ?, '', '[]', 'bench', 1)",
);
db.transaction(() => {
  for (let i = 0; i < 10000; i++) {
    const d = smallDocument(i);
    ins.run(`doc-${i}`, d.title, d.body);
  }
})();
const store = new DocumentStore(db);
const time = (name: string, f: () => unknown) => {
  f();
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) f();
  console.log(name, ((performance.now() - t0) / 10).toFixed(1), "ms");
};
time("list match 20", () => store.list({ reader: "a", match: '"deploy"*', limit: 20 }));
time("list all 200", () => store.list({ reader: "a", limit: 200 }));
time("list rare 20", () => store.list({ reader: "a", match: '"9999"*', limit: 20 }));
