// The checks of the import rule (rules.ts) over an import graph: pure functions, so a test can give them a small
// made-up graph and see them fail.
import { ANY_SRC, NOT_FOR_THE_PRODUCT, type FolderRule } from './rules';
import type { ImportEdge } from './import-graph';

/** The folder of the table a repository path belongs to: 'src/window', 'src/*.ts', 'cli', 'root', …; null: a package. */
export function folderOf(path: string): string | null {
  const parts = path.split('/');
  if (parts[0] === 'node_modules') return null;
  if (parts.length === 1) return 'root';
  if (parts[0] === 'src') return parts.length === 2 ? 'src/*.ts' : `src/${parts[1]}`;
  return parts[0]!;
}

const isSrc = (folder: string): boolean => folder.startsWith('src/');

function allows(rule: FolderRule, target: string): boolean {
  return rule.mayImport.includes(target) || (isSrc(target) && rule.mayImport.includes(ANY_SRC));
}

const describeEdge = (edge: ImportEdge): string => `${edge.from} imports '${edge.specifier}'`;

/** Every import that breaks the table: from a folder the table lacks, to a folder its rule does not allow, or from src/ to test support. */
export function ruleViolations(edges: readonly ImportEdge[], rules: readonly FolderRule[]): string[] {
  const byFolder = new Map(rules.map((rule) => [rule.folder, rule]));
  const violations: string[] = [];
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === null || to === null || from === to) continue;
    const rule = byFolder.get(from);
    if (!rule) violations.push(`${describeEdge(edge)}: folder ${from} is not in the architecture table (test/unit/architecture/rules.ts)`);
    else if (isSrc(from) && (NOT_FOR_THE_PRODUCT as readonly string[]).includes(to)) violations.push(`${describeEdge(edge)}: the product (src/) never imports ${to}/`);
    else if (!byFolder.has(to)) violations.push(`${describeEdge(edge)}: folder ${to} is not in the architecture table`);
    else if (!allows(rule, to)) violations.push(`${describeEdge(edge)}: ${from} may import only ${rule.mayImport.join(', ') || 'nothing'} (a lower stage importing a higher one?)`);
  }
  return violations;
}

/** The folder → folder graph of `edges` (imports within a folder left out), restricted to folders `keep` accepts. */
export function folderGraph(edges: readonly ImportEdge[], keep: (folder: string) => boolean): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === null || to === null || from === to || !keep(from) || !keep(to)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
  }
  return graph;
}

/** The file → file graph of `edges` among files `keep` accepts. */
export function fileGraph(edges: readonly ImportEdge[], keep: (path: string) => boolean): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!keep(from) || !keep(to)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
  }
  return graph;
}

/** The cycles of a directed graph: each strongly connected component of more than one node (or a node importing itself), sorted. */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The table's own src/ part as a graph (what each src folder may import), for its cycles: a layering has none. */
export function ruleGraph(rules: readonly FolderRule[]): Map<string, Set<string>> {
  const srcFolders = rules.map((rule) => rule.folder).filter(isSrc);
  return new Map(
    rules
      .filter((rule) => isSrc(rule.folder))
      .map((rule) => [rule.folder, new Set(rule.mayImport.flatMap((target) => (target === ANY_SRC ? srcFolders.filter((folder) => folder !== rule.folder) : isSrc(target) ? [target] : [])))]),
  );
}

/** Allowances no import uses: the table says more than the code does. */
export function unusedAllowances(edges: readonly ImportEdge[], rules: readonly FolderRule[]): string[] {
  const used = folderGraph(edges, () => true);
  return rules.flatMap((rule) =>
    rule.mayImport.filter((target) => target !== ANY_SRC && !used.get(rule.folder)?.has(target)).map((target) => `${rule.folder} → ${target}`),
  );
}
