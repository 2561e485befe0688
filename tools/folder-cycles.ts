/**
 * The folder import graph of an app's source and the cycles in it:
 *   node -r @swc-node/register tools/folder-cycles.ts [apps/<app>/src …]
 * A node is a top-level folder of the source directory (files directly in it are `(root)`); an
 * edge is a relative import (type-only and re-exports too) from a file in one folder to a file in
 * another. Specs are left out: a test may reach across features. Folders that import each other
 * cannot be understood, moved or owned one at a time, so every app keeps this graph acyclic
 * (tools/folder-cycles.spec.ts).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const ROOT_FOLDER = '(root)';

/** One folder → folder edge, with the first import that makes it (to name it in a message). */
export interface FolderEdge {
  from: string;
  to: string;
  file: string;
  imports: string;
}

export interface FolderGraph {
  folders: string[];
  edges: FolderEdge[];
}

/** Folders that all reach each other, and one shortest cycle among them as an example. */
export interface FolderCycle {
  folders: string[];
  path: FolderEdge[];
}

const SOURCE = /\.tsx?$/;
const SPEC = /\.(spec|int-spec|e2e-spec)\.tsx?$/;

export function folderGraph(srcDir: string): FolderGraph {
  const root = resolve(srcDir);
  const folders = new Set<string>();
  const edges = new Map<string, FolderEdge>();
  for (const file of sourceFiles(root)) {
    const from = folderOf(root, file);
    folders.add(from);
    for (const target of relativeImports(file)) {
      if (!target.startsWith(root + sep)) continue;
      const to = folderOf(root, target);
      const key = `${from}\0${to}`;
      if (from === to || edges.has(key)) continue;
      edges.set(key, { from, to, file: relative(root, file), imports: relative(root, target) });
    }
  }
  return { folders: [...folders].sort(), edges: [...edges.values()] };
}

/**
 * Every strongly connected component of more than one folder, with a shortest cycle through its
 * first folder as the list of its edges (the last edge leads back to the first folder).
 */
export function folderCycles(graph: FolderGraph): FolderCycle[] {
  const out = new Map<string, FolderEdge[]>();
  for (const e of graph.edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  return stronglyConnected(graph.folders, out)
    .filter((c) => c.length > 1)
    .map((folders) => ({ folders, path: shortestCycle(folders[0]!, new Set(folders), out) }));
}

/** `a, b, c import each other, e.g. a → b (a/x.ts imports b/y.ts) → a (…)`. */
export function describeCycle({ folders, path }: FolderCycle): string {
  const steps = path.map((e) => `→ ${e.to} (${e.file} imports ${e.imports})`);
  return [`${folders.join(', ')} import each other, e.g.`, path[0]!.from, ...steps].join('\n  ');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !SPEC.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function folderOf(root: string, file: string): string {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0]! : ROOT_FOLDER;
}

/** Files a source file imports by a relative path (import, export … from, import(), require). */
function relativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolveImport(dirname(file), name));
}

function resolveImport(dir: string, name: string): string {
  const base = resolve(dir, name.replace(/\.js$/, ''));
  const candidates = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find((c) => existsSync(c)) ?? base;
}

/** Tarjan's algorithm; recursion depth is at most the number of folders. */
function stronglyConnected(nodes: string[], out: Map<string, FolderEdge[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const { to: w } of out.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    components.push(component.sort());
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return components;
}

/** Breadth-first from `start` inside its component back to `start`. */
function shortestCycle(
  start: string,
  component: Set<string>,
  out: Map<string, FolderEdge[]>,
): FolderEdge[] {
  const via = new Map<string, FolderEdge>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const e of out.get(v) ?? []) {
      if (!component.has(e.to) || via.has(e.to)) continue;
      via.set(e.to, e);
      if (e.to === start) return pathTo(start, via);
      queue.push(e.to);
    }
  }
  throw new Error(`no cycle through ${start}: not a strongly connected component`);
}

function pathTo(start: string, via: Map<string, FolderEdge>): FolderEdge[] {
  const path: FolderEdge[] = [];
  let e = via.get(start)!;
  for (;;) {
    path.unshift(e);
    if (e.from === start) return path;
    e = via.get(e.from)!;
  }
}

function main(dirs: string[]): void {
  let found = 0;
  for (const dir of dirs) {
    const graph = folderGraph(dir);
    for (const cycle of folderCycles(graph)) {
      found++;
      console.log(`${dir}: ${describeCycle(cycle)}`);
    }
  }
  if (found > 0) process.exitCode = 1;
}

if (require.main === module) {
  const apps = join(__dirname, '..', 'apps');
  const args = process.argv.slice(2);
  main(args.length > 0 ? args : readdirSync(apps).map((a) => join(apps, a, 'src')));
}
