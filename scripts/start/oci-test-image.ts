// For the platform test: a one-layer OCI image layout made with tar and hashes (what skopeo
// copies from `oci:<dir>:<tag>`), and skopeo run where mcr.localhost resolves to 127.0.0.1 — a
// user + mount namespace with its own /etc/hosts, so nothing on the machine is changed.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const run = promisify(execFile);
const sha256 = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export interface OciImage {
  dir: string;
  manifestDigest: string;
}

export function ociImage(dir: string): OciImage {
  const blobs = join(dir, "blobs", "sha256");
  mkdirSync(join(dir, "rootfs"), { recursive: true });
  mkdirSync(blobs, { recursive: true });
  writeFileSync(join(dir, "rootfs", "hello.txt"), "hello from the platform test\n");
  const tar = execFileSync("tar", ["-C", join(dir, "rootfs"), "-cf", "-", "hello.txt"]);
  const layer = gzipSync(tar);
  const blob = (b: Buffer | string) => {
    const digest = sha256(b);
    writeFileSync(join(blobs, digest.slice(7)), b);
    return { digest, size: Buffer.byteLength(b) };
  };
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    config: {},
    rootfs: { type: "layers", diff_ids: [sha256(tar)] },
  });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...blob(config) },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...blob(layer) }],
  });
  const m = blob(manifest);
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(
    join(dir, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          ...m,
          annotations: { "org.opencontainers.image.ref.name": "v1" },
        },
      ],
    }),
  );
  return { dir, manifestDigest: m.digest };
}

/**
 * `skopeo <args>` with mcr.localhost resolving to loopback; `<work>/certs.d/ca.crt` is the
 * platform CA (skopeo's --cert-dir layout). Returns stdout; throws with stderr on failure.
 */
export async function skopeoAsMcrLocalhost(work: string, args: string[]): Promise<string> {
  const hosts = join(work, "hosts");
  writeFileSync(hosts, "127.0.0.1 localhost mcr.localhost\n");
  mkdirSync(join(work, "certs.d"), { recursive: true });
  const ca = readFileSync(join(work, "platform", "ca", "ca.crt"));
  writeFileSync(join(work, "certs.d", "ca.crt"), ca);
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const r = await run(
    "unshare",
    [
      "--user",
      "--map-root-user",
      "--mount",
      "sh",
      "-c",
      `mount --bind '${hosts}' /etc/hosts && exec skopeo ${quoted}`,
    ],
    { timeout: 120_000, env: { ...process.env, HOME: work } },
  );
  return r.stdout;
}
