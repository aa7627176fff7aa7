// A fresh 200 MiB image (4 layers of 50 MiB random bytes, new digests every call) as an OCI
// layout, and a skopeo copy of it into a bench server.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { clientEnv, skopeoCopy } from "@metacircular/mcr/testing/clients";
import { blobOf, buildImage, OCI_MANIFEST, writeOciLayout } from "@metacircular/mcr/testing/images";
import type { BenchMcr } from "./server.ts";

const MIB = 1024 * 1024;

export function freshLayout(base: string): string {
  const layers = Array.from({ length: 4 }, () => blobOf(randomBytes(50 * MIB)));
  const img = buildImage(layers);
  const dir = join(base, `layout-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  writeOciLayout(dir, [img], [{ name: "t", bytes: img.manifest, mediaType: OCI_MANIFEST }]);
  return dir;
}

export async function skopeoPush(mcr: BenchMcr, creds: string, base: string, n: number) {
  const certDir = join(base, "certs");
  mkdirSync(certDir, { recursive: true });
  writeFileSync(join(certDir, "ca.crt"), mcr.ca);
  const env = clientEnv(join(base, "client"), certDir);
  const layout = freshLayout(base);
  const r = await skopeoCopy(
    env,
    `oci:${layout}:t`,
    `docker://${new URL(mcr.url).host}/bench/prof:r${n}`,
    creds,
  );
  rmSync(layout, { recursive: true, force: true });
  if (r.code !== 0) throw new Error(r.stderr);
}
