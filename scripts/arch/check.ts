// The architecture check: every rule of ARCHITECTURE.md that a machine can hold the tree to.
// - imports: package rules (who may import whom), only through a package's exports map, relative
//   imports never leave their package, mcdsl modules reach each other only through index.ts;
// - no import loops inside a package (type-only imports count: a loop is a design loop);
// - every service has the one skeleton;
// - no function longer than MAX_FUNCTION_LINES outside files marked as parsers.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { addEdge, findCycles, type Graph } from "./graph.ts";
import { discoverPackages, isExported, mayImport, type WorkspacePackage } from "./packages.ts";
import { checkSkeleton } from "./skeleton.ts";
import { listSources, readSource, type SourceFile } from "./source-files.ts";

export const MAX_FUNCTION_LINES = 80;
/** A file whose first lines carry this marker holds a parser or codec: long functions allowed. */
export const PARSER_MARKER = "arch: parser";

/**
 * Long functions that predate the rule, as "path#name" lines. The check fails on a long function
 * not listed here and on a listed one that is no longer long: the list only shrinks.
 */
export const LONG_FUNCTION_DEBT = "scripts/arch/long-functions.txt";

export type RuleName =
  | "package-rule"
  | "exports"
  | "relative-escape"
  | "mcdsl-internal"
  | "cycle"
  | "skeleton"
  | "function-length";

export interface Violation {
  rule: RuleName;
  path: string;
  message: string;
}

const SCOPE = "@metacircular/";

function isTestFile(rel: string): boolean {
  return /(^|\/)(test|testdata)\//.test(rel) || /\.test\.tsx?$/.test(rel) || rel.startsWith("e2e/");
}

/** Tests and their fixtures (testdata/) may reach into internals; shipped code may not. */
function isTestCode(rel: string): boolean {
  return isTestFile(rel) || rel.includes("/testdata/");
}

function resolveRelative(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  for (const p of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(p) && /\.(ts|tsx|mts)$/.test(p)) return p;
  }
  return undefined;
}

interface Ctx {
  root: string;
  /** LONG_FUNCTION_DEBT entries; each one seen long is deleted, so what is left was fixed. */
  debt: Set<string>;
  pkg: WorkspacePackage;
  byName: Map<string, WorkspacePackage>;
  graph: Graph;
  out: Violation[];
}

function checkScoped(ctx: Ctx, rel: string, spec: string, line: number): void {
  const rest = spec.slice(SCOPE.length);
  const slash = rest.indexOf("/");
  const name = SCOPE + (slash < 0 ? rest : rest.slice(0, slash));
  const sub = slash < 0 ? "" : rest.slice(slash + 1);
  const target = ctx.byName.get(name);
  const where = `${rel}:${line}`;
  if (!target) {
    ctx.out.push({
      rule: "package-rule",
      path: where,
      message: `${spec}: no such workspace package`,
    });
    return;
  }
  if (target === ctx.pkg) {
    ctx.out.push({
      rule: "package-rule",
      path: where,
      message: `${spec}: a package imports itself by relative paths`,
    });
    return;
  }
  if (!mayImport(ctx.pkg.kind, target.kind, isTestFile(rel))) {
    ctx.out.push({
      rule: "package-rule",
      path: where,
      message: `${ctx.pkg.name} (${ctx.pkg.kind}) may not import ${target.name} (${target.kind})`,
    });
  }
  if (!isExported(target, sub)) {
    ctx.out.push({
      rule: "exports",
      path: where,
      message: `${spec} is not in ${target.name}'s exports map`,
    });
  }
}

/** mcdsl's folders are modules; one reaches another only through that folder's index.ts. */
function checkMcdslInternal(ctx: Ctx, file: string, target: string, where: string): void {
  const src = join(ctx.root, ctx.pkg.dir, "src") + sep;
  if (!file.startsWith(src) || !target.startsWith(src)) return;
  const fromMod = relative(src, file).split(sep)[0];
  const [toMod, ...restPath] = relative(src, target).split(sep);
  if (fromMod === toMod || restPath.join("/") === "index.ts") return;
  ctx.out.push({
    rule: "mcdsl-internal",
    path: where,
    message: `mcdsl/${fromMod} reaches into mcdsl/${toMod}/${restPath.join("/")}; import ../${toMod}/index.ts`,
  });
}

function checkRelative(ctx: Ctx, file: string, rel: string, spec: string, line: number): void {
  const where = `${rel}:${line}`;
  const target = resolveRelative(file, spec);
  if (!target) return; // non-TS assets (json, css) and generated code are not part of the graph
  const pkgRoot = join(ctx.root, ctx.pkg.dir) + sep;
  if (!target.startsWith(pkgRoot)) {
    ctx.out.push({
      rule: "relative-escape",
      path: where,
      message: `${spec} leaves ${ctx.pkg.dir}; import the other package by name`,
    });
    return;
  }
  if (ctx.pkg.kind === "mcdsl" && !isTestCode(rel)) checkMcdslInternal(ctx, file, target, where);
  addEdge(ctx.graph, relative(ctx.root, file), relative(ctx.root, target));
}

function checkFunctions(ctx: Ctx, src: SourceFile, rel: string): void {
  const head = readFileSync(src.path, "utf8").slice(0, 2000);
  if (head.includes(PARSER_MARKER)) return;
  for (const f of src.functions) {
    if (f.lines <= MAX_FUNCTION_LINES) continue;
    if (ctx.debt.delete(`${rel}#${f.name}`)) continue;
    ctx.out.push({
      rule: "function-length",
      path: `${rel}:${f.line}`,
      message: `${f.name} is ${f.lines} lines (at most ${MAX_FUNCTION_LINES} outside parsers)`,
    });
  }
}

function readDebt(root: string): Set<string> {
  const p = join(root, LONG_FUNCTION_DEBT);
  if (!existsSync(p)) return new Set();
  const lines = readFileSync(p, "utf8").split("\n");
  return new Set(lines.map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")));
}

function checkPackage(ctx: Ctx): void {
  const dir = join(ctx.root, ctx.pkg.dir);
  if (!existsSync(dir)) return;
  for (const file of listSources(dir)) {
    const rel = relative(ctx.root, file);
    const src = readSource(file);
    for (const imp of src.imports) {
      if (imp.specifier.startsWith(SCOPE)) checkScoped(ctx, rel, imp.specifier, imp.line);
      else if (imp.specifier.startsWith("."))
        checkRelative(ctx, file, rel, imp.specifier, imp.line);
    }
    if (!isTestFile(rel)) checkFunctions(ctx, src, rel);
  }
}

export function checkArchitecture(root: string): Violation[] {
  const packages = discoverPackages(root);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const debt = readDebt(root);
  const out: Violation[] = [];
  for (const pkg of packages) {
    const ctx: Ctx = { root, debt, pkg, byName, graph: new Map(), out };
    checkPackage(ctx);
    for (const cycle of findCycles(ctx.graph)) {
      out.push({ rule: "cycle", path: cycle[0]!, message: `import loop: ${cycle.join(" → ")}` });
    }
    if (pkg.kind === "service") {
      for (const p of checkSkeleton(root, pkg.dir)) out.push({ rule: "skeleton", ...p });
    }
  }
  for (const entry of debt) {
    out.push({
      rule: "function-length",
      path: LONG_FUNCTION_DEBT,
      message: `${entry} is no longer a long function: remove it from the list`,
    });
  }
  return out;
}
