// Builds container images for tests, nothing downloaded: layers are real tar files (made by
// tar(1)) holding random bytes, configs name their diff_ids, and writeOciLayout lays images
// and indexes out as an OCI image layout directory that skopeo copies from.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

export const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export interface Blob {
  digest: string;
  size: number;
  data: Buffer;
  /** For a layer: the digest of the uncompressed tar (the config's diff_id). */
  diffId?: string;
}

export interface Image {
  manifest: Buffer;
  digest: string;
  config: Blob;
  layers: Blob[];
}

export const blobOf = (data: Buffer): Blob => ({ digest: sha256(data), size: data.length, data });

/** A gzipped tar layer with one file of random bytes (the tar itself made by tar(1)). */
export function tarLayer(bytes: number, name = "payload.bin"): Blob {
  const dir = mkdtempSync(join(tmpdir(), "mcr-layer-"));
  try {
    mkdirSync(join(dir, "root"));
    writeFileSync(join(dir, "root", name), randomBytes(bytes));
    execFileSync("tar", [
      "--format=posix",
      "-cf",
      join(dir, "l.tar"),
      "-C",
      join(dir, "root"),
      ".",
    ]);
    const tar = readFileSync(join(dir, "l.tar"));
    return { ...blobOf(gzipSync(tar)), diffId: sha256(tar) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function buildImage(
  layers: Blob[],
  arch = "amd64",
  extra: Record<string, unknown> = {},
): Image {
  const config = blobOf(
    Buffer.from(
      JSON.stringify({
        architecture: arch,
        os: "linux",
        config: { Cmd: ["/payload.bin"] },
        rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId ?? l.digest) },
      }),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: OCI_LAYER, digest: l.digest, size: l.size })),
      ...extra,
    }),
  );
  return { manifest, digest: sha256(manifest), config, layers };
}

export function buildIndex(images: Array<{ image: Image; arch: string }>): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: images.map(({ image, arch }) => ({
        mediaType: OCI_MANIFEST,
        digest: image.digest,
        size: image.manifest.length,
        platform: { architecture: arch, os: "linux" },
      })),
    }),
  );
}

/**
 * An OCI image layout: every image's blobs and manifest, and index.json naming `refs`
 * (ref name → manifest or index bytes with its media type).
 */
export function writeOciLayout(
  dir: string,
  images: Image[],
  refs: Array<{ name: string; bytes: Buffer; mediaType: string }>,
): void {
  const blobDir = join(dir, "blobs", "sha256");
  mkdirSync(blobDir, { recursive: true });
  const put = (b: Buffer) => writeFileSync(join(blobDir, sha256(b).slice(7)), b);
  for (const img of images) {
    for (const b of [img.config, ...img.layers]) put(b.data);
    put(img.manifest);
  }
  for (const r of refs) put(r.bytes);
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(
    join(dir, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: refs.map((r) => ({
        mediaType: r.mediaType,
        digest: sha256(r.bytes),
        size: r.bytes.length,
        annotations: { "org.opencontainers.image.ref.name": r.name },
      })),
    }),
  );
}
