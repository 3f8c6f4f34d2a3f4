/**
 * ONNX parity: every model config in training/configs is exported by `python -m training.parity` (fixed random
 * weights and batch-norm statistics, a fixed input and PyTorch's outputs), then run with onnxruntime-node and
 * with onnxruntime-web's wasm backend in Node. Every output must match PyTorch within 1e-4 (times its largest
 * magnitude where that exceeds 1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOLERANCE = 1e-4;
const CONFIG_DIR = 'training/configs';
const configNames = readdirSync(CONFIG_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

interface Fixture {
  name: string;
  window: number;
  onnx: string;
  input: { name: string; shape: number[]; file: string };
  outputs: Record<string, { shape: number[]; file: string }>;
}

let dir = '';
const fixtures = new Map<string, Fixture>();

function readFloats(file: string): Float32Array {
  const bytes = readFileSync(join(dir, file));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
}

function maxAbsDiff(actual: ArrayLike<number>, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(Number(actual[i]) - expected[i]!));
  return worst;
}

type Outputs = Record<string, { dims: readonly number[]; data: unknown }>;

function expectParity(fixture: Fixture, outputs: Outputs): void {
  for (const [key, spec] of Object.entries(fixture.outputs)) {
    const output = outputs[key];
    expect(output, `output ${key}`).toBeDefined();
    expect([...output!.dims]).toEqual(spec.shape);
    const expected = readFloats(spec.file);
    const diff = maxAbsDiff(output!.data as Float32Array, expected);
    // float32 keeps ~7 significant digits: with random BN statistics some deep paper models (the per-partition
    // Â_p graphs) reach logits in the thousands, where 1e-4 absolute is below one ulp; scale the bound there.
    const scale = expected.reduce((largest, value) => Math.max(largest, Math.abs(value)), 1);
    expect(diff, `${fixture.name} ${key}: max |ONNX − PyTorch| (outputs up to ${scale})`).toBeLessThanOrEqual(TOLERANCE * scale);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-parity-'));
  execFileSync('scripts/python.sh', ['-m', 'training.parity', dir, '--configs', ...configNames], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 600_000,
  });
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { models: Fixture[] };
  for (const fixture of index.models) fixtures.set(fixture.name, fixture);
  ortWeb.env.wasm.numThreads = 1;
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(configNames)('%s', (name) => {
  it('onnxruntime-node matches PyTorch', async () => {
    const fixture = fixtures.get(name)!;
    const session = await ortNode.InferenceSession.create(join(dir, fixture.onnx));
    const input = new ortNode.Tensor('float32', readFloats(fixture.input.file), fixture.input.shape);
    expectParity(fixture, await session.run({ [fixture.input.name]: input }));
    await session.release();
  });

  it('onnxruntime-web (wasm, 1 thread) matches PyTorch', async () => {
    const fixture = fixtures.get(name)!;
    const session = await ortWeb.InferenceSession.create(readFileSync(join(dir, fixture.onnx)), {
      executionProviders: ['wasm'],
    });
    const input = new ortWeb.Tensor('float32', readFloats(fixture.input.file), fixture.input.shape);
    expectParity(fixture, await session.run({ [fixture.input.name]: input }));
    await session.release();
  });
});
