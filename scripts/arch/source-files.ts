// Walks a package's TypeScript sources and reads each file's import specifiers with the
// TypeScript parser (syntax only, no type check), so `import type`, re-exports and dynamic
// `import()` are all seen exactly as the compiler sees them.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const SKIP_DIRS = new Set(["node_modules", "gen", "dist", "build", ".tmp", "static"]);

export interface ImportRef {
  specifier: string;
  /** True for `import type` / `export type`: erased at run time, still a design dependency. */
  typeOnly: boolean;
  line: number;
}

export interface SourceFile {
  path: string;
  imports: ImportRef[];
  functions: FunctionSpan[];
}

export interface FunctionSpan {
  name: string;
  line: number;
  lines: number;
}

export function listSources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listSources(p, out);
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

function lineOf(sf: ts.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return "(anonymous)";
}

function isFunctionLike(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isConstructorDeclaration(node)
  );
}

function importOf(node: ts.Node, sf: ts.SourceFile): ImportRef | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
    if (!ts.isStringLiteral(node.moduleSpecifier)) return undefined;
    const typeOnly = ts.isImportDeclaration(node)
      ? Boolean(node.importClause?.isTypeOnly)
      : node.isTypeOnly;
    return { specifier: node.moduleSpecifier.text, typeOnly, line: lineOf(sf, node.getStart(sf)) };
  }
  if (
    ts.isCallExpression(node) &&
    node.expression.kind === ts.SyntaxKind.ImportKeyword &&
    node.arguments[0] &&
    ts.isStringLiteral(node.arguments[0])
  ) {
    return {
      specifier: node.arguments[0].text,
      typeOnly: false,
      line: lineOf(sf, node.getStart(sf)),
    };
  }
  return undefined;
}

export function readSource(path: string): SourceFile {
  const text = readFileSync(path, "utf8");
  const kind = path.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const imports: ImportRef[] = [];
  const functions: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    const ref = importOf(node, sf);
    if (ref) imports.push(ref);
    if (isFunctionLike(node)) {
      const start = lineOf(sf, node.getStart(sf));
      const end = lineOf(sf, node.getEnd());
      functions.push({ name: functionName(node), line: start, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { path, imports, functions };
}
