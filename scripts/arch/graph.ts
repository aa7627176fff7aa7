// Import cycles inside one package: Tarjan's strongly connected components over the
// file graph of relative imports. Any component of two or more files, or a file that imports
// itself, is a loop.
export type Graph = Map<string, Set<string>>;

export function addEdge(g: Graph, from: string, to: string): void {
  const set = g.get(from) ?? new Set<string>();
  g.set(from, set);
  set.add(to);
  if (!g.has(to)) g.set(to, new Set());
}

interface TarjanState {
  index: number;
  indices: Map<string, number>;
  low: Map<string, number>;
  stack: string[];
  onStack: Set<string>;
  out: string[][];
}

function strongConnect(g: Graph, v: string, s: TarjanState): void {
  s.indices.set(v, s.index);
  s.low.set(v, s.index);
  s.index++;
  s.stack.push(v);
  s.onStack.add(v);
  for (const w of g.get(v) ?? []) {
    if (!s.indices.has(w)) {
      strongConnect(g, w, s);
      s.low.set(v, Math.min(s.low.get(v)!, s.low.get(w)!));
    } else if (s.onStack.has(w)) {
      s.low.set(v, Math.min(s.low.get(v)!, s.indices.get(w)!));
    }
  }
  if (s.low.get(v) !== s.indices.get(v)) return;
  const comp: string[] = [];
  let w: string;
  do {
    w = s.stack.pop()!;
    s.onStack.delete(w);
    comp.push(w);
  } while (w !== v);
  if (comp.length > 1 || g.get(v)?.has(v)) s.out.push(comp.sort());
}

/** Every loop in the graph, each as its sorted list of files. */
export function findCycles(g: Graph): string[][] {
  const s: TarjanState = {
    index: 0,
    indices: new Map(),
    low: new Map(),
    stack: [],
    onStack: new Set(),
    out: [],
  };
  for (const v of [...g.keys()].sort()) if (!s.indices.has(v)) strongConnect(g, v, s);
  return s.out;
}
