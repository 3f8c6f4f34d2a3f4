import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEDIAPIPE_DIR, POSE_BUNDLES, POSE_MANIFEST_PATH, sha256 } from '../../../scripts/setup-assets';
import {
  addTfliteMetadata,
  countTfliteBuffers,
  readTfliteBuffer,
  readTfliteMetadata,
  readTfliteMetadataBuffer,
  TfliteFormatError,
} from '../../../scripts/tflite-metadata';
import { readStoredZip } from '../../../scripts/zip-store';

/**
 * A tiny model laid out like the TFLite converter writes one: root offset, "TFL3", Model vtable and table,
 * metadata vector and tables, buffers vector, then (the "back") Buffer tables with 16-aligned data, a
 * description string and an empty subgraphs vector.
 */
function syntheticModel(): { model: Uint8Array; backStart: number } {
  const bytes = new Uint8Array(512);
  const view = new DataView(bytes.buffer);
  const u16 = (p: number, v: number) => view.setUint16(p, v, true);
  const u32 = (p: number, v: number) => view.setUint32(p, v, true);
  const offset = (p: number, target: number) => u32(p, target - p);
  const ascii = (p: number, s: string) => bytes.set(new TextEncoder().encode(s), p);

  // The Model vtable (7 fields) takes bytes 8..26, so the Model table starts at 28.
  u32(0, 28);
  ascii(4, 'TFL3');
  const vtable = 8;
  u16(vtable, 4 + 2 * 7);
  u16(vtable + 2, 24);
  [4, 0, 8, 12, 16, 0, 20].forEach((fieldOffset, i) => u16(vtable + 4 + 2 * i, fieldOffset));
  const model = 28;
  view.setInt32(model, model - vtable, true);
  u32(model + 4, 3); // version
  // metadata vector at 52 with one Metadata table
  const metadataVector = 52;
  offset(model + 20, metadataVector);
  u32(metadataVector, 1);
  const metadataVtable = 60; // [8, 12, 4, 8]
  u16(metadataVtable, 8);
  u16(metadataVtable + 2, 12);
  u16(metadataVtable + 4, 4);
  u16(metadataVtable + 6, 8);
  const metadataTable = 68;
  offset(metadataVector + 4, metadataTable);
  view.setInt32(metadataTable, metadataTable - metadataVtable, true);
  const name = 80;
  offset(metadataTable + 4, name);
  u32(metadataTable + 8, 1); // buffer 1
  u32(name, 19);
  ascii(name + 4, 'min_runtime_version');
  // buffers vector at 104 (2 entries) → back section starts at 116
  const buffersVector = 104;
  offset(model + 16, buffersVector);
  u32(buffersVector, 2);
  const backStart = buffersVector + 12;
  // back: shared Buffer vtable [6, 8, 4], an empty Buffer (no data field: vtable [4, 4]), a Buffer with data
  const emptyVtable = 116;
  u16(emptyVtable, 4);
  u16(emptyVtable + 2, 4);
  const emptyBuffer = 120;
  view.setInt32(emptyBuffer, emptyBuffer - emptyVtable, true);
  offset(buffersVector + 4, emptyBuffer);
  const dataVtable = 124;
  u16(dataVtable, 6);
  u16(dataVtable + 2, 8);
  u16(dataVtable + 4, 4);
  const dataBuffer = 132;
  view.setInt32(dataBuffer, dataBuffer - dataVtable, true);
  offset(buffersVector + 8, dataBuffer);
  const data = 156; // data starts at 160: 16-aligned
  offset(dataBuffer + 4, data);
  u32(data, 5);
  ascii(data + 4, '1.5.0');
  const description = 168;
  offset(model + 12, description);
  u32(description, 4);
  ascii(description + 4, 'test');
  const subgraphs = 180;
  offset(model + 8, subgraphs);
  u32(subgraphs, 0);
  return { model: bytes.slice(0, 184), backStart };
}

