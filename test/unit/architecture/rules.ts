// The architecture as data: every folder of the repository, its job, and the folders its code may import.
// docs/architecture.md shows this table (the test checks the two agree) and test/unit/architecture/imports.test.ts
// holds the real import graph to it. Adding a folder or an import between folders means adding it here, on purpose.

export interface FolderRule {
  /** 'src/NAME' for a folder of src/, 'src/*.ts' for the files directly in src/, else the top folder. */
  folder: string;
  /** Where the folder sits: the pipeline's stages in order, the side jobs beside them, or outside the product. */
  kind: 'shared' | 'stage' | 'side job' | 'screen' | 'outside the app' | 'data';
  job: string;
  /** Folders this folder's code may import ('src/**': any folder of src/). Imports within a folder are always allowed. */
  mayImport: readonly string[];
}

/** Folders that hold test support, tools and the command line; the product (src/) never imports them. */
export const NOT_FOR_THE_PRODUCT = ['eval', 'test', 'bench', 'cli', 'scripts', 'electron'] as const;

export const ANY_SRC = 'src/**';

export const ARCHITECTURE: readonly FolderRule[] = [
  { folder: 'src/*.ts', kind: 'shared', job: 'small helpers every stage may use (quantiles, JSON descriptions)', mayImport: [] },
  { folder: 'src/skeleton', kind: 'stage', job: 'skeleton format, joint layouts (layouts.json, shared with Python), normalisation', mayImport: [] },
  { folder: 'src/capture', kind: 'stage', job: 'frame sources: webcam, video file', mayImport: ['src/skeleton'] },
  { folder: 'src/pose', kind: 'stage', job: 'MediaPipe pose in a worker', mayImport: ['src/*.ts', 'src/skeleton'] },
  { folder: 'src/window', kind: 'stage', job: 'tracking, resampling, sliding windows per person', mayImport: ['src/skeleton'] },
  { folder: 'src/model', kind: 'stage', job: 'model manifest, ONNX Runtime session and worker, predictions', mayImport: ['src/*.ts', 'src/skeleton', 'src/window'] },
  { folder: 'src/pipeline', kind: 'stage', job: 'the stages composed as one stream with back-pressure; statistics', mayImport: ['src/model', 'src/skeleton', 'src/window'] },
  { folder: 'src/overlay', kind: 'stage', job: 'what the screen shows of a run: view model, label smoothing, drawing', mayImport: ['src/model', 'src/pipeline', 'src/skeleton'] },
  { folder: 'src/recording', kind: 'side job', job: 'skeleton recordings (JSON Lines), NTU files, label sidecars', mayImport: ['src/*.ts', 'src/skeleton'] },
  { folder: 'src/settings', kind: 'side job', job: 'settings: defaults (config/), the user file, validation', mayImport: ['src/*.ts', 'config'] },
  {
    folder: 'src/monitoring',
    kind: 'side job',
    job: 'fall detection: body measures, fall state machine, monitors (pure, no DOM)',
    mayImport: ['src/model', 'src/settings', 'src/skeleton', 'src/window', 'training'],
  },
  { folder: 'src/events', kind: 'side job', job: 'event log, its stores, retention, review clips', mayImport: ['src/monitoring', 'src/recording', 'src/settings', 'src/skeleton'] },
  {
    folder: 'src/alerts',
    kind: 'side job',
    job: 'alarm sound, desktop notification, carer channels',
    mayImport: ['src/events', 'src/model', 'src/monitoring', 'src/settings', 'src/skeleton', 'src/window'],
  },
  { folder: 'src/kiosk', kind: 'side job', job: 'kiosk mode: the host API, exit PIN, lockout', mayImport: ['src/alerts', 'src/settings'] },
  { folder: 'src/ui', kind: 'screen', job: 'the screens and their controllers; the only folder that wires stages and side jobs together', mayImport: [ANY_SRC] },
  { folder: 'eval', kind: 'outside the app', job: 'synthetic motion and fall evaluation, for the CLI, bench and tests', mayImport: [ANY_SRC] },
  { folder: 'cli', kind: 'outside the app', job: 'the npm run commands (classify, poses, eval:falls, settings, …)', mayImport: [ANY_SRC, 'eval', 'scripts', 'training'] },
  { folder: 'bench', kind: 'outside the app', job: 'benchmarks and the soak run', mayImport: [ANY_SRC, 'eval', 'scripts'] },
  { folder: 'scripts', kind: 'outside the app', job: 'build, serve, start, assets, headless Chromium', mayImport: [ANY_SRC, 'cli'] },
  { folder: 'electron', kind: 'outside the app', job: 'the desktop shell (thin; logic in tested modules)', mayImport: [ANY_SRC, 'scripts'] },
  { folder: 'test', kind: 'outside the app', job: 'unit, parity and end-to-end tests', mayImport: [ANY_SRC, 'bench', 'cli', 'config', 'docs', 'electron', 'eval', 'root', 'scripts', 'training'] },
  { folder: 'root', kind: 'outside the app', job: 'build and test configuration in the repository root (vite, vitest)', mayImport: [ANY_SRC, 'scripts'] },
  { folder: 'training', kind: 'data', job: 'training and export (Python); its label sets are read by src/monitoring and the CLI', mayImport: [] },
  { folder: 'config', kind: 'data', job: 'the settings defaults (monitoring.defaults.json)', mayImport: [] },
  { folder: 'models', kind: 'data', job: 'ONNX models and their manifests (read at run time, never imported)', mayImport: [] },
  { folder: 'docs', kind: 'data', job: 'the documentation (this table is checked against docs/architecture.md)', mayImport: [] },
];

