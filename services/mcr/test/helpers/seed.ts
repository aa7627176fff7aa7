// Putting test images into the registry the way an operator would: an OCI layout written here,
// copied in by skopeo (an index with --all).
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { type ClientEnv, type ClientResult, skopeoCopy } from "./clients.ts";
import {
  buildImage,
  buildIndex,
  type Image,
  OCI_INDEX,
  OCI_MANIFEST,
  tarLayer,
  writeOciLayout,
} from "./images.ts";

/** Copies one image to docker://<host>/<ref>. */
export function copyImageIn(
  env: ClientEnv,
  host: string,
  ref: string,
  img: Image,
  creds: string,
): Promise<ClientResult> {
  const layout = join(env.dir, "layouts", randomUUID());
  writeOciLayout(layout, [img], [{ name: "t", bytes: img.manifest, mediaType: OCI_MANIFEST }]);
  return skopeoCopy(env, `oci:${layout}:t`, `docker://${host}/${ref}`, creds);
}

/** Copies an index of the images (one per architecture) to docker://<host>/<ref> with --all. */
export async function copyIndexIn(
  env: ClientEnv,
  host: string,
  ref: string,
  images: Array<{ image: Image; arch: string }>,
  creds: string,
): Promise<{ index: Buffer; result: ClientResult }> {
  const index = buildIndex(images);
  const layout = join(env.dir, "layouts", randomUUID());
  writeOciLayout(
    layout,
    images.map((i) => i.image),
    [{ name: "t", bytes: index, mediaType: OCI_INDEX }],
  );
  const result = await skopeoCopy(env, `oci:${layout}:t`, `docker://${host}/${ref}`, creds, [
    "--all",
  ]);
  return { index, result };
}

/** A two-platform index (amd64 with two layers, arm64 with one) copied to <host>/<ref>. */
export async function copyTwoArchIndexIn(env: ClientEnv, host: string, ref: string, creds: string) {
  const amd = buildImage([tarLayer(20_000), tarLayer(10_000)], "amd64");
  const arm = buildImage([tarLayer(20_000)], "arm64");
  const images = [
    { image: amd, arch: "amd64" },
    { image: arm, arch: "arm64" },
  ];
  return { amd, arm, ...(await copyIndexIn(env, host, ref, images, creds)) };
}
