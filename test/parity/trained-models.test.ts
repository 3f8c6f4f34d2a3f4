/**
 * Trained models against their PyTorch checkpoints: the exporter writes NAME.parity.json (training/reference.py)
 * with the checkpoint's outputs on a fixed input; here ONNX Runtime (node and web/wasm) must reproduce them.
 * Covers every trained model in models/ that has a reference, and tiny models trained and exported on the spot: one
 * stream (training.export) and a two-stream ensemble (training.ensemble).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/model/manifest';
import { expectParity, maxDifferences, readReference, RUNTIMES } from './parity-reference';

const MODELS_DIR = 'models';
/**
 * Trained models exported before the exporter wrote references, whose checkpoints are lost: they can only be checked
 * against PyTorch once re-trained and re-exported (docs/model-manifest.md, "parity"). Do not add to this list.
 */
const EXPORTED_WITHOUT_REFERENCE = ['ttr-lite', 'stbln-lite'];

interface ManifestJson {
  format?: string;
  name: string;
  trained: boolean;
  onnx: { file: string };
  parity?: { file: string; source: string };
}

const manifests = readdirSync(MODELS_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(MODELS_DIR, file), 'utf8')) as ManifestJson)
  .filter((manifest) => manifest.format === 'skeleton-sentinel-model');
const trained = manifests.filter((manifest) => manifest.trained);
const withReference = manifests.filter((manifest) => manifest.parity);

it('every trained model in models/ has a PyTorch reference, except the listed ones exported before references existed', () => {
  const missing = trained.filter((manifest) => !manifest.parity).map((manifest) => manifest.name).sort();
  expect(missing).toEqual([...EXPORTED_WITHOUT_REFERENCE].sort());
});

describe.each(withReference.map((manifest) => [manifest.name, manifest] as const))('%s', (_name, manifest) => {
  it.each(RUNTIMES)('matches its PyTorch reference in %s', async (runtime) => {
    const reference = readReference(join(MODELS_DIR, manifest.parity!.file));
    if (manifest.trained) expect(reference.source.kind).not.toBe('seed');
    await expectParity(join(MODELS_DIR, manifest.onnx.file), reference, runtime);
  });
});

describe('a tiny model trained and exported now', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sentinel-trained-'));
    execFileSync('scripts/python.sh', ['-m', 'training.tests.tiny_models', dir], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has a reference from its checkpoint', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'tiny-trained.json'), 'utf8')) as ManifestJson;
    expect(manifest.trained).toBe(true);
    expect(manifest.parity).toEqual({ file: 'tiny-trained.parity.json', source: 'checkpoint' });
    expect(existsSync(join(dir, 'tiny-trained.parity.json'))).toBe(true);
  });

  it.each(RUNTIMES)('matches its checkpoint in %s', async (runtime) => {
    await expectParity(join(dir, 'tiny-trained.onnx'), readReference(join(dir, 'tiny-trained.parity.json')), runtime);
  });

  it('the ensemble of a joints and a bones stream is a valid manifest the app reads, fed joints+bones', () => {
    const manifest = validateManifest(JSON.parse(readFileSync(join(dir, 'tiny-ensemble.json'), 'utf8')), 'tiny-ensemble.json');
    expect(manifest.family).toBe('ensemble');
    expect(manifest.input.features).toBe('joints+bones');
    expect(manifest.input.shape).toEqual([1, 6, 16, 25, 1]);
  });

  it.each(RUNTIMES)('the ensemble matches its streams\' PyTorch checkpoints in %s', async (runtime) => {
    const reference = readReference(join(dir, 'tiny-ensemble.parity.json'));
    expect(reference.source.kind).toBe('ensemble');
    await expectParity(join(dir, 'tiny-ensemble.onnx'), reference, runtime);
  });

  it('a reference whose logits are off by 1e-3 is caught', async () => {
    const reference = readReference(join(dir, 'tiny-trained.parity.json'));
    const logits = Buffer.from(reference.outputs.logits!.data, 'base64');
    const floats = new Float32Array(logits.buffer, logits.byteOffset, logits.byteLength / 4);
    floats[3] = floats[3]! + 1e-3;
    reference.outputs.logits!.data = Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
    const differences = await maxDifferences(join(dir, 'tiny-trained.onnx'), reference, 'onnxruntime-node');
    expect(differences.logits).toBeGreaterThan(reference.tolerance);
  });

  it('a reference written for another ONNX file is refused', async () => {
    const reference = readReference(join(dir, 'tiny-trained.parity.json'));
    const path = join(dir, 'stale.parity.json');
    writeFileSync(path, JSON.stringify({ ...reference, onnxSha256: '0'.repeat(64) }));
    await expect(expectParity(join(dir, 'tiny-trained.onnx'), readReference(path), 'onnxruntime-node')).rejects.toThrow(/reference was written for this ONNX/);
  });
});
