// The manifest media types the registry stores and serves.

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const OCI_EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
export const OCI_IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";

export const MANIFEST_TYPES: readonly string[] = [
  OCI_MANIFEST,
  OCI_INDEX,
  DOCKER_MANIFEST,
  DOCKER_LIST,
];

export function isIndexType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_LIST;
}
