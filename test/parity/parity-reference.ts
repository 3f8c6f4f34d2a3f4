/**
 * Test support: checks an exported ONNX model against the PyTorch reference the exporter wrote beside it
 * (NAME.parity.json, training/reference.py) with onnxruntime-node and onnxruntime-web's wasm backend.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { expect } from 'vitest';

interface EncodedTensor {
  shape: number[];
  /** base64 of little-endian float32, row-major */
  data: string;
}

export interface ParityReference {
  format: 'skeleton-sentinel-parity';
  version: 1;
  model: string;
  onnxSha256: string;
  source: { kind: 'checkpoint' | 'seed' | 'weights' | 'ensemble'; [key: string]: unknown };
  tolerance: number;
  input: EncodedTensor & { name: string };
  outputs: Record<string, EncodedTensor>;
}

export const RUNTIMES = ['onnxruntime-node', 'onnxruntime-web (wasm)'] as const;
export type Runtime = (typeof RUNTIMES)[number];

export function readReference(path: string): ParityReference {
  const document = JSON.parse(readFileSync(path, 'utf8')) as ParityReference;
  if (document.format !== 'skeleton-sentinel-parity') throw new Error(`${path} is not a skeleton-sentinel-parity file`);
  return document;
}

function decode(tensor: EncodedTensor): Float32Array {
  const bytes = Buffer.from(tensor.data, 'base64');
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
  expect(floats.length).toBe(tensor.shape.reduce((a, b) => a * b, 1));
  return floats;
}

/** Largest |ONNX − PyTorch| per output; fails on a missing output, a shape mismatch or a stale reference. */
export async function maxDifferences(onnxPath: string, reference: ParityReference, runtime: Runtime): Promise<Record<string, number>> {
  const bytes = readFileSync(onnxPath);
  expect(createHash('sha256').update(bytes).digest('hex'), `${reference.model}: the reference was written for this ONNX file`).toBe(reference.onnxSha256);
  ortWeb.env.wasm.numThreads = 1;
  const session =
    runtime === 'onnxruntime-node'
      ? await ortNode.InferenceSession.create(bytes)
      : await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const Tensor = runtime === 'onnxruntime-node' ? ortNode.Tensor : ortWeb.Tensor;
  const outputs = await session.run({ [reference.input.name]: new Tensor('float32', decode(reference.input), reference.input.shape) });
  await session.release();
  const differences: Record<string, number> = {};
  for (const [key, expected] of Object.entries(reference.outputs)) {
    const output = outputs[key];
    expect(output, `output ${key}`).toBeDefined();
    expect([...output!.dims], `${key} shape`).toEqual(expected.shape);
    const want = decode(expected);
    const got = output!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    differences[key] = worst;
  }
  return differences;
}

export async function expectParity(onnxPath: string, reference: ParityReference, runtime: Runtime): Promise<void> {
  const differences = await maxDifferences(onnxPath, reference, runtime);
  expect(Object.keys(differences).length).toBeGreaterThan(0);
  for (const [key, worst] of Object.entries(differences)) {
    expect(worst, `${reference.model} ${key}: max |ONNX − PyTorch| in ${runtime}`).toBeLessThanOrEqual(reference.tolerance);
  }
}
