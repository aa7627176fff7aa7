// Gitea organisation discovery: GET /api/v1/orgs/<org>/repos, page by page, keeping the
// repositories that are neither archived nor empty. Each becomes a git remote (its clone URL)
// rendered from the configured ref or its default branch.
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
const MAX_PAGES = 40;

function asRepo(v: unknown, ref: string | undefined): GiteaRepo | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const s = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : "");
  if (r.archived === true || r.empty === true || !s("name") || !/^https?:\/\//.test(s("clone_url")))
    return undefined;
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

export async function listGiteaRepos(cfg: GiteaConfig, timeoutMs: number): Promise<GiteaRepo[]> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (cfg.token_file)
    headers.authorization = `token ${readFileSync(cfg.token_file, "utf8").trim()}`;
  const out: GiteaRepo[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = new URL(`/api/v1/orgs/${encodeURIComponent(cfg.org)}/repos`, cfg.url);
    url.searchParams.set("page", String(page));
    url.searchParams.set("limit", String(PAGE_SIZE));
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`Gitea ${url.pathname}: HTTP ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new Error(`Gitea ${url.pathname}: not a list`);
    for (const v of body) {
      const r = asRepo(v, cfg.ref);
      if (r) out.push(r);
    }
    if (body.length < PAGE_SIZE) break;
  }
  return out;
}
