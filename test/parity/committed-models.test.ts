/**
 * The models shipped in models/: every manifest validates (src/model/manifest.ts), its ONNX file has the
 * declared sha256, loads in onnxruntime-node and onnxruntime-web (wasm), takes the declared input and produces
 * outputs of the declared shapes, with attention rows and importance vectors summing to 1. A manifest with a
 * streaming section: its streaming ONNX has the declared sha256 and the app's StreamingModel loads it (which checks
 * every state's name and shape) and labels a window.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { validateManifest, type ModelManifest } from '../../src/model/manifest';
import { StreamingModel } from '../../src/model/stream-session';
import { createRawWindow } from '../../src/skeleton/normalise';

const MODELS_DIR = 'models';
const manifestFiles = readdirSync(MODELS_DIR)
  .filter((file) => file.endsWith('.json'))
  .filter((file) => (JSON.parse(readFileSync(join(MODELS_DIR, file), 'utf8')) as { format?: string }).format === 'skeleton-sentinel-model')
  .sort();

function sampleInput(manifest: ModelManifest): Float32Array {
  // A deterministic, non-constant input: what matters here is shapes and finiteness, not the values.
  const data = new Float32Array(manifest.input.shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37);
  return data;
}

function sums(data: Float32Array, rowLength: number): number[] {
  const result: number[] = [];
  for (let start = 0; start < data.length; start += rowLength) {
    result.push(data.subarray(start, start + rowLength).reduce((a, b) => a + b, 0));
  }
  return result;
}

it('models/ holds at least the untrained T-TR and ST-BLN lite models', () => {
  expect(manifestFiles).toEqual(expect.arrayContaining(['ttr-lite-untrained.json', 'stbln-lite-untrained.json']));
});

describe.each(manifestFiles)('%s', (file) => {
  const manifest = validateManifest(JSON.parse(readFileSync(join(MODELS_DIR, file), 'utf8')), file);
  const bytes = readFileSync(join(MODELS_DIR, manifest.onnx.file));

  it('names itself and its ONNX file consistently, with the declared sha256', () => {
    expect(file).toBe(`${manifest.name}.json`);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.onnx.sha256);
    expect(manifest.onnx.opset).toBe(17);
    if (!manifest.trained) expect(manifest.metrics).toBeNull();
  });

  it.each(['onnxruntime-node', 'onnxruntime-web (wasm)'])('runs in %s with the declared input and output shapes', async (runtime) => {
    ortWeb.env.wasm.numThreads = 1;
    const session =
      runtime === 'onnxruntime-node'
        ? await ortNode.InferenceSession.create(bytes)
        : await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    expect(session.inputNames).toEqual([manifest.input.name]);
    const declared = Object.values(manifest.outputs).map((spec) => spec!.name);
    expect([...session.outputNames].sort()).toEqual([...declared].sort());
    const Tensor = runtime === 'onnxruntime-node' ? ortNode.Tensor : ortWeb.Tensor;
    const outputs = await session.run({ [manifest.input.name]: new Tensor('float32', sampleInput(manifest), manifest.input.shape) });
    for (const [key, spec] of Object.entries(manifest.outputs)) {
      const output = outputs[spec!.name]!;
      expect([...output.dims], key).toEqual(spec!.shape);
      const data = output.data as Float32Array;
      expect(data.every(Number.isFinite), `${key} is finite`).toBe(true);
      if (key !== 'logits') {
        const rowLength = spec!.shape[spec!.shape.length - 1]!;
        for (const total of sums(data, rowLength)) expect(total, `${key} rows sum to 1`).toBeCloseTo(1, 4);
      }
    }
    await session.release();
  });

  it.skipIf(!manifest.streaming)('has a streaming ONNX with the declared sha256 that the app loads and runs', async () => {
    const spec = manifest.streaming!;
    const streamBytes = new Uint8Array(readFileSync(join(MODELS_DIR, spec.onnx.file)));
    expect(createHash('sha256').update(streamBytes).digest('hex')).toBe(spec.onnx.sha256);
    ortWeb.env.wasm.numThreads = 1;
    const model = await StreamingModel.load(manifest, streamBytes);
    const raw = createRawWindow('blazepose33', manifest.input.window, 1);
    for (let i = 0; i < raw.data.length; i++) raw.data[i] = i >= 3 * (raw.data.length / 4) ? 1 : Math.sin(i * 0.37); // all visible
    const [prediction] = await model.classifyAll([{ personId: 1, t: 0, tStart: 0, tEnd: 0, presence: 1, raw }]);
    expect(prediction!.probabilities.every(Number.isFinite)).toBe(true);
    expect(prediction!.probabilities).toHaveLength(manifest.labels.length);
    await model.release();
  });
});
