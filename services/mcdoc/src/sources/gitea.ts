// Gitea organisation discovery: GET /api/v1/orgs/<org>/repos, page by page, keeping the
// repositories anyone may read that have something to render. Each becomes a git remote (its
// clone URL) rendered from the configured ref or its default branch.
//
// Skipped: private repositories (MCDoc is a public site with anonymous clones: publishing them
// would leak them), archived ones (read-only history) and empty ones (nothing to fetch); a name
// that is not a plain repository name. Paging follows what the server says, not what was asked
// for: Gitea caps `limit` at its MAX_RESPONSE_ITEMS, so a page shorter than the limit asked is
// not proof of the last page. The last page is the one whose Link header has no rel="next", or
// the one that reaches X-Total-Count; without either header, an empty or short page.
import { readFileSync } from "node:fs";
import type { GiteaConfig } from "../config.ts";

export interface GiteaRepo {
  name: string;
  fullName: string;
  description: string;
  cloneUrl: string;
  htmlUrl: string;
  ref: string;
}

const PAGE_SIZE = 50;
const MAX_PAGES = 200;

export function asGiteaRepo(v: unknown, ref: string | undefined): GiteaRepo | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const s = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : "");
  if (r.private === true || r.archived === true || r.empty === true) return undefined;
  if (!/^https?:\/\//.test(s("clone_url"))) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(s("name"))) return undefined;
  return {
    name: s("name"),
    fullName: s("full_name"),
    description: s("description").slice(0, 500),
    cloneUrl: s("clone_url"),
    htmlUrl: s("html_url"),
    ref: ref ?? (s("default_branch") || "main"),
  };
}

/** Whether the page just read (`got` entries, `seen` so far in all) is the last one. */
export function lastPage(headers: Headers, got: number, seen: number, asked: number): boolean {
  if (got === 0) return true;
  const link = headers.get("link");
  if (link !== null) return !/;\s*rel="?next"?/i.test(link);
  const total = Number.parseInt(headers.get("x-total-count") ?? "", 10);
  if (Number.isSafeInteger(total)) return seen >= total;
  return got < asked;
}

function authHeaders(cfg: GiteaConfig): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (cfg.token_file)
    headers.authorization = `token ${readFileSync(cfg.token_file, "utf8").trim()}`;
  return headers;
}

/** Every repository of the organisation MCDoc publishes; throws when the API cannot be read. */
export async function listGiteaRepos(cfg: GiteaConfig, timeoutMs: number): Promise<GiteaRepo[]> {
  const headers = authHeaders(cfg);
  const out = new Map<string, GiteaRepo>();
  let seen = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = new URL(`/api/v1/orgs/${encodeURIComponent(cfg.org)}/repos`, cfg.url);
    url.searchParams.set("page", String(page));
    url.searchParams.set("limit", String(PAGE_SIZE));
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`Gitea ${url.pathname}: HTTP ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new Error(`Gitea ${url.pathname}: not a list`);
    seen += body.length;
    for (const v of body) {
      const r = asGiteaRepo(v, cfg.ref);
      if (r && !out.has(r.name)) out.set(r.name, r);
    }
    if (lastPage(res.headers, body.length, seen, PAGE_SIZE)) break;
  }
  return [...out.values()];
}
