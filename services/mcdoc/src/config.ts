// mcdoc.toml schema. Environment overrides: MCDOC_<SECTION>_<KEY>; $PORT → server.listen_addr.
// MCDoc serves plain HTTP behind an MC-Proxy L7 route unless [server] tls_cert/tls_key are set;
// it has no login: everything it renders is public documentation.

import { loadConfig, logSection, serverSection } from "@metacircular/mcdsl/config";
import { z } from "zod";

/** A repository name as it appears in URLs: /r/<name>/... */
const repoName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-' (max 64)");

/** Only HTTP(S) git remotes: no file://, ssh or ext:: transports reach the git CLI. */
const httpUrl = z.url({ protocol: /^https?$/ });

/** A branch or tag name (git check-ref-format, roughly), never an option. */
const refName = z
  .string()
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/, "a branch or tag name")
  .refine((r) => !r.endsWith(".lock") && !r.endsWith("/"), "a branch or tag name");

export const repoSection = z
  .strictObject({
    name: repoName,
    /** Shown on the home page; default the name. */
    title: z.string().min(1).max(200).optional(),
    description: z.string().max(500).default(""),
    /** A git remote over HTTP(S)... */
    url: httpUrl.optional(),
    /** ...or a local directory (e.g. this project's own clone), read as it is on disk. */
    path: z.string().min(1).optional(),
    /** Branch or tag to render (remotes only). */
    ref: refName.default("main"),
  })
  .refine((r) => (r.url === undefined) !== (r.path === undefined), {
    message: "set exactly one of url and path",
  });

export const giteaSection = z.strictObject({
  /** The Gitea server, e.g. https://git.example.internal */
  url: httpUrl,
  /** Every repository of this organisation is rendered (archived and private ones are skipped). */
  org: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  /** File holding an API token (only needed when the organisation is not public). */
  token_file: z.string().min(1).optional(),
  /** Branch or tag for these repositories; default each repository's default branch. */
  ref: refName.optional(),
});

export const cacheSection = z.strictObject({
  /** Bare git repositories and the search index live here. */
  dir: z.string().min(1),
});

export const refreshSection = z.strictObject({
  /** Every repository is re-fetched this often (the fallback when a webhook is missed); 0 = never. */
  interval_seconds: z.number().int().min(0).max(604_800).default(900),
  /** A git fetch or Gitea API call taking longer fails (the last render stays). */
  timeout_seconds: z.number().int().min(1).max(3600).default(120),
});

export const webhookSection = z.strictObject({
  /** File with the shared secret of the Gitea/GitHub webhook; without it webhooks are refused. */
  secret_file: z.string().min(1).optional(),
});

export const siteSection = z.strictObject({
  title: z.string().min(1).max(100).default("Documentation"),
  /** Markdown files and images larger than this are left out of the site. */
  max_file_bytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** Sources above this many characters are highlighted with highlight.js instead of Shiki. */
  huge_bytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(256 * 1024),
});

export const configSchema = z
  .strictObject({
    server: serverSection,
    log: logSection.default({ level: "info" }),
    cache: cacheSection,
    site: siteSection.default(siteSection.parse({})),
    refresh: refreshSection.default(refreshSection.parse({})),
    webhook: webhookSection.default({}),
    gitea: giteaSection.optional(),
    repos: z.array(repoSection).default([]),
  })
  .refine((c) => new Set(c.repos.map((r) => r.name)).size === c.repos.length, {
    message: "repository names must be unique",
    path: ["repos"],
  });

export type McdocConfig = z.infer<typeof configSchema>;
export type RepoConfig = z.infer<typeof repoSection>;
export type GiteaConfig = z.infer<typeof giteaSection>;

export function loadMcdocConfig(path: string, env: NodeJS.ProcessEnv = process.env): McdocConfig {
  return loadConfig(configSchema, {
    path,
    envPrefix: "MCDOC",
    env,
    ports: { default: "server.listen_addr" },
  });
}
