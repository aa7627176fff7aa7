// The OCI parsers (digests, names, manifests) for other packages' tests and benchmarks.
export { type Digest, digestOf, isDigest, parseDigest, tryParseDigest } from "./digest.ts";
export { OciError } from "./errors.ts";
export { type Descriptor, type ParsedManifest, parseManifest } from "./manifest.ts";
export * from "./media-types.ts";
export { checkRepositoryName, isRepositoryName, isTag } from "./names.ts";
