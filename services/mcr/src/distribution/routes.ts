// arch: parser
// The /v2 paths of the distribution spec, parsed into one tagged union. Repository names nest
// ("a/b/c"), so each pattern anchors on its fixed suffix and the name is everything before it.
import { OciError } from "../oci/errors.ts";
import { isRepositoryName } from "../oci/names.ts";

export type V2Route =
  | { kind: "base" }
  | { kind: "token" }
  | { kind: "catalog" }
  | { kind: "tags"; name: string }
  | { kind: "manifest"; name: string; reference: string }
  | { kind: "uploads"; name: string }
  | { kind: "upload"; name: string; id: string }
  | { kind: "blob"; name: string; digest: string }
  | { kind: "referrers"; name: string; digest: string };

export type RouteKind = V2Route["kind"];

const PATTERNS: Array<[RegExp, (m: string[]) => V2Route]> = [
  [/^\/v2\/?$/, () => ({ kind: "base" })],
  [/^\/v2\/token$/, () => ({ kind: "token" })],
  [/^\/v2\/_catalog$/, () => ({ kind: "catalog" })],
  [/^\/v2\/(.+)\/tags\/list$/, (m) => ({ kind: "tags", name: m[1]! })],
  [
    /^\/v2\/(.+)\/manifests\/([^/]+)$/,
    (m) => ({ kind: "manifest", name: m[1]!, reference: m[2]! }),
  ],
  [/^\/v2\/(.+)\/blobs\/uploads\/?$/, (m) => ({ kind: "uploads", name: m[1]! })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (m) => ({ kind: "upload", name: m[1]!, id: m[2]! })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (m) => ({ kind: "blob", name: m[1]!, digest: m[2]! })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (m) => ({ kind: "referrers", name: m[1]!, digest: m[2]! })],
];

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The route of a /v2 path; undefined when no pattern matches (404). */
export function parseV2Path(pathname: string): V2Route | undefined {
  if (pathname.length > 2048) return undefined;
  for (const [re, build] of PATTERNS) {
    const m = re.exec(pathname);
    if (!m) continue;
    const parts = m.map((x) => decode(x ?? ""));
    if (parts.some((x) => x === undefined)) return undefined;
    const route = build(parts as string[]);
    if ("name" in route && !isRepositoryName(route.name))
      throw new OciError(400, "NAME_INVALID", "invalid repository name", {
        detail: { name: route.name },
      });
    return route;
  }
  return undefined;
}

/**
 * The /v2 access map: what each route and method needs. "public" is the token endpoint,
 * "token" any valid registry token, "catalog" the registry:catalog:* scope, the rest an action
 * on the route's repository. A method not listed is refused (405); the completeness test checks
 * that every route kind has its entries.
 */
export type V2Access = "public" | "token" | "catalog" | "pull" | "push" | "delete";

export const V2_ACCESS: Record<RouteKind, Partial<Record<string, V2Access>>> = {
  base: { GET: "token", HEAD: "token" },
  token: { GET: "public", POST: "public" },
  catalog: { GET: "catalog" },
  tags: { GET: "pull" },
  manifest: { GET: "pull", HEAD: "pull", PUT: "push", DELETE: "delete" },
  uploads: { POST: "push" },
  upload: { GET: "push", PATCH: "push", PUT: "push", DELETE: "push" },
  blob: { GET: "pull", HEAD: "pull", DELETE: "delete" },
  referrers: { GET: "pull" },
};
