// Minimal ZIP reader/writer for "stored" (uncompressed) archives, the format of MediaPipe `.task` bundles.
// Written here rather than pulled in as a dependency: a .task file needs nothing but stored entries.

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
const END_OF_CENTRAL_DIRECTORY_SIZE = 22;
const MAX_COMMENT_LENGTH = 0xffff;
const VERSION_NEEDED = 20; // 2.0: plain stored entries
const METHOD_STORED = 0;
const FLAG_UTF8_NAMES = 0x0800;
// Fixed timestamp (1980-01-01 00:00, the DOS epoch) so the same inputs always give the same bytes.
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1;
const MAX_ZIP32 = 0xffffffff;

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A stored (uncompressed) ZIP archive of `entries`, in the given order. Deterministic. */
export function writeStoredZip(entries: readonly ZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const prepared = entries.map((entry) => ({ ...entry, encodedName: encoder.encode(entry.name), crc: crc32(entry.data) }));
  const names = new Set<string>();
  for (const entry of prepared) {
    if (names.has(entry.name)) throw new ZipFormatError(`duplicate zip entry name "${entry.name}"`);
    names.add(entry.name);
  }
  const localSize = prepared.reduce((sum, e) => sum + 30 + e.encodedName.length + e.data.length, 0);
  const centralSize = prepared.reduce((sum, e) => sum + 46 + e.encodedName.length, 0);
  if (localSize + centralSize > MAX_ZIP32 || prepared.length > 0xffff) {
    throw new ZipFormatError('archive too large for a ZIP32 file');
  }
  const out = new Uint8Array(localSize + centralSize + END_OF_CENTRAL_DIRECTORY_SIZE);
  const view = new DataView(out.buffer);
  let position = 0;
  const localOffsets: number[] = [];

  for (const entry of prepared) {
    localOffsets.push(position);
    view.setUint32(position, LOCAL_HEADER_SIGNATURE, true);
    view.setUint16(position + 4, VERSION_NEEDED, true);
    view.setUint16(position + 6, FLAG_UTF8_NAMES, true);
    view.setUint16(position + 8, METHOD_STORED, true);
    view.setUint16(position + 10, DOS_TIME, true);
    view.setUint16(position + 12, DOS_DATE, true);
    view.setUint32(position + 14, entry.crc, true);
    view.setUint32(position + 18, entry.data.length, true);
    view.setUint32(position + 22, entry.data.length, true);
    view.setUint16(position + 26, entry.encodedName.length, true);
    view.setUint16(position + 28, 0, true);
    out.set(entry.encodedName, position + 30);
    out.set(entry.data, position + 30 + entry.encodedName.length);
    position += 30 + entry.encodedName.length + entry.data.length;
  }

  const centralStart = position;
  prepared.forEach((entry, i) => {
    view.setUint32(position, CENTRAL_HEADER_SIGNATURE, true);
    view.setUint16(position + 4, VERSION_NEEDED, true);
    view.setUint16(position + 6, VERSION_NEEDED, true);
    view.setUint16(position + 8, FLAG_UTF8_NAMES, true);
    view.setUint16(position + 10, METHOD_STORED, true);
    view.setUint16(position + 12, DOS_TIME, true);
    view.setUint16(position + 14, DOS_DATE, true);
    view.setUint32(position + 16, entry.crc, true);
    view.setUint32(position + 20, entry.data.length, true);
    view.setUint32(position + 24, entry.data.length, true);
    view.setUint16(position + 28, entry.encodedName.length, true);
    // extra length, comment length, disk number, internal and external attributes stay 0
    view.setUint32(position + 42, localOffsets[i] as number, true);
    out.set(entry.encodedName, position + 46);
    position += 46 + entry.encodedName.length;
  });

  view.setUint32(position, END_OF_CENTRAL_DIRECTORY_SIGNATURE, true);
  view.setUint16(position + 8, prepared.length, true);
  view.setUint16(position + 10, prepared.length, true);
  view.setUint32(position + 12, position - centralStart, true);
  view.setUint32(position + 16, centralStart, true);
  return out;
}

/**
 * Entries of a ZIP archive whose entries are all stored (uncompressed), found through the central directory
 * (so leading bytes before the first entry, as in Google's .task files, are fine). Checks each CRC.
 */
export function readStoredZip(archive: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const u16 = (position: number) => view.getUint16(position, true);
  const u32 = (position: number) => view.getUint32(position, true);
  const inBounds = (position: number, size: number) => position >= 0 && position + size <= archive.length;

  const notZip = new ZipFormatError('not a zip archive (no end-of-central-directory record)');
  if (archive.length < END_OF_CENTRAL_DIRECTORY_SIZE) throw notZip;
  let end = archive.length - END_OF_CENTRAL_DIRECTORY_SIZE;
  const lowest = Math.max(0, end - MAX_COMMENT_LENGTH);
  while (end >= lowest && u32(end) !== END_OF_CENTRAL_DIRECTORY_SIGNATURE) end--;
  if (end < lowest) throw notZip;

  const count = u16(end + 10);
  let position = u32(end + 16);
  const decoder = new TextDecoder();
  const entries = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    if (!inBounds(position, 46) || u32(position) !== CENTRAL_HEADER_SIGNATURE) {
      throw new ZipFormatError(`corrupt zip central directory (entry ${i})`);
    }
    const method = u16(position + 10);
    const crc = u32(position + 16);
    const compressedSize = u32(position + 20);
    const size = u32(position + 24);
    const nameLength = u16(position + 28);
    const centralExtraLength = u16(position + 30);
    const commentLength = u16(position + 32);
    const localOffset = u32(position + 42);
    if (!inBounds(position + 46, nameLength)) throw new ZipFormatError(`corrupt zip central directory (entry ${i})`);
    const name = decoder.decode(archive.subarray(position + 46, position + 46 + nameLength));
    if (method !== METHOD_STORED || compressedSize !== size) {
      throw new ZipFormatError(`zip entry "${name}" is compressed (method ${method}); only stored entries are supported`);
    }
    if (!inBounds(localOffset, 30) || u32(localOffset) !== LOCAL_HEADER_SIGNATURE) {
      throw new ZipFormatError(`zip entry "${name}" has no local header at byte ${localOffset}`);
    }
    const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    if (!inBounds(dataStart, size)) throw new ZipFormatError(`zip entry "${name}" is truncated`);
    const data = archive.subarray(dataStart, dataStart + size);
    if (crc32(data) !== crc) throw new ZipFormatError(`zip entry "${name}" fails its CRC check`);
    entries.set(name, data);
    position += 46 + nameLength + centralExtraLength + commentLength;
  }
  return entries;
}
