// arch: parser
// Container image references as a service definition may name them: registry host (with an
// optional port), repository path, and a tag that pins a version. `:latest` and untagged
// references are refused: a deploy must be reproducible and `mcp status` shows the tag.

export interface ImageRef {
  /** Registry host with port ("mcr.svc.mcp.metacircular.net:8443"), or "" for a short name. */
  registry: string;
  repository: string;
  tag: string;
  digest?: string;
}

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; reason: string };

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;

const fail = (reason: string): ImageRefResult => ({ ok: false, reason });

function splitRegistry(name: string): { registry: string; path: string } {
  const slash = name.indexOf("/");
  if (slash < 0) return { registry: "", path: name };
  const first = name.slice(0, slash);
  // As in the OCI tooling: a first component with a dot or a port, or "localhost", is a host.
  if (first.includes(".") || first.includes(":") || first === "localhost") {
    return { registry: first, path: name.slice(slash + 1) };
  }
  return { registry: "", path: name };
}

export function parseImageRef(text: string): ImageRefResult {
  if (text.length === 0) return fail("empty image reference");
  if (text.length > 512) return fail("image reference longer than 512 characters");
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return fail(`not a sha256 digest: ${digest}`);
  }
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  if (colon < 0) return fail("no version tag: pin the image to a version (name:v1.2.3)");
  const tag = rest.slice(colon + 1);
  const name = rest.slice(0, colon);
  if (!TAG.test(tag)) return fail(`not a valid tag: ${JSON.stringify(tag)}`);
  if (tag === "latest") return fail("`:latest` is refused: pin the image to a version tag");
  const { registry, path } = splitRegistry(name);
  if (registry && !HOST.test(registry)) return fail(`not a registry host: ${registry}`);
  if (path.length === 0) return fail("no repository name");
  for (const part of path.split("/")) {
    if (!COMPONENT.test(part)) {
      return fail(`repository component ${JSON.stringify(part)} is not lower-case [a-z0-9._-]`);
    }
  }
  return { ok: true, ref: { registry, repository: path, tag, ...(digest ? { digest } : {}) } };
}

export function formatImageRef(r: ImageRef): string {
  const base = `${r.registry ? `${r.registry}/` : ""}${r.repository}:${r.tag}`;
  return r.digest ? `${base}@${r.digest}` : base;
}
