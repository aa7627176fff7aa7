// The CLI profile `npm start` writes ($XDG_CONFIG_HOME/metacircular/profile.json, default
// ~/.config/metacircular/): where the local platform is, so CLIs work from any directory without
// flags. Format in the repository README ("CLI profile"). A missing profile is normal (production
// hosts have none); an unreadable or malformed one is reported and ignored.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
// zod/mini, not zod: every CLI loads this at start-up, and the full zod (~700 KB bundled) costs
// ~70 ms of a cold start. Its messages need the English locale, which zod/mini leaves out.
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());

const text = () => z.string().check(z.minLength(1));

/**
 * Every other top-level key is one more service's entry (`npm start` adds one per service it
 * runs: "mcr", "mcq", ...): an object of strings, read with profileEntry().
 */
const serviceEntry = z.record(z.string(), z.string());

const knownSchema = z.strictObject({
  version: z.literal(1),
  profile: text(),
  written_by: z.string(),
  data_dir: text(),
  ca_cert: text(),
  admin: z.strictObject({ username: text(), password_file: z.nullable(z.string()) }),
  mcias: z.strictObject({ url: z.url(), web_url: z.url(), grpc_addr: text() }),
  mcns: z.strictObject({
    url: z.url(),
    web_url: z.url(),
    grpc_addr: text(),
    dns_addr: text(),
  }),
  mc_proxy: z.strictObject({
    socket: text(),
    listener: text(),
    listen_addr: text(),
    metrics_url: z.url(),
  }),
});

const profileSchema = z.catchall(knownSchema, serviceEntry);

/** The known part, plus one entry per further service (read those with profileEntry()). */
export type CliProfile = z.infer<typeof knownSchema> & { readonly [service: string]: unknown };

/** A service's entry in the profile ("mcr", "mcq", ...), or undefined when it has none. */
export function profileEntry(
  p: CliProfile,
  service: string,
): Readonly<Record<string, string>> | undefined {
  const entry = p[service];
  if (entry === null || typeof entry !== "object") return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry)) if (typeof v === "string") out[k] = v;
  return out;
}

export type ProfileState =
  | { state: "absent"; path: string }
  | { state: "loaded"; path: string; profile: CliProfile }
  | { state: "invalid"; path: string; reason: string };

/** $XDG_CONFIG_HOME/metacircular (only an absolute XDG_CONFIG_HOME counts), else ~/.config/... */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), ".config");
  return join(base, "metacircular");
}

export function profilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), "profile.json");
}

export function loadProfile(env: NodeJS.ProcessEnv = process.env): ProfileState {
  const path = profilePath(env);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: "absent", path };
    return { state: "invalid", path, reason: (e as Error).message };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: "invalid", path, reason: "not valid JSON" };
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join(".") || "(root)";
    return { state: "invalid", path, reason: `${where}: ${issue.message}` };
  }
  return { state: "loaded", path, profile: parsed.data };
}

/** The profile when it loaded, else undefined. */
export function profileOf(p: ProfileState): CliProfile | undefined {
  return p.state === "loaded" ? p.profile : undefined;
}
