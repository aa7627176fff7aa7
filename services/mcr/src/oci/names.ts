// arch: parser
// Repository names and tags as the distribution spec defines them. Names are nested
// ("a/b/c"), each component lower-case alphanumerics joined by ".", "_", "__" or dashes.
import { OciError } from "./errors.ts";

const COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const NAME = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Hostname plus name stays under 255 characters in practice; the spec's recommended cap. */
export const MAX_NAME_LENGTH = 255;

export function isRepositoryName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME.test(name);
}

export function checkRepositoryName(name: string): string {
  if (!isRepositoryName(name))
    throw new OciError(400, "NAME_INVALID", "invalid repository name", { detail: { name } });
  return name;
}

export function isTag(tag: string): boolean {
  return TAG.test(tag);
}
