/**
 * A corrupt model that still loads: every float weight of an ONNX file set to NaN in place (same length, so the
 * protobuf stays valid), with a manifest whose sha256 matches the corrupt bytes. What a bad export or a disk error
 * behind a re-computed checksum looks like to the app.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const FLOAT = 1;

function varint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let next = at;
  for (;;) {
    const byte = bytes[next++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, next];
    shift += 7;
  }
}

/** Calls `visit(field, start, end)` for each length-delimited field of the message in bytes[from, to); varints too. */
function fields(bytes: Uint8Array, from: number, to: number, visit: (field: number, start: number, end: number, varintValue?: number) => void): void {
  let at = from;
  while (at < to) {
    const [key, afterKey] = varint(bytes, at);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const [value, next] = varint(bytes, afterKey);
      visit(field, afterKey, next, value);
      at = next;
    } else if (wire === 2) {
      const [length, start] = varint(bytes, afterKey);
      visit(field, start, start + length);
      at = start + length;
    } else if (wire === 1) at = afterKey + 8;
    else if (wire === 5) at = afterKey + 4;
    else throw new Error(`corrupt-model: unsupported wire type ${wire}`);
  }
}

/** Sets every float initializer (raw_data or float_data) of the ONNX bytes to NaN; returns how many. */
export function poisonWeights(onnx: Uint8Array): number {
  const view = new DataView(onnx.buffer, onnx.byteOffset, onnx.byteLength);
  let poisoned = 0;
  fields(onnx, 0, onnx.length, (modelField, graphStart, graphEnd) => {
    if (modelField !== 7 || graphEnd === graphStart) return; // ModelProto.graph
    fields(onnx, graphStart, graphEnd, (graphField, start, end) => {
      if (graphField !== 5) return; // GraphProto.initializer
      let dataType = 0;
      const payloads: Array<[number, number]> = [];
      fields(onnx, start, end, (tensorField, from, to, value) => {
        if (tensorField === 2 && value !== undefined) dataType = value;
        if ((tensorField === 9 || tensorField === 4) && value === undefined) payloads.push([from, to]);
      });
      if (dataType !== FLOAT) return;
      for (const [from, to] of payloads) for (let at = from; at + 4 <= to; at += 4) view.setFloat32(at, Number.NaN, true);
      poisoned += payloads.length > 0 ? 1 : 0;
    });
  });
  return poisoned;
}

/** A poisoned copy of `file` (beside the manifest) as `target` in `folder`, with its new sha256. */
function poisonedCopy(manifestPath: string, file: string, folder: string, target: string): { file: string; sha256: string } {
  const onnx = new Uint8Array(readFileSync(join(manifestPath, '..', file)));
  if (poisonWeights(onnx) === 0) throw new Error(`corrupt-model: ${file} has no float initializers`);
  writeFileSync(join(folder, target), onnx);
  return { file: target, sha256: createHash('sha256').update(onnx).digest('hex') };
}

/**
 * Writes `<name>.onnx` (and `<name>.stream.onnx` for a streaming model: the app runs that one) and `<name>.json`
 * into `folder` from the manifest at `manifestPath`; returns the manifest file name.
 */
export function writeCorruptModel(manifestPath: string, folder: string, name: string, overrides: Record<string, unknown> = {}): string {
  type OnnxRef = { file: string; sha256: string };
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; onnx: OnnxRef; streaming?: { onnx: OnnxRef } };
  const corrupt = { ...manifest, ...overrides, name, onnx: { ...manifest.onnx, ...poisonedCopy(manifestPath, manifest.onnx.file, folder, `${name}.onnx`) } };
  if (manifest.streaming) {
    const stream = poisonedCopy(manifestPath, manifest.streaming.onnx.file, folder, `${name}.stream.onnx`);
    corrupt.streaming = { ...manifest.streaming, onnx: { ...manifest.streaming.onnx, ...stream } };
  }
  writeFileSync(join(folder, `${name}.json`), JSON.stringify(corrupt, null, 2));
  return basename(`${name}.json`);
}
