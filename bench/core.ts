/**
 * npm run bench:core [-- --runs 50]
 *
 * Cost of the app's core stages per call, in Node (onnxruntime-web wasm, 1 thread — as the app's WASM fallback):
 * window assembly per frame, torso-v1 preprocessing per window, and ActionModel.predict per window (session run as
 * the app calls it) for every model in models/index.json. Prints median and 95th percentile (ms). Raw model latency
 * across all configs is bench:models; the live pipeline in Chromium is bench.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { loadActionModel } from '../src/model/load';
import { modelFeatureSpec } from '../src/model/session';
import { toCanonical } from '../src/skeleton/canonical';
import { getLayout } from '../src/skeleton/layout';
import { windowFeatures } from '../src/skeleton/normalise';
import type { Landmark } from '../src/skeleton/types';
import { WindowAssembler } from '../src/window/assembler';
import type { CanonicalFrame, SkeletonWindow } from '../src/window/frames';
import { windowConfigForModel } from '../src/window/window-config';
import { quantile } from '../src/stats';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' } } });
const runs = Number(values.runs);
if (!(runs > 0)) throw new Error(`--runs must be a positive number, got ${values.runs}`);
ort.env.wasm.numThreads = 1;

const readBytes = async (path: string) => new Uint8Array(await readFile(path));

function percentiles(times: number[]): string {
  const at = (q: number) => quantile(times, q)!;
  return `median ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms`;
}

function time(action: () => unknown): number {
  const started = performance.now();
  action();
  return performance.now() - started;
}

/** A person swaying in front of the camera, as MediaPipe would report it (image landmarks → canonical). */
function swayingFrame(i: number, fps: number): CanonicalFrame {
  const joints = getLayout('blazepose33').joints.length;
  const landmarks = Array.from({ length: joints }, (_, v): Landmark => [0.5 + 0.05 * Math.sin(i / 10 + v), 0.2 + v / 50, 0.1 * Math.cos(v), 0.9]);
  return { t: (i * 1000) / fps, people: [toCanonical(landmarks, 640, 480)] };
}

const index = JSON.parse(await readFile('models/index.json', 'utf8')) as { models: { manifest: string }[] };
console.log(`core stages, Node ${process.version}, onnxruntime-web ${ort.env.versions.web} wasm x1 thread, ${runs} runs`);
for (const { manifest: file } of index.models) {
  const model = await loadActionModel(`models/${file}`, readBytes);
  const { input } = model.manifest;
  const assembler = new WindowAssembler(windowConfigForModel(input));
  const pushTimes: number[] = [];
  const windows: SkeletonWindow[] = [];
  for (let i = 0; windows.length < runs; i++) {
    pushTimes.push(time(() => windows.push(...assembler.push(swayingFrame(i, input.fps)).windows)));
  }
  const spec = modelFeatureSpec(model.manifest);
  windowFeatures(windows[0]!.raw, spec); // warm-up (JIT)
  const featureTimes = windows.map((window) => time(() => windowFeatures(window.raw, spec)));
  await model.classify(windows[0]!); // warm-up
  const modelTimes: number[] = [];
  for (const window of windows) modelTimes.push((await model.classify(window))!.modelMs);
  console.log(`${model.manifest.name} (${input.shape.join('x')}, ${model.manifest.parameters} parameters)`);
  console.log(`  window assembly per frame   ${percentiles(pushTimes)}`);
  console.log(`  torso-v1 features per window ${percentiles(featureTimes)}`);
  console.log(`  model run per window        ${percentiles(modelTimes)}`);
  await model.release();
}
