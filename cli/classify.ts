/**
 * npm run classify -- FILE [--model models/NAME.json] [--detail] [--json] [--tolerant]
 *
 * Classifies a skeleton recording (.jsonl) or an NTU RGB+D .skeleton file with the same windowing, preprocessing,
 * model (the streaming one when the manifest has it) and label hysteresis as the app (onnxruntime-web, wasm backend,
 * in Node). Every frame gets a label; by default it prints spans (runs of the same shown label per person),
 * with --detail one row per frame.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';
import { loadManifestClassifier } from '../src/model/load';
import { DEFAULT_LABEL_SMOOTHING, smoothLabel, type SmoothedLabel } from '../src/overlay/label-smoothing';
import type { Prediction } from '../src/model/prediction';
import { getMapping } from '../src/skeleton/layout';
import { WindowAssembler } from '../src/window/assembler';
import type { SkeletonWindow } from '../src/window/frames';
import { LABEL_EVERY_TICK, windowConfigForModel } from '../src/window/window-config';
import { readCommandLine } from './command-line';
import { mergeSpans, type FrameLabel, type LabelSpan } from './label-spans';
import { openSource } from './sources';

const DEFAULT_MODEL = 'models/default.json';
const USAGE = `usage: npm run classify -- FILE [--model ${DEFAULT_MODEL}] [--detail] [--json] [--tolerant]
  FILE        skeleton recording (.jsonl, docs/recording-format.md) or NTU RGB+D .skeleton file
  --model     model manifest (docs/model-manifest.md); default ${DEFAULT_MODEL}
  --detail    one row per labelled frame (the model's own top label) instead of spans of the shown label
  --json      one JSON object per span (or per frame with --detail) instead of a table
  --tolerant  skip malformed lines of a recording (reported at the end) instead of stopping`;

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

const SPAN_GAP_FRAMES = 3;
const seconds = (ms: number) => (ms / 1000).toFixed(2).padStart(7);

function tableRow(window: SkeletonWindow, prediction: Prediction | null): string {
  const span = `${seconds(window.tEnd)} s`;
  if (!prediction) return `${span}  person ${window.personId}  (not classified: no visible hips in the last ${window.raw.frames} frames)`;
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

function spanRow(span: LabelSpan, json: boolean): string {
  if (json) return JSON.stringify({ ...span, tStart: millis(span.tStart), tEnd: millis(span.tEnd), meanP: Math.round(span.meanP * 1e4) / 1e4 });
  return `${seconds(span.tStart)}–${seconds(span.tEnd)} s  person ${span.personId}  ${span.label.padEnd(20)} ${span.meanP.toFixed(2)}   (${span.frames} frames)`;
}

/** Runs the CLI; returns the exit code. Errors are reported as one clear line, never a stack trace. */
export async function main(argv: string[], output: Output): Promise<number> {
  const args = readCommandLine(
    argv,
    { model: { type: 'string', default: DEFAULT_MODEL }, detail: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, tolerant: { type: 'boolean', default: false } },
    USAGE,
    output,
  );
  if (typeof args === 'number') return args;
  if (args.positionals.length !== 1) {
    output.err(`expected exactly one input file, got ${args.positionals.length}\n${USAGE}`);
    return 2;
  }
  const [path] = args.positionals as [string];
  const { model: manifestPath, detail, json, tolerant } = args.values;
  try {
    const source = await openSource(path, { tolerant });
    ort.env.wasm.numThreads = 1;
    const model = await loadManifestClassifier(manifestPath, async (file) => new Uint8Array(await readFile(file)));
    try {
      const { manifest } = model;
      getMapping(source.layout, manifest.input.layout); // fails early with a clear message for incompatible layouts
      const assembler = new WindowAssembler(windowConfigForModel({ ...manifest.input, stride: LABEL_EVERY_TICK }, { layout: source.layout }));
      if (!json) {
        output.out(`${path}: ${source.description}`);
        const runs = manifest.streaming ? 'streaming, one frame per call' : 'the whole window per frame';
        output.out(`model ${manifest.name} (${manifest.family}/${manifest.variant}, ${manifest.input.window} frames at ${manifest.input.fps} fps, a label every frame: ${runs})${manifest.trained ? '' : ' — UNTRAINED: random weights, labels are meaningless'}`);
      }
      const shown = new Map<number, SmoothedLabel>();
      const labels: FrameLabel[] = [];
      for await (const frame of source.frames()) {
        const windows = assembler.push(frame).windows;
        const predictions = await model.classifyAll(windows);
        windows.forEach((window, i) => {
          const prediction = predictions[i]!;
          if (detail) output.out(json ? jsonRow(window, prediction) : tableRow(window, prediction));
          if (!prediction) return;
          const label = smoothLabel(shown.get(window.personId) ?? null, prediction.probabilities, prediction.t, manifest.labels, DEFAULT_LABEL_SMOOTHING);
          shown.set(window.personId, label);
          labels.push({ personId: window.personId, t: prediction.t, label: label.label, p: label.p });
        });
      }
      // A person not labelled for this long (missing, or no visible hips) starts a new span.
      if (!detail) for (const span of mergeSpans(labels, SPAN_GAP_FRAMES * (1000 / manifest.input.fps))) output.out(spanRow(span, json));
      const { stats } = assembler;
      const issues = source.issues();
      for (const issue of issues) output.err(`${path}:${issue.line}: skipped: ${issue.message}`);
      if (!json) {
        output.out(`${stats.frames} frames, ${stats.windows} labels, ${stats.sparseWindows} skipped (person present in less than half the window)${issues.length ? `, ${issues.length} bad lines skipped` : ''}`);
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
