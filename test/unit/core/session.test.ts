import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadFastestModel, wasmThreadCount } from '../../../src/model/backend';
import { InferenceClient, serveInference } from '../../../src/model/inference-protocol';
import { loadActionModel, loadManifest, onnxLocation } from '../../../src/model/load';
import { validateManifest, type ModelManifest } from '../../../src/model/manifest';
import { ActionModel } from '../../../src/model/session';
import { poseFrameToCanonical, WindowAssembler, windowConfigForModel, type SkeletonWindow } from '../../../src/window';
import { MODEL_MANIFEST, MODEL_PRESENT, readFileBytes } from './model-fixture';
import { poseFrame } from './pose-helpers';

async function fixture(): Promise<{ manifest: ModelManifest; bytes: Uint8Array<ArrayBuffer> }> {
  const manifest = await loadManifest(MODEL_MANIFEST, readFileBytes);
  return { manifest, bytes: await readFileBytes(onnxLocation(MODEL_MANIFEST, manifest)) };
}

/** A window of a person walking right, made the way the app makes one. */
function walkingWindow(manifest: ModelManifest): SkeletonWindow {
  const assembler = new WindowAssembler(windowConfigForModel(manifest.input));
  const windows: SkeletonWindow[] = [];
  for (let i = 0; windows.length === 0; i++) {
    windows.push(...assembler.push(poseFrameToCanonical(poseFrame((i * 1000) / manifest.input.fps, [-0.3 + i * 0.005]))).windows);
  }
  return windows[0]!;
}

const sum = (values: Float32Array) => values.reduce((a, b) => a + b, 0);

describe('wasmThreadCount', () => {
  it('uses threads only in a cross-origin isolated page, half the cores, at most 4', () => {
    expect(wasmThreadCount({ crossOriginIsolated: false, hardwareConcurrency: 16 })).toBe(1);
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 2 })).toBe(1);
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 6 })).toBe(3);
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 16 })).toBe(4);
  });
});

