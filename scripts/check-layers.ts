/**
 * `npm run check:layers`: the import rules of docs/architecture.md, checked on src/.
 * 1. Every folder has a layer; a file may import only its own folder or folders of lower layers
 *    (and the exceptions in ALLOWED below, which narrow, never widen, what a layer may import).
 * 2. No circle between folders, and no circle between files.
 * Prints every violation and exits 1 when there is one.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importGraph } from './import-graph.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Folders from the ground floor up; a folder matches its own line or the nearest parent listed. */
const LAYERS: readonly (readonly string[])[] = [
  ['model'],
  ['config'],
  ['store/contract'],
  ['store/sqlite', 'store/postgres'],
  ['store'],
  ['telemetry'],
  ['registry'],
  ['envelope'],
  ['query'],
  ['ingest', 'privacy'],
  ['observability', 'jobs'],
  ['http'],
  ['.'],
  ['cli'],
];

/** Folders that may import only these (besides themselves and their own sub-folders). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  model: [],
  config: ['model'],
  'store/contract': ['model'],
  'store/sqlite': ['store/contract', 'model'],
  'store/postgres': ['store/contract', 'model'],
};

function folderOf(file: string): string {
  const dir = dirname(file);
  return dir === '' ? '.' : dir;
}

/** The listed folder a folder belongs to: itself, or its nearest listed parent. */
function unitOf(folder: string): string {
  for (let f = folder; ; f = dirname(f)) {
    if (LAYERS.some((layer) => layer.includes(f))) return f;
    if (f === '.' || f === '') throw new Error(`src/${folder} has no layer in scripts/check-layers.ts`);
  }
}

function layerOf(folder: string): number {
  const unit = unitOf(folder);
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

function isWithin(folder: string, parent: string): boolean {
  return folder === parent || folder.startsWith(`${parent}/`);
}

function layerViolations(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    const unit = unitOf(from);
    for (const target of imports) {
      const to = folderOf(target);
      if (unitOf(to) === unit) continue;
      const allowed = ALLOWED[unit];
      if (allowed !== undefined && !allowed.some((a) => isWithin(to, a))) problems.push(`${file} imports ${target}: src/${unit} may import only ${allowed.join(', ') || 'nothing of Tally'}`);
      else if (layerOf(to) >= layerOf(from)) problems.push(`${file} imports ${target}: src/${unitOf(to)} is not below src/${unit}`);
    }
  }
  return problems;
}

/** Strongly connected components with more than one node (Tarjan), each as a sorted list. */
function circles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

function edgesBy(graph: ReadonlyMap<string, readonly string[]>, key: (file: string) => string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    const from = key(file);
    const targets = edges.get(from) ?? new Set<string>();
    edges.set(from, targets);
    for (const target of imports) if (key(target) !== from) targets.add(key(target));
  }
  return edges;
}

const graph = importGraph(SRC);
const problems = [
  ...layerViolations(graph),
  ...circles(edgesBy(graph, folderOf)).map((c) => `folders import each other in a circle: ${c.map((f) => `src/${f}`).join(' → ')}`),
  ...circles(edgesBy(graph, (file) => file)).map((c) => `files import each other in a circle: ${c.join(', ')}`),
];
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exitCode = 1;
else console.log(`layers: ${graph.size} files in src/, every import points down, no circles`);
