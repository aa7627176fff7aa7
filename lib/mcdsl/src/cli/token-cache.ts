// Bearer tokens cached per (MCIAS URL, audience) in $XDG_CONFIG_HOME/metacircular/tokens.json
// (file 0600, directory 0700), so one `mciasctl login --service mcns` serves later `mcnsctl`
// calls. Expired entries are ignored and dropped on the next write. Tokens are never logged;
// the expiry is read from the JWT's `exp` claim (unverified: only the server's check counts).
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod/mini";
import { configDir } from "./profile.ts";

const entrySchema = z.strictObject({
  url: z.string(),
  audience: z.string(),
  token: z.string(),
  expires_at: z.int(),
});
const fileSchema = z.strictObject({ version: z.literal(1), tokens: z.array(entrySchema) });
type Entry = z.infer<typeof entrySchema>;

export interface TokenCacheOptions {
  env?: NodeJS.ProcessEnv;
  /** Seconds since the epoch; defaults to the clock. */
  now?: number;
}

export function tokenCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), "tokens.json");
}

/** The canonical key for an MCIAS base URL: origin plus path without trailing slashes. */
function urlKey(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}

function nowS(o: TokenCacheOptions): number {
  return o.now ?? Math.floor(Date.now() / 1000);
}

function readEntries(env: NodeJS.ProcessEnv): Entry[] {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(tokenCachePath(env), "utf8")));
    return parsed.success ? parsed.data.tokens : [];
  } catch {
    return [];
  }
}

/** The `exp` claim of a JWT, or undefined when it is not a JWT with a numeric exp. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const exp = (
      JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }
    ).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? Math.floor(exp) : undefined;
  } catch {
    return undefined;
  }
}

/** Stores `token` for (url, audience), replacing any previous one; returns the file's path. */
export function saveToken(
  url: string,
  audience: string,
  token: string,
  opts: TokenCacheOptions & { expiresAt?: number } = {},
): string {
  const env = opts.env ?? process.env;
  const expiresAt = opts.expiresAt ?? jwtExpiry(token);
  if (expiresAt === undefined) throw new Error("the token carries no expiry; not cached");
  const key = urlKey(url);
  const now = nowS(opts);
  const kept = readEntries(env).filter(
    (e) => e.expires_at > now && !(e.url === key && e.audience === audience),
  );
  kept.push({ url: key, audience, token, expires_at: expiresAt });
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = tokenCachePath(env);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, tokens: kept }, null, 2)}\n`, {
    mode: 0o600,
  });
  renameSync(tmp, path);
  return path;
}

/** The cached, unexpired token for (url, audience), or undefined. */
export function loadToken(
  url: string,
  audience: string,
  opts: TokenCacheOptions = {},
): string | undefined {
  const key = urlKey(url);
  const now = nowS(opts);
  return readEntries(opts.env ?? process.env).find(
    (e) => e.url === key && e.audience === audience && e.expires_at > now,
  )?.token;
}
