// The workspace packages and which of them may import which: the package rules of
// ARCHITECTURE.md as data. An arrow in ARCHITECTURE.md is an entry in ALLOWED here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export type PackageKind = "service" | "mcdsl" | "proto" | "testkit" | "e2e" | "bench" | "tooling";

export interface WorkspacePackage {
  /** npm name, e.g. @metacircular/mcns; "(scripts)" for the repository tooling. */
  name: string;
  kind: PackageKind;
  /** Directory relative to the repository root, e.g. services/mcns. */
  dir: string;
  /** Keys of the package.json exports map ("./auth", "./*", "."). */
  exports: string[];
}

const LIB_KINDS: Record<string, PackageKind> = {
  mcdsl: "mcdsl",
  proto: "proto",
  testkit: "testkit",
};

/** What each kind may import from the repository (besides itself); tests may add more. */
const ALLOWED: Record<PackageKind, { always: PackageKind[]; inTests: PackageKind[] }> = {
  service: { always: ["mcdsl", "proto"], inTests: ["testkit"] },
  mcdsl: { always: ["proto"], inTests: ["testkit"] },
  testkit: { always: ["mcdsl"], inTests: [] },
  proto: { always: [], inTests: [] },
  e2e: { always: ["service", "mcdsl", "proto", "testkit"], inTests: [] },
  bench: { always: ["service", "mcdsl", "proto", "testkit"], inTests: [] },
  tooling: { always: ["service", "mcdsl", "proto", "testkit", "e2e", "bench"], inTests: [] },
};

export function mayImport(from: PackageKind, to: PackageKind, inTest: boolean): boolean {
  const rule = ALLOWED[from];
  return rule.always.includes(to) || (inTest && rule.inTests.includes(to));
}

function readPackage(root: string, dir: string, kind: PackageKind): WorkspacePackage {
  const pkg = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as {
    name: string;
    exports?: Record<string, string> | string;
  };
  const exp = pkg.exports;
  const exports = typeof exp === "string" ? ["."] : Object.keys(exp ?? {});
  return { name: pkg.name, kind, dir, exports };
}

function subdirs(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(abs, d.name, "package.json")))
    .map((d) => join(dir, d.name));
}

export function discoverPackages(root: string): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const dir of subdirs(root, "lib")) {
    const kind = LIB_KINDS[relative("lib", dir)];
    if (!kind) throw new Error(`${dir}: unknown library; add it to scripts/arch/packages.ts`);
    out.push(readPackage(root, dir, kind));
  }
  for (const dir of subdirs(root, "services")) out.push(readPackage(root, dir, "service"));
  for (const [dir, kind] of [
    ["e2e", "e2e"],
    ["bench", "bench"],
  ] as const) {
    if (existsSync(join(root, dir, "package.json"))) out.push(readPackage(root, dir, kind));
  }
  out.push({ name: "(scripts)", kind: "tooling", dir: "scripts", exports: [] });
  return out;
}

/** True when `sub` ("" for the package root, else "auth", "mcns/v1/x_pb") is exported. */
export function isExported(pkg: WorkspacePackage, sub: string): boolean {
  const key = sub === "" ? "." : `./${sub}`;
  return pkg.exports.some((e) => {
    if (e === key) return true;
    const star = e.indexOf("*");
    return star >= 0 && key.startsWith(e.slice(0, star)) && key.endsWith(e.slice(star + 1));
  });
}
