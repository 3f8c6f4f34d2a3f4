/**
 * npm run classify -- FILE [--model models/NAME.json] [--json] [--tolerant]
 *
 * Classifies a skeleton recording (.jsonl) or an NTU RGB+D .skeleton file with the same windowing, preprocessing
 * and ActionModel as the app (onnxruntime-web, wasm backend, in Node). Prints one row per window.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';
import { loadActionModel } from '../src/model/load';
import type { Prediction } from '../src/model/prediction';
import { getMapping } from '../src/skeleton/layout';
import { WindowAssembler, windowConfigForModel, type SkeletonWindow } from '../src/window/assembler';
import { readCommandLine } from './command-line';
import { openSource } from './sources';

const DEFAULT_MODEL = 'models/ttr-lite-untrained.json';
const USAGE = `usage: npm run classify -- FILE [--model ${DEFAULT_MODEL}] [--json] [--tolerant]
  FILE        skeleton recording (.jsonl, docs/recording-format.md) or NTU RGB+D .skeleton file
  --model     model manifest (docs/model-manifest.md); default ${DEFAULT_MODEL}
  --json      one JSON object per window instead of a table
  --tolerant  skip malformed lines of a recording (reported at the end) instead of stopping`;

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2).padStart(7);

function tableRow(window: SkeletonWindow, prediction: Prediction | null): string {
  const span = `${seconds(window.tStart)}–${seconds(window.tEnd)} s`;
  if (!prediction) return `${span}  person ${window.personId}  (not classified: no visible hips in the window)`;
  const [best, ...rest] = prediction.top;
  const others = rest.slice(0, 2).map((score) => `${score.label} ${score.p.toFixed(2)}`).join(', ');
  return `${span}  person ${window.personId}  ${best!.label.padEnd(20)} ${best!.p.toFixed(2)}   (${others})`;
}

const millis = (ms: number) => Math.round(ms * 1000) / 1000;

function jsonRow(window: SkeletonWindow, prediction: Prediction | null): string {
  return JSON.stringify({
    t: millis(window.t),
    tStart: millis(window.tStart),
    tEnd: millis(window.tEnd),
    personId: window.personId,
    presence: window.presence,
    label: prediction?.top[0]?.label ?? null,
    p: prediction?.top[0]?.p ?? null,
    top: prediction?.top ?? null,
    untrained: prediction?.untrained ?? null,
  });
}

/** Runs the CLI; returns the exit code. Errors are reported as one clear line, never a stack trace. */
export async function main(argv: string[], output: Output): Promise<number> {
  const args = readCommandLine(argv, { model: { type: 'string', default: DEFAULT_MODEL }, json: { type: 'boolean', default: false }, tolerant: { type: 'boolean', default: false } }, USAGE, output);
  if (typeof args === 'number') return args;
  if (args.positionals.length !== 1) {
    output.err(`expected exactly one input file, got ${args.positionals.length}\n${USAGE}`);
    return 2;
  }
  const [path] = args.positionals as [string];
  const { model: manifestPath, json, tolerant } = args.values;
  try {
    const source = await openSource(path, { tolerant });
    ort.env.wasm.numThreads = 1;
    const model = await loadActionModel(manifestPath, async (file) => new Uint8Array(await readFile(file)));
    try {
      const { manifest } = model;
      getMapping(source.layout, manifest.input.layout); // fails early with a clear message for incompatible layouts
      const assembler = new WindowAssembler(windowConfigForModel(manifest.input, { layout: source.layout }));
      if (!json) {
        output.out(`${path}: ${source.description}`);
        output.out(`model ${manifest.name} (${manifest.family}/${manifest.variant}, ${manifest.input.window} frames at ${manifest.input.fps} fps, stride ${manifest.input.stride})${manifest.trained ? '' : ' — UNTRAINED: random weights, labels are meaningless'}`);
      }
      for await (const frame of source.frames()) {
        for (const window of assembler.push(frame).windows) {
          const prediction = await model.classify(window);
          output.out(json ? jsonRow(window, prediction) : tableRow(window, prediction));
        }
      }
      const { stats } = assembler;
      const issues = source.issues();
      for (const issue of issues) output.err(`${path}:${issue.line}: skipped: ${issue.message}`);
      if (!json) {
        output.out(`${stats.frames} frames, ${stats.windows} windows classified, ${stats.sparseWindows} skipped (person present in less than half the window)${issues.length ? `, ${issues.length} bad lines skipped` : ''}`);
        if (stats.windows === 0) output.out(`no window: the input is shorter than one window (${manifest.input.window} frames at ${manifest.input.fps} fps) or shows nobody`);
      }
    } finally {
      await model.release();
    }
    return 0;
  } catch (error) {
    output.err(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `npm run classify -- x | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  process.exitCode = await main(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) });
}
