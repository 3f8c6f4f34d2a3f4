// The import rule of the codebase (docs/architecture.md, the table in rules.ts): lower stages never import higher
// ones, the product never imports test support or tools, no import cycle between folders of src/ or within cli/.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, fileGraph, folderGraph, folderOf, ruleGraph, ruleViolations, unusedAllowances } from './check';
import { importEdges, importSpecifiers, sourceFiles, type ImportEdge } from './import-graph';
import { ARCHITECTURE, architectureTable, layerPicture, type FolderRule } from './rules';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CODE_FOLDERS = ['src', 'eval', 'cli', 'bench', 'scripts', 'electron', 'test'];
const files = [...sourceFiles(ROOT, CODE_FOLDERS), ...readdirSync(ROOT).filter((name) => name.endsWith('.ts'))];
const edges = importEdges(ROOT, files);

describe('the repository’s import graph', () => {
  it('is read from every kind of import', () => {
    // Sanity: the graph sees the workers and the CLI's on-demand import, not just static imports.
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/pose/pose-estimator.ts', to: 'src/pose/pose.worker.ts' }));
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/ui/model-runner.ts', to: 'src/model/inference-worker.ts' }));
    expect(edges).toContainEqual(expect.objectContaining({ from: 'cli/sources.ts', to: 'cli/video-poses.ts' }));
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/ui/run-lifecycle.ts', to: 'src/pipeline/index.ts' }));
  });

  it('follows the architecture table', () => {
    expect(ruleViolations(edges, ARCHITECTURE)).toEqual([]);
  });

  it('has a folder of the table for every code file', () => {
    const folders = new Set(ARCHITECTURE.map((rule) => rule.folder));
    expect(files.map(folderOf).filter((folder) => folder && !folders.has(folder))).toEqual([]);
  });

  it('has no import cycle between the folders of src/', () => {
    expect(cycles(folderGraph(edges, (folder) => folder.startsWith('src/')))).toEqual([]);
  });

  it('has no import cycle between files of cli/, nor of src/', () => {
    expect(cycles(fileGraph(edges, (path) => path.startsWith('cli/')))).toEqual([]);
    expect(cycles(fileGraph(edges, (path) => path.startsWith('src/')))).toEqual([]);
  });
});

describe('the architecture table', () => {
  it('is a layering: no src/ folder may import one that may import it', () => {
    expect(cycles(ruleGraph(ARCHITECTURE))).toEqual([]);
  });

  it('allows only imports the code makes', () => {
    const dataFolders = ARCHITECTURE.filter((rule) => rule.kind === 'data').map((rule) => rule.folder);
    // test/ may reach every folder; its list is what it may, not what it does today.
    const codeRules = ARCHITECTURE.filter((rule) => rule.folder !== 'test' && !dataFolders.includes(rule.folder));
    expect(unusedAllowances(edges, codeRules)).toEqual([]);
  });

  it('is the one docs/architecture.md shows, table and layer picture', () => {
    const doc = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
    for (const shown of [architectureTable(), layerPicture()]) {
      expect(doc.includes(shown), `docs/architecture.md must contain, from test/unit/architecture/rules.ts:\n\n${shown}\n`).toBe(true);
    }
  });
});

describe('the checks', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: to });
  const rules: FolderRule[] = [
    { folder: 'src/skeleton', kind: 'stage', job: '', mayImport: [] },
    { folder: 'src/window', kind: 'stage', job: '', mayImport: ['src/skeleton'] },
    { folder: 'src/ui', kind: 'screen', job: '', mayImport: ['src/**'] },
    { folder: 'eval', kind: 'outside the app', job: '', mayImport: ['src/**'] },
  ];

  it('pass a graph that follows the table', () => {
    const good = [edge('src/window/a.ts', 'src/skeleton/b.ts'), edge('src/ui/app.ts', 'src/window/a.ts'), edge('eval/x.ts', 'src/ui/app.ts'), edge('src/ui/app.ts', 'node_modules/rxjs')];
    expect(ruleViolations(good, rules)).toEqual([]);
  });

  it('fail on a lower stage importing a higher one', () => {
    expect(ruleViolations([edge('src/skeleton/b.ts', 'src/window/a.ts')], rules)).toEqual([
      "src/skeleton/b.ts imports 'src/window/a.ts': src/skeleton may import only nothing (a lower stage importing a higher one?)",
    ]);
  });

  it('fail on the product importing test support, even where the table would allow it', () => {
    const lax: FolderRule[] = [...rules.filter((rule) => rule.folder !== 'src/ui'), { folder: 'src/ui', kind: 'screen', job: '', mayImport: ['src/**', 'eval'] }];
    expect(ruleViolations([edge('src/ui/app.ts', 'eval/synthetic.ts')], lax)).toEqual(["src/ui/app.ts imports 'eval/synthetic.ts': the product (src/) never imports eval/"]);
    expect(ruleViolations([edge('src/ui/app.ts', 'test/unit/helpers/scenarios.ts')], rules)[0]).toMatch(/never imports test\//);
  });

  it('fail on a folder the table lacks', () => {
    expect(ruleViolations([edge('src/newstage/a.ts', 'src/skeleton/b.ts')], rules)[0]).toMatch(/folder src\/newstage is not in the architecture table/);
    expect(ruleViolations([edge('src/ui/a.ts', 'src/newstage/b.ts')], rules)[0]).toMatch(/folder src\/newstage is not in the architecture table/);
    expect(ruleViolations([edge('eval/a.ts', 'cli/b.ts')], rules)[0]).toMatch(/folder cli is not in the architecture table/);
  });

  it('find folder and file cycles', () => {
    const circle = [edge('src/a/x.ts', 'src/b/y.ts'), edge('src/b/y.ts', 'src/c/z.ts'), edge('src/c/z.ts', 'src/a/w.ts'), edge('src/d/v.ts', 'src/a/x.ts')];
    expect(cycles(folderGraph(circle, () => true))).toEqual([['src/a', 'src/b', 'src/c']]);
    const cli = [edge('cli/sources.ts', 'cli/video-poses.ts'), edge('cli/video-poses.ts', 'cli/sources.ts'), edge('cli/poses.ts', 'cli/video-poses.ts')];
    expect(cycles(fileGraph(cli, (path) => path.startsWith('cli/')))).toEqual([['cli/sources.ts', 'cli/video-poses.ts']]);
    expect(cycles(new Map([['a', new Set(['a'])]]))).toEqual([['a']]);
  });

  it('find a table that is no layering, and allowances nothing uses', () => {
    const circular: FolderRule[] = [...rules, { folder: 'src/model', kind: 'stage', job: '', mayImport: ['src/ui'] }];
    expect(cycles(ruleGraph(circular))).toEqual([['src/model', 'src/ui']]);
    expect(unusedAllowances([edge('src/window/a.ts', 'src/skeleton/b.ts')], rules)).toEqual([]);
    expect(unusedAllowances([], rules)).toEqual(['src/window → src/skeleton']);
  });

  it('read static, dynamic and worker imports, and no folder references', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b/b';",
      "export * from './c';",
      "const d = await import('./d');",
      "new Worker(new URL('./e.worker.ts', import.meta.url));",
      "const root = new URL('..', import.meta.url); const here = new URL('./', import.meta.url);",
      "// new Worker(new URL('./in-a-comment.ts', import.meta.url))",
      "import { rxjs } from 'rxjs';",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(['../b/b', './a', './c', './d', './e.worker.ts']);
  });
});
