// A stand-in for the part of Gitea's REST API that MCDoc reads (Gitea itself has no Debian
// package here): GET /api/v1/orgs/{org}/repos with `page` and `limit` (limit capped, as Gitea
// caps it at MAX_RESPONSE_ITEMS), the X-Total-Count and Link paging headers Gitea sends, and
// token authentication (`Authorization: token …`, 401 otherwise). Repositories are the fields of
// Gitea's Repository object that MCDoc uses; their clone URLs point at a real git server.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ApiRepo {
  name: string;
  clone_url: string;
  private?: boolean;
  archived?: boolean;
  empty?: boolean;
  description?: string;
  default_branch?: string;
}

export interface GiteaApi {
  url: string;
  /** The organisation's repositories, in the order listed; change it at will. */
  repos: ApiRepo[];
  /** Every request: "<path>?<query> <authorization header>". */
  requests: string[];
  stop(): Promise<void>;
}

function linkHeader(base: string, page: number, limit: number, total: number): string {
  const last = Math.max(1, Math.ceil(total / limit));
  const at = (p: number, rel: string) => `<${base}?limit=${limit}&page=${p}>; rel="${rel}"`;
  const links: string[] = [];
  if (page < last) links.push(at(page + 1, "next"), at(last, "last"));
  if (page > 1) links.push(at(1, "first"), at(page - 1, "prev"));
  return links.join(",");
}

export async function startGiteaApi(o: { org: string; token: string; maxLimit: number }) {
  const sockets = new Set<Socket>();
  const api: Omit<GiteaApi, "url" | "stop"> = { repos: [], requests: [] };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://gitea");
    api.requests.push(`${url.pathname}${url.search} ${req.headers.authorization ?? "-"}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json;charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `token ${o.token}`)
      return json(401, { message: "token is required" });
    if (req.method !== "GET" || url.pathname !== `/api/v1/orgs/${o.org}/repos`)
      return json(404, { message: "not found" });
    const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
    const asked = Number.parseInt(url.searchParams.get("limit") ?? "", 10) || o.maxLimit;
    const limit = Math.min(Math.max(1, asked), o.maxLimit);
    const items = api.repos.slice((page - 1) * limit, page * limit).map((r) => ({
      full_name: `${o.org}/${r.name}`,
      html_url: r.clone_url.replace(/\.git$/, ""),
      private: false,
      archived: false,
      empty: false,
      default_branch: "main",
      ...r,
    }));
    const total = api.repos.length;
    const base = `http://${req.headers.host}${url.pathname}`;
    const link = linkHeader(base, page, limit, total);
    json(200, items, { "x-total-count": String(total), ...(link ? { link } : {}) });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(api, {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      }),
  }) as GiteaApi;
}
