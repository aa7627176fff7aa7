// A steady request loop through MC-Proxy while a deploy changes what serves: a few clients, each
// sending one HTTPS GET after another, every request on a new connection (so each one is routed
// afresh), counting every failure (an error or a status other than 200).
import { request } from "node:https";

export interface LoopResult {
  ok: number;
  failures: string[];
  /** The distinct pages served, in the order each was first seen. */
  pages: string[];
  /** Each client's pages in the order it got them, consecutive repeats folded. */
  perClient: string[][];
}

export interface RequestLoop {
  /** Resolves once at least `n` more requests have succeeded. */
  served(n: number): Promise<void>;
  stop(): Promise<LoopResult>;
}

function getOnce(port: number, hostname: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = request(
      { host: "127.0.0.1", port, servername: hostname, headers: { host: hostname }, ca },
      (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode}: ${body}`)),
        );
      },
    );
    r.setTimeout(10_000, () => r.destroy(new Error("timeout")));
    r.on("error", reject);
    r.end();
  });
}

export function requestLoop(port: number, hostname: string, ca: string, clients = 2): RequestLoop {
  const result: LoopResult = { ok: 0, failures: [], pages: [], perClient: [] };
  let running = true;
  const waiters: Array<{ at: number; resolve: () => void }> = [];
  const client = async () => {
    const mine: string[] = [];
    result.perClient.push(mine);
    while (running) {
      try {
        const page = await getOnce(port, hostname, ca);
        result.ok += 1;
        if (!result.pages.includes(page)) result.pages.push(page);
        if (mine.at(-1) !== page) mine.push(page);
        for (const w of waiters.filter((x) => x.at <= result.ok)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      } catch (e) {
        result.failures.push((e as Error).message);
      }
    }
  };
  const all = Promise.all(Array.from({ length: clients }, client));
  return {
    served: (n) => new Promise((resolve) => waiters.push({ at: result.ok + n, resolve })),
    async stop() {
      running = false;
      await all;
      for (const w of waiters.splice(0)) w.resolve();
      return result;
    },
  };
}