describe('TFLite metadata patcher (synthetic model)', () => {
  const { model, backStart } = syntheticModel();
  const payload = new TextEncoder().encode('{"name":"pose landmarks","normalization":[127.5]}');

  it('reads metadata entries and buffers', () => {
    expect(readTfliteMetadata(model)).toEqual([{ name: 'min_runtime_version', buffer: 1 }]);
    expect(countTfliteBuffers(model)).toBe(2);
    expect(readTfliteBuffer(model, 0)).toHaveLength(0);
    expect(new TextDecoder().decode(readTfliteMetadataBuffer(model, 'min_runtime_version'))).toBe('1.5.0');
  });

  it('adds a buffer and a metadata entry pointing at it, keeping every other buffer', () => {
    const patched = addTfliteMetadata(model, 'TFLITE_METADATA', payload);
    expect(readTfliteMetadata(patched)).toEqual([
      { name: 'min_runtime_version', buffer: 1 },
      { name: 'TFLITE_METADATA', buffer: 2 },
    ]);
    expect(countTfliteBuffers(patched)).toBe(3);
    expect(readTfliteMetadataBuffer(patched, 'TFLITE_METADATA')).toEqual(payload);
    expect(readTfliteBuffer(patched, 0)).toHaveLength(0);
    expect(new TextDecoder().decode(readTfliteBuffer(patched, 1))).toBe('1.5.0');
  });

  it('copies the rest of the file unchanged, at the same alignment, and can be patched again', () => {
    const patched = addTfliteMetadata(model, 'TFLITE_METADATA', payload);
    const back = model.subarray(backStart);
    const newBackStart = patched.length - back.length;
    expect(patched.subarray(newBackStart)).toEqual(back);
    expect(newBackStart % 16).toBe(backStart % 16);
    // Root offset and Model fields that point into the back section are moved with it.
    const view = new DataView(patched.buffer, patched.byteOffset);
    const root = view.getUint32(0, true);
    expect(new TextDecoder().decode(patched.subarray(4, 8))).toBe('TFL3');
    expect(view.getUint32(root + 4, true)).toBe(3); // version kept
    const twice = addTfliteMetadata(patched, 'another', new Uint8Array([1, 2, 3]));
    expect(readTfliteMetadata(twice).map((entry) => entry.name)).toEqual(['min_runtime_version', 'TFLITE_METADATA', 'another']);
    expect(readTfliteMetadataBuffer(twice, 'TFLITE_METADATA')).toEqual(payload);
  });

  it('puts the new data 16-byte aligned (Buffer.data has force_align 16)', () => {
    const patched = addTfliteMetadata(model, 'TFLITE_METADATA', payload);
    const data = readTfliteMetadataBuffer(patched, 'TFLITE_METADATA');
    expect(data.byteOffset % 16).toBe(patched.byteOffset % 16);
  });

  it('is deterministic', () => {
    expect(addTfliteMetadata(model, 'TFLITE_METADATA', payload)).toEqual(addTfliteMetadata(model, 'TFLITE_METADATA', payload));
  });

  it('refuses non-TFLite input, truncated files and duplicate entries with clear errors', () => {
    expect(() => readTfliteMetadata(new TextEncoder().encode('PK\x03\x04 not a model'))).toThrow(/not a TFLite model/);
    expect(() => readTfliteMetadata(model.subarray(0, 100))).toThrow(TfliteFormatError);
    expect(() => addTfliteMetadata(model, 'min_runtime_version', payload)).toThrow(/already has/);
    expect(() => readTfliteMetadataBuffer(model, 'TFLITE_METADATA')).toThrow(/no metadata entry/);
  });
});

// The real bundles exist after `npm run setup` (run by npm install / npm ci, so always in CI).
const haveAssets = existsSync(POSE_MANIFEST_PATH);
describe.skipIf(!haveAssets && !process.env.CI)('pose bundles built by npm run setup', () => {
  const bundle = (file: string) => readFileSync(join(MEDIAPIPE_DIR, file));

  it('match the pinned sha256 and the manifest', () => {
    const manifest = JSON.parse(readFileSync(POSE_MANIFEST_PATH, 'utf8')) as { bundles: Array<{ file: string; sha256: string }> };
    for (const spec of POSE_BUNDLES) {
      expect(sha256(bundle(spec.file)), spec.file).toBe(spec.sha256);
      expect(manifest.bundles.find((entry) => entry.file === spec.file)?.sha256).toBe(spec.sha256);
    }
  });

  it('lite and heavy carry the official TFLITE_METADATA and detector, with all original buffers', () => {
    const official = readStoredZip(bundle('pose_landmarker_full.task'));
    const officialMetadata = readTfliteMetadataBuffer(official.get('pose_landmarks_detector.tflite') as Uint8Array, 'TFLITE_METADATA');
    expect(officialMetadata).toHaveLength(888);
    for (const file of ['pose_landmarker_lite.task', 'pose_landmarker_heavy.task']) {
      const entries = readStoredZip(bundle(file));
      expect([...entries.keys()]).toEqual(['pose_detector.tflite', 'pose_landmarks_detector.tflite']);
      // Buffer.equals: vitest's deep equality walks large typed arrays element by element.
      expect(Buffer.from(entries.get('pose_detector.tflite') as Uint8Array).equals(official.get('pose_detector.tflite') as Uint8Array)).toBe(true);
      const landmarks = entries.get('pose_landmarks_detector.tflite') as Uint8Array;
      expect(Buffer.from(readTfliteMetadataBuffer(landmarks, 'TFLITE_METADATA')).equals(officialMetadata)).toBe(true);
      expect(readTfliteMetadata(landmarks).map((entry) => entry.name)).toEqual([
        'min_runtime_version',
        'reduced_precision_support',
        'TFLITE_METADATA',
      ]);
    }
  });
});
