import { describe, expect, it } from 'vitest';
import { crc32, readStoredZip, writeStoredZip, ZipFormatError } from '../../../scripts/zip-store';

const text = (value: string) => new TextEncoder().encode(value);

describe('stored zip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('writes entries that read back identically, in order', () => {
    const entries = [
      { name: 'pose_detector.tflite', data: text('detector bytes') },
      { name: 'pose_landmarks_detector.tflite', data: new Uint8Array(1000).map((_, i) => i % 251) },
      { name: 'empty', data: new Uint8Array(0) },
    ];
    const archive = writeStoredZip(entries);
    const read = readStoredZip(archive);
    expect([...read.keys()]).toEqual(entries.map((entry) => entry.name));
    for (const entry of entries) expect(read.get(entry.name)).toEqual(entry.data);
  });

  it('is deterministic (fixed timestamps)', () => {
    const entries = [{ name: 'a.txt', data: text('same') }];
    expect(writeStoredZip(entries)).toEqual(writeStoredZip(entries));
  });

  it('lays out local headers the way unzip expects: signature, stored method, sizes', () => {
    const archive = writeStoredZip([{ name: 'x', data: text('abc') }]);
    const view = new DataView(archive.buffer);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(0); // stored
    expect(view.getUint32(18, true)).toBe(3);
    expect(view.getUint32(22, true)).toBe(3);
    expect(new TextDecoder().decode(archive.subarray(31, 34))).toBe('abc');
  });

  it('finds entries through the central directory even with leading bytes (as in Google .task files)', () => {
    const archive = writeStoredZip([{ name: 'x', data: text('abc') }]);
    const prefixed = new Uint8Array(archive.length + 2);
    prefixed.set(archive, 2);
    // Offsets in the directory are absolute: shift them like a real prefixed archive has them.
    const view = new DataView(prefixed.buffer);
    const end = prefixed.length - 22;
    const directory = view.getUint32(end + 16, true) + 2;
    view.setUint32(end + 16, directory, true);
    view.setUint32(directory + 42, view.getUint32(directory + 42, true) + 2, true);
    expect(readStoredZip(prefixed).get('x')).toEqual(text('abc'));
  });

  it('rejects duplicate names, non-zip input, corrupt data and compressed entries with clear errors', () => {
    expect(() => writeStoredZip([{ name: 'a', data: text('1') }, { name: 'a', data: text('2') }])).toThrow(/duplicate/);
    expect(() => readStoredZip(text('definitely not a zip archive'))).toThrow(ZipFormatError);
    expect(() => readStoredZip(new Uint8Array(3))).toThrow(/not a zip archive/);

    const corrupt = writeStoredZip([{ name: 'x', data: text('abc') }]);
    corrupt[31] = 'X'.charCodeAt(0);
    expect(() => readStoredZip(corrupt)).toThrow(/CRC/);

    const compressed = writeStoredZip([{ name: 'x', data: text('abc') }]);
    const view = new DataView(compressed.buffer);
    const directory = view.getUint32(compressed.length - 22 + 16, true);
    view.setUint16(directory + 10, 8, true); // deflate
    expect(() => readStoredZip(compressed)).toThrow(/compressed/);
  });
});
