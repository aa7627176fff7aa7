// Loader of the ingress addon (native/ingress.cc). The .node file is found from the package root
// (the nearest directory above the entry script, or the working directory, whose package.json
// names @metacircular/mc-proxy), never from import.meta.url: the esbuild bundle in dist/ has no
// import.meta, and it must still find native/build/ingress.node beside it.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { IngressEvent } from "./events.ts";

export interface IngressAddon {
  init(threads: number, helloTimeoutMs: number, onEvents: (b: Buffer) => void): number;
  listen(
    ip: string,
    port: number,
    listenerId: number,
    backlog: number,
  ): { address: string; port: number };
  unlisten(listenerId: number): void;
  verdict(
    id: number,
    kind: number,
    bytes?: Uint8Array | null,
    ip?: string,
    port?: number,
    statsId?: number,
    idleMs?: number,
  ): void;
  /** L7 hand-off: takes the client descriptor of a connection awaiting its verdict; -1 if gone. */
  adopt(id: number): number;
  /**
   * A listener's policy: the L4 fast path's exact-name routes as [sni, ip, port, idleMs, ...]
   * (null: off) and the firewall's allow/deny lists for resets at accept (deny empty: none).
   * Every I/O thread answers with a "policyAck" event carrying `seq` once it uses them.
   */
  policy(
    listenerId: number,
    routes: (string | number)[] | null,
    allow: string[],
    deny: string[],
    seq: number,
  ): void;
  fastHits(): number;
  /** The name the fast path would route `hello` by, or null (it then asks JS). */
  fastSni(hello: Uint8Array): string | null;
  active(): number;
  closeAll(): void;
  reserve(ip: string, port: number): { fd: number; port: number };
  release(fd: number): void;
  /** Returns the malloc heap's free pages to the kernel (glibc malloc_trim); false: nothing to. */
  trimMemory(): boolean;
  /** Test of the event format: the records through the I/O threads' writers, as one batch. */
  encodeEvents(records: readonly IngressEvent[]): Buffer;
}

export const PACKAGE_NAME = "@metacircular/mc-proxy";

function isPackageRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
    return pkg.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The mc-proxy package directory, or undefined when it cannot be found. */
export function packageRoot(): string | undefined {
  const starts = [process.argv[1] ? dirname(resolve(process.argv[1])) : "", process.cwd()];
  for (const start of starts) {
    if (start === "") continue;
    for (let dir = start; ; dir = dirname(dir)) {
      if (isPackageRoot(dir)) return dir;
      const nested = join(dir, "services", "mc-proxy");
      if (isPackageRoot(nested)) return nested;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

// MC_NATIVE_BUILD picks the build: release (unset) or the sanitizer build in native/build/asan/
// (it loads only into a node started with libasan preloaded: scripts/build-addon.mjs).
const BUILD_DIRS: Record<string, string> = { "": "", release: "", asan: "asan" };

/** The addon file MC_NATIVE_BUILD selects below `root`, or undefined for an unknown build. */
export function ingressAddonPath(root: string, build = process.env.MC_NATIVE_BUILD ?? "") {
  const sub = BUILD_DIRS[build];
  return sub === undefined ? undefined : join(root, "native", "build", sub, "ingress.node");
}

let loaded: { addon?: IngressAddon; error?: string; path?: string } | undefined;

/** The addon, or why it is unavailable (not built, wrong platform, failed to load). */
export function loadIngressAddon(): { addon?: IngressAddon; error?: string; path?: string } {
  if (loaded !== undefined) return loaded;
  const root = packageRoot();
  const path = root === undefined ? undefined : ingressAddonPath(root);
  if (process.platform !== "linux") loaded = { error: "the ingress addon needs Linux" };
  else if (root === undefined) loaded = { error: `package ${PACKAGE_NAME} not found` };
  else if (path === undefined)
    loaded = { error: `MC_NATIVE_BUILD=${process.env.MC_NATIVE_BUILD}: not release or asan` };
  else if (!existsSync(path))
    loaded = { error: `${path} not built (npm run build:native -w services/mc-proxy)` };
  else {
    try {
      const m = { exports: {} as IngressAddon };
      process.dlopen(m, path);
      loaded = { addon: m.exports, path };
    } catch (err) {
      loaded = { error: `loading ${path}: ${(err as Error).message}` };
    }
  }
  return loaded;
}
