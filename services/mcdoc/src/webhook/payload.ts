// The push payload of Gitea and GitHub (the same shape where it matters): which repository and
// which ref. Untrusted input after the signature check too (a shared secret can leak): every
// field is checked for type and length, anything else is ignored.
// arch: parser
import { parseStrictJson } from "@metacircular/mcdsl/http";

export interface PushEvent {
  /** Names the repository may go by: name, owner/name, clone URLs, web URL. */
  names: string[];
  /** "refs/heads/main", "refs/tags/v1"; undefined when absent. */
  ref: string | undefined;
}

export type PayloadResult =
  | { ok: true; event: PushEvent }
  | { ok: false; code: string; message: string };

const MAX_FIELD = 2048;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 && v.length <= MAX_FIELD ? v : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parsePushPayload(body: string): PayloadResult {
  const parsed = parseStrictJson(body);
  if (!parsed.ok) return { ok: false, code: "invalid_payload", message: "the payload is not JSON" };
  const v = parsed.value;
  if (!isObject(v) || !isObject(v.repository)) {
    return { ok: false, code: "invalid_payload", message: "the payload names no repository" };
  }
  const r = v.repository;
  const names = [r.name, r.full_name, r.clone_url, r.html_url, r.url, r.ssh_url]
    .map(str)
    .filter((s): s is string => s !== undefined);
  if (names.length === 0) {
    return { ok: false, code: "invalid_payload", message: "the payload names no repository" };
  }
  return { ok: true, event: { names, ref: str(v.ref) } };
}

/** A URL or name reduced for comparison: no scheme, credentials, trailing "/" or ".git", lower case. */
export function canonicalName(s: string): string {
  return s
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
    .replace(/^[^@/]*@/, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .toLowerCase();
}

/** Does a pushed ref concern the configured branch or tag? No ref in the payload: assume yes. */
export function refMatches(pushed: string | undefined, configured: string | undefined): boolean {
  if (pushed === undefined || configured === undefined) return true;
  return (
    pushed === configured ||
    pushed === `refs/heads/${configured}` ||
    pushed === `refs/tags/${configured}`
  );
}
