/**
 * Streaming parity. (1) `python -m training.streaming --fixture` exports the streaming ONNX of stbln-lite-stream with
 * random weights and batch-norm statistics, random frames and the windowed PyTorch model's logits on every full
 * window: onnxruntime-node fed one frame at a time must give those logits within 1e-4 from the window's last frame
 * on. (2) The same weights exported as the app loads them (manifest, windowed ONNX, streaming section): the app's
 * StreamingModel (streaming ONNX, per-person state, TypeScript frame normalisation) must predict what ActionModel
 * predicts with the windowed ONNX on the same windows, for two people in one batch, with dropped windows (catch-up) and a person who leaves and comes back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, onnxLocation, type ReadBytes } from '../../src/model/load';
import type { ModelManifest } from '../../src/model/manifest';
import { ActionModel } from '../../src/model/session';
import { StreamingModel } from '../../src/model/stream-session';
import { poseFrameToCanonical, WindowAssembler, windowConfigForModel, type SkeletonWindow } from '../../src/window';
import type { Landmark, Person } from '../../src/skeleton/types';
import { canonicalPerson } from '../unit/core/pose-helpers';
import '../unit/core/model-fixture'; // one wasm thread, as in the app's default

const TOLERANCE = 1e-4;
const readBytes: ReadBytes = async (path) => new Uint8Array(readFileSync(path));

interface StreamFixture {
  window: number;
  frames: { shape: [number, number, number, number, number]; file: string };
  windowedLogits: { shape: [number, number]; file: string };
  streaming: { onnx: { file: string }; frame: { name: string }; states: { input: string; output: string; shape: number[] }[]; logits: string };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-streaming-'));
  execFileSync('scripts/python.sh', ['-m', 'training.streaming', '--fixture', dir], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function floats(file: string): Float32Array {
  const bytes = readFileSync(join(dir, file));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
}

describe('streaming ONNX in onnxruntime-node', () => {
  it('gives the windowed model’s logits on every full window, one frame per call', async () => {
    const fixture = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as StreamFixture;
    const session = await ortNode.InferenceSession.create(join(dir, fixture.streaming.onnx.file));
    const [, channels, frames, joints] = fixture.frames.shape;
    const input = floats(fixture.frames.file);
    const expected = floats(fixture.windowedLogits.file);
    const labels = fixture.windowedLogits.shape[1];
    let states: ortNode.Tensor[] = fixture.streaming.states.map((state) => new ortNode.Tensor('float32', new Float32Array(state.shape.reduce((a, b) => a * b, 1)), state.shape));
    let worst = 0;
    for (let t = 0; t < frames; t++) {
      const frame = new Float32Array(channels * joints);
      for (let c = 0; c < channels; c++) for (let v = 0; v < joints; v++) frame[c * joints + v] = input[(c * frames + t) * joints + v]!;
      const feeds: Record<string, ortNode.Tensor> = { [fixture.streaming.frame.name]: new ortNode.Tensor('float32', frame, [1, channels, joints]) };
      fixture.streaming.states.forEach((state, s) => (feeds[state.input] = states[s]!));
      const results = await session.run(feeds);
      states = fixture.streaming.states.map((state) => results[state.output] as ortNode.Tensor);
      if (t < fixture.window - 1) continue;
      const logits = results[fixture.streaming.logits]!.data as Float32Array;
      const row = t - (fixture.window - 1);
      for (let k = 0; k < labels; k++) worst = Math.max(worst, Math.abs(logits[k]! - expected[row * labels + k]!));
    }
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
    await session.release();
  });
});

/** A standing person at hip x whose arms and knees swing with `phase` (image landmarks of 640×480). */
function movingPerson(x: number, phase: number): Person {
  const aspect = 640 / 480;
  const canonical = canonicalPerson(x).map(([cx, cy, cz, visibility], v): Landmark => {
    const swing = [13, 14, 15, 16, 25, 26].includes(v) ? 0.3 * Math.sin(phase + v) : 0;
    return [cx + swing, cy + swing / 2, cz + swing, visibility];
  });
  const landmarks = canonical.map(([cx, cy, cz, visibility]): Landmark => [cx / aspect + 0.5, 0.5 - cy, -cz / aspect, visibility]);
  return { landmarks, world: landmarks };
}

/** Windows of two people (one walks left to right, one waves and briefly leaves), as the app's assembler makes them. */
function twoPeopleWindows(manifest: ModelManifest, frames: number): SkeletonWindow[][] {
  const assembler = new WindowAssembler(windowConfigForModel({ ...manifest.input, stride: 1 }));
  const out: SkeletonWindow[][] = [];
  for (let i = 0; i < frames; i++) {
    const t = (i * 1000) / manifest.input.fps;
    const people = [movingPerson(-0.5 + i * 0.004, i / 30)];
    if (i < 80 || i > 84) people.push(movingPerson(0.4, 2 + i / 45));
    out.push(assembler.push(poseFrameToCanonical({ t, width: 640, height: 480, people })).windows);
  }
  return out;
}

describe('StreamingModel (onnxruntime-web, wasm) against ActionModel on the windowed ONNX', () => {
  it('predicts the same for every window, batching both people and catching up after dropped windows', async () => {
    const location = join(dir, 'model.json');
    const manifest = await loadManifest(location, readBytes);
    const windowed = await ActionModel.load(manifest, await readBytes(onnxLocation(location, manifest)));
    const streaming = await StreamingModel.load(manifest, await readBytes(join(dir, manifest.streaming!.onnx.file)));
    let worst = 0;
    let spread = 0;
    let compared = 0;
    let first: Float32Array | null = null;
    for (const [i, windows] of twoPeopleWindows(manifest, 140).entries()) {
      if (windows.length === 0 || (i > 90 && i < 96)) continue; // windows the model stage dropped
      const predictions = await streaming.classifyAll(windows);
      expect(predictions).toHaveLength(windows.length);
      for (const [w, window] of windows.entries()) {
        const expected = await windowed.classify(window);
        const got = predictions[w]!;
        expect(got === null).toBe(expected === null);
        if (!got || !expected) continue;
        expect(got.personId).toBe(window.personId);
        first ??= expected.probabilities;
        for (let k = 0; k < got.probabilities.length; k++) {
          worst = Math.max(worst, Math.abs(got.probabilities[k]! - expected.probabilities[k]!));
          spread = Math.max(spread, Math.abs(expected.probabilities[k]! - first[k]!));
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(spread, 'the predictions must vary, or equality would prove nothing').toBeGreaterThan(1e-3);
    expect(worst).toBeLessThanOrEqual(Math.min(TOLERANCE, spread / 100));
    expect(streaming.trackedPeople.length).toBe(2);
    await Promise.all([windowed.release(), streaming.release()]);
  });
});