/** The table as docs/architecture.md shows it. */
export function architectureTable(rules: readonly FolderRule[] = ARCHITECTURE): string {
  const cell = (folders: readonly string[]) => (folders.length ? folders.map((folder) => (folder === ANY_SRC ? 'any of `src/`' : `\`${folder}\``)).join(', ') : 'nothing');
  return [
    '| folder | kind | job | may import |',
    '|---|---|---|---|',
    ...rules.map((rule) => `| \`${rule.folder}\` | ${rule.kind} | ${rule.job} | ${cell(rule.mayImport)} |`),
  ].join('\n');
}

/**
 * The src/ folders in layers, top first: each folder one line above the highest folder it may import, so every
 * import of src/ points down the picture. (The table must be a layering; the test checks it.)
 */
export function layerPicture(rules: readonly FolderRule[] = ARCHITECTURE): string {
  const src = rules.filter((rule) => rule.folder.startsWith('src/'));
  const targets = (rule: FolderRule): string[] =>
    rule.mayImport.flatMap((target) => (target === ANY_SRC ? src.map((other) => other.folder).filter((folder) => folder !== rule.folder) : target.startsWith('src/') ? [target] : []));
  const layer = new Map<string, number>();
  const layerOf = (folder: string, seen: readonly string[] = []): number => {
    if (seen.includes(folder)) throw new Error(`the architecture table is circular: ${[...seen, folder].join(' → ')}`);
    const known = layer.get(folder);
    if (known !== undefined) return known;
    const rule = src.find((candidate) => candidate.folder === folder);
    const below = rule ? targets(rule).map((target) => layerOf(target, [...seen, folder])) : [];
    const value = below.length ? Math.max(...below) + 1 : 0;
    layer.set(folder, value);
    return value;
  };
  for (const rule of src) layerOf(rule.folder);
  const top = Math.max(...layer.values());
  return Array.from({ length: top + 1 }, (_, i) => top - i)
    .map((level) => `${level}  ${[...layer].filter(([, l]) => l === level).map(([folder]) => folder).sort().join('  ')}`)
    .join('\n');
}