describe.skipIf(!MODEL_PRESENT)(`ActionModel on ${MODEL_MANIFEST}`, () => {
  it('classifies a window: softmax probabilities, top-5, attention outputs, untrained flag', async () => {
    const model = await loadActionModel(MODEL_MANIFEST, readFileBytes);
    try {
      const window = walkingWindow(model.manifest);
      const prediction = (await model.classify(window))!;
      const labels = model.manifest.labels;
      expect(prediction.personId).toBe(window.personId);
      expect(prediction.t).toBe(window.t);
      expect(prediction.probabilities).toHaveLength(labels.length);
      expect(sum(prediction.probabilities)).toBeCloseTo(1, 5);
      expect(prediction.top).toHaveLength(Math.min(5, labels.length));
      expect(prediction.top[0]!.p).toBe(Math.max(...prediction.probabilities));
      expect(prediction.untrained).toBe(!model.manifest.trained);
      expect(prediction.modelMs).toBeGreaterThan(0);
      const { window: frames } = model.manifest.input;
      if (model.manifest.outputs.frame_importance) expect(sum(prediction.frameImportance!)).toBeCloseTo(1, 4);
      if (model.manifest.outputs.temporal_attention) expect(prediction.temporalAttention).toHaveLength(frames * frames);
      const short = { ...window, raw: { ...window.raw, frames: 32, data: window.raw.data.subarray(0, window.raw.data.length / 2) } };
      await expect(model.classify(short)).rejects.toThrow(/takes windows of 64 frames × 1 persons, got 32 × 1/);
      // Same input, same output: nothing is left over between runs.
      const again = (await model.classify(window))!;
      expect(Array.from(again.probabilities)).toEqual(Array.from(prediction.probabilities));
    } finally {
      await model.release();
    }
  });

  it('rejects a file that is not ONNX', async () => {
    const { manifest } = await fixture();
    const text = new TextEncoder().encode('<html>404 Not Found</html>');
    await expect(ActionModel.load(manifest, text, { source: 'models/x.onnx' })).rejects.toThrow(/models\/x.onnx: not an ONNX model/);
  });

  it('rejects a truncated file by its sha256, and says what ONNX Runtime thinks of it', async () => {
    const { manifest, bytes } = await fixture();
    const truncated = bytes.slice(0, bytes.length >> 1);
    await expect(ActionModel.load(manifest, truncated)).rejects.toThrow(/sha256 [0-9a-f]{64} differs from the manifest's/);
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', truncated)).toString('hex');
    const matching = { ...manifest, onnx: { ...manifest.onnx, sha256: digest } };
    await expect(ActionModel.load(matching, truncated)).rejects.toThrow(/ONNX Runtime \(wasm\) cannot load it/);
  });

  it('rejects a manifest that does not describe the model', async () => {
    const { manifest, bytes } = await fixture();
    const renamed = { ...manifest, input: { ...manifest.input, name: 'joints' } };
    await expect(ActionModel.load(renamed, bytes)).rejects.toThrow(/input "joints" is not in the model \(it has: skeleton\)/);
    const fewerLabels = validateManifest({ ...manifest, labels: manifest.labels.slice(0, 4), outputs: { logits: { name: 'logits', shape: [1, 4] } } });
    await expect(ActionModel.load(fewerLabels, bytes)).rejects.toThrow(/output logits "logits" has shape \[1, \d+\] in the model but \[1, 4\] in the manifest/);
  });

  it('picks WASM without WebGPU, and falls back to it when WebGPU cannot run the model', async () => {
    const { manifest, bytes } = await fixture();
    const plain = await loadFastestModel(manifest, bytes, { crossOriginIsolated: false, hardwareConcurrency: 2 }, { runs: 2 });
    expect(plain.report).toMatchObject({ backend: 'wasm', wasmThreads: 1, reason: 'WebGPU is not available in this browser' });
    expect(plain.report.timings.wasm).toBeGreaterThan(0);
    await plain.model.release();

    const noAdapter = { gpu: { requestAdapter: async () => null }, crossOriginIsolated: false, hardwareConcurrency: 2 };
    const second = await loadFastestModel(manifest, bytes, noAdapter, { runs: 1 });
    expect(second.report.reason).toBe('WebGPU gives no adapter');
    await second.model.release();

    const software = { gpu: { requestAdapter: async () => ({ info: { architecture: 'swiftshader', isFallbackAdapter: true } }) }, crossOriginIsolated: false, hardwareConcurrency: 2 };
    const fourth = await loadFastestModel(manifest, bytes, software, { runs: 1 });
    expect(fourth.report).toMatchObject({ backend: 'wasm', reason: 'the WebGPU adapter is a software fallback (no GPU)' });
    await fourth.model.release();

    // onnxruntime-web's Node build has no WebGPU backend: the session fails and WASM stays.
    const adapter = { gpu: { requestAdapter: async () => ({}) }, crossOriginIsolated: false, hardwareConcurrency: 2 };
    const third = await loadFastestModel(manifest, bytes, adapter, { runs: 1 });
    expect(third.report.backend).toBe('wasm');
    expect(third.report.reason).toMatch(/^WebGPU failed to run the model: /);
    await third.model.release();
  });

  it('serves the model over the worker protocol', async () => {
    const { port1, port2 } = new MessageChannel();
    serveInference(port2 as unknown as MessagePort, readFileBytes, () => ({ crossOriginIsolated: false, hardwareConcurrency: 2 }));
    const client = new InferenceClient(port1 as unknown as MessagePort);
    try {
      const { manifest } = await fixture();
      await expect(client.classify([walkingWindow(manifest)])).rejects.toThrow(/no model loaded/);
      const loaded = await client.load(MODEL_MANIFEST);
      expect(loaded.backend.backend).toBe('wasm');
      const sent = [walkingWindow(manifest), walkingWindow(manifest)];
      const predictions = await client.classify(sent);
      expect(predictions).toHaveLength(2);
      expect(predictions[0]!.probabilities).toHaveLength(manifest.labels.length);
      expect(sent[0]!.raw.data.length, 'the window buffers were transferred, not copied').toBe(0);
      await expect(client.load('models/missing.json')).rejects.toThrow(/cannot read the model manifest models\/missing.json/);
      await client.release();
    } finally {
      client.dispose();
      port1.close();
    }
  });

  it('names a missing manifest file', async () => {
    await expect(loadActionModel('models/nope.json', async (path) => new Uint8Array(await readFile(path)))).rejects.toThrow(/cannot read the model manifest models\/nope.json: ENOENT/);
  });
});
