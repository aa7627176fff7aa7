// MCDoc's stylesheet (after the kit's): the documentation layout, the rendered markdown and the
// highlighting classes. Served under a content-hashed name, so it is cached for good.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../package-root.ts";

export interface Stylesheet {
  name: string;
  href: string;
  body: Buffer;
}

let loaded: Stylesheet | undefined;

export function siteStylesheet(): Stylesheet {
  if (!loaded) {
    const body = readFileSync(join(PACKAGE_ROOT, "src/webserver/static/mcdoc.css"));
    const name = `mcdoc.${createHash("sha256").update(body).digest("hex").slice(0, 12)}.css`;
    loaded = { name, href: `/static/${name}`, body };
  }
  return loaded;
}
