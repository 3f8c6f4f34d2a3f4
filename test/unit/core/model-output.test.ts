import { mkdtemp } from 'node:fs/promises';
import { MessageChannel } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InferenceClient } from '../../../src/model/inference-protocol';
import { loadActionModel } from '../../../src/model/load';
import { checkedOutput, ModelOutputError } from '../../../src/model/output-check';
import { poseFrameToCanonical, WindowAssembler, windowConfigForModel, type SkeletonWindow } from '../../../src/window';
import { writeCorruptModel } from './corrupt-model';
import { MODEL_MANIFEST, MODEL_PRESENT, readFileBytes } from './model-fixture';
import { poseFrame } from './pose-helpers';

describe('checkedOutput (where the session returns the outputs)', () => {
  const tensor = (data: Float32Array, dims: number[]) => ({ type: 'float32', dims, data });

  it('passes finite values of the manifest shape, as a copy', () => {
    const data = new Float32Array([0.5, -2, 3]);
    const checked = checkedOutput('m', 'logits', [1, 3], tensor(data, [1, 3]));
    expect(Array.from(checked)).toEqual([0.5, -2, 3]);
    expect(checked.buffer).not.toBe(data.buffer);
  });

  it('rejects NaN and infinities, another shape, another type and a missing output, naming the output', () => {
    expect(() => checkedOutput('m', 'logits', [1, 3], tensor(new Float32Array([0, Number.NaN, Infinity]), [1, 3]))).toThrow(
      /model "m" output "logits" has 2 non-finite value\(s\) of 3 \(first: NaN at 1\): its weights are corrupt/,
    );
    expect(() => checkedOutput('m', 'logits', [1, 3], tensor(new Float32Array(4), [1, 4]))).toThrow(
      /output "logits" has shape \[1, 4\] \(4 values\), the manifest says \[1, 3\]/,
    );
    expect(() => checkedOutput('m', 'logits', [1, 3], { type: 'int64', dims: [1, 3], data: new BigInt64Array(3) })).toThrow(/is int64, not float32/);
    expect(() => checkedOutput('m', 'logits', [1, 3], undefined)).toThrow(ModelOutputError);
  });
});

describe.skipIf(!MODEL_PRESENT)('a corrupt model whose sha256 matches its manifest', () => {
  it('loads, but every window is rejected instead of classified as "standing NaN"', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sentinel-corrupt-'));
    const manifestFile = writeCorruptModel(MODEL_MANIFEST, folder, 'corrupt-weights');
    const model = await loadActionModel(join(folder, manifestFile), readFileBytes);
    try {
      const assembler = new WindowAssembler(windowConfigForModel(model.manifest.input));
      let window: SkeletonWindow | undefined;
      for (let i = 0; !window; i++) window = assembler.push(poseFrameToCanonical(poseFrame((i * 1000) / 30, [-0.3 + i * 0.005]))).windows[0];
      await expect(model.classify(window)).rejects.toThrow(/model "corrupt-weights" output "\w+" has \d+ non-finite value\(s\).*corrupt/);
    } finally {
      await model.release();
    }
  });
});

describe('InferenceClient when its worker crashes', () => {
  it('fails the waiting request and every later one instead of leaving them pending', async () => {
    const { port1, port2 } = new MessageChannel(); // port2: a worker that never answers
    const client = new InferenceClient(port1 as unknown as MessagePort);
    const waiting = client.classify([]);
    client.fail(new Error('model worker crashed: injected'));
    await expect(waiting).rejects.toThrow('model worker crashed: injected');
    await expect(client.classify([])).rejects.toThrow('model worker crashed: injected');
    client.dispose();
    port1.close();
    port2.close();
  });
});
