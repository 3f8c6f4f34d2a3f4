// Reads the metadata of a TFLite flatbuffer and adds a metadata entry backed by a new buffer.
//
// Why a patcher: the legacy @mediapipe/pose lite/heavy models lack the `TFLITE_METADATA` entry that
// tasks-vision needs (NormalizationOptions), so we copy it from the official full bundle.
//
// Flatbuffer offsets only point forward, so vectors cannot simply be extended at the end of the file.
// TFLite converters write the file back to front, which puts the Model table and its small vectors
// (metadata, metadata_buffer, buffers) at the front, before every Buffer table, subgraph and operator code.
// We re-serialise that front section (with the extra entries) and copy the rest of the file unchanged,
// keeping its 16-byte alignment; offsets from the front into the rest are recomputed.

const FILE_IDENTIFIER = 'TFL3';
const BUFFER_DATA_ALIGNMENT = 16; // schema.fbs: Buffer.data has force_align: 16

// Model table field indices (tensorflow/lite/schema/schema.fbs).
const MODEL_FIELD = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;
const MODEL_FIELD_COUNT = 8;
// Offset fields of Model that point into the part of the file that is copied unchanged.
const BACK_REFERENCE_FIELDS = [
  MODEL_FIELD.operatorCodes,
  MODEL_FIELD.subgraphs,
  MODEL_FIELD.description,
  MODEL_FIELD.signatureDefs,
] as const;

export interface TfliteMetadataEntry {
  name: string;
  buffer: number;
}

export class TfliteFormatError extends Error {
  override name = 'TfliteFormatError';
}

class FlatReader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private check(position: number, size: number, what: string): void {
    if (!Number.isInteger(position) || position < 0 || position + size > this.bytes.length) {
      throw new TfliteFormatError(`TFLite flatbuffer is truncated or corrupt (${what} at byte ${position})`);
    }
  }
  u16(position: number): number {
    this.check(position, 2, 'u16');
    return this.view.getUint16(position, true);
  }
  u32(position: number): number {
    this.check(position, 4, 'u32');
    return this.view.getUint32(position, true);
  }
  i32(position: number): number {
    this.check(position, 4, 'i32');
    return this.view.getInt32(position, true);
  }
  /** Target of the uoffset stored at `position`. */
  follow(position: number): number {
    const target = position + this.u32(position);
    this.check(target, 0, 'offset target');
    return target;
  }
  vtableOf(table: number): number {
    const vtable = table - this.i32(table);
    this.check(vtable, 4, 'vtable');
    return vtable;
  }
  /** Absolute position of field `index` of the table at `table`, or undefined when absent. */
  field(table: number, index: number): number | undefined {
    const vtable = this.vtableOf(table);
    const entry = 4 + 2 * index;
    if (entry >= this.u16(vtable)) return undefined;
    const offset = this.u16(vtable + entry);
    return offset === 0 ? undefined : table + offset;
  }
  fieldCount(table: number): number {
    return (this.u16(this.vtableOf(table)) - 4) / 2;
  }
  /** Byte range [start, end) a table occupies (not counting its vtable or children). */
  tableEnd(table: number): number {
    return table + this.u16(this.vtableOf(table) + 2);
  }
  vtableEnd(table: number): number {
    const vtable = this.vtableOf(table);
    return vtable + this.u16(vtable);
  }
  vectorLength(vector: number): number {
    return this.u32(vector);
  }
  /** Targets of a vector of offsets (tables or strings). */
  offsetVector(vector: number): number[] {
    const length = this.vectorLength(vector);
    this.check(vector + 4, 4 * length, 'vector');
    return Array.from({ length }, (_, i) => this.follow(vector + 4 + 4 * i));
  }
  string(position: number): string {
    const length = this.u32(position);
    this.check(position + 4, length, 'string');
    return new TextDecoder().decode(this.bytes.subarray(position + 4, position + 4 + length));
  }
  byteVector(position: number): Uint8Array {
    const length = this.u32(position);
    this.check(position + 4, length, 'byte vector');
    return this.bytes.subarray(position + 4, position + 4 + length);
  }
}

interface ParsedModel {
  reader: FlatReader;
  root: number;
  version: number | undefined;
  /** Model fields that point past the front section, by field index. */
  backReferences: Map<number, number>;
  metadata: TfliteMetadataEntry[];
  metadataBuffer: number[] | undefined;
  bufferTables: number[];
  /** First byte after the front section (Model table, its vtable and its small vectors). */
  frontEnd: number;
}

function parseModel(bytes: Uint8Array): ParsedModel {
  const reader = new FlatReader(bytes);
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(4, 8)) !== FILE_IDENTIFIER) {
    throw new TfliteFormatError(`not a TFLite model (file identifier is not "${FILE_IDENTIFIER}")`);
  }
  const root = reader.follow(0);
  if (reader.fieldCount(root) > MODEL_FIELD_COUNT) {
    throw new TfliteFormatError('TFLite Model table has fields this patcher does not know; refusing to rewrite it');
  }
  const versionField = reader.field(root, MODEL_FIELD.version);
  const frontObjectEnds: number[] = [reader.tableEnd(root), reader.vtableEnd(root)];
  const backStarts: number[] = [];

  const backReferences = new Map<number, number>();
  for (const index of BACK_REFERENCE_FIELDS) {
    const position = reader.field(root, index);
    if (position === undefined) continue;
    const target = reader.follow(position);
    backReferences.set(index, target);
    backStarts.push(target);
  }

  const metadata: TfliteMetadataEntry[] = [];
  const metadataField = reader.field(root, MODEL_FIELD.metadata);
  if (metadataField !== undefined) {
    const vector = reader.follow(metadataField);
    const tables = reader.offsetVector(vector);
    frontObjectEnds.push(vector + 4 + 4 * tables.length);
    for (const table of tables) {
      const nameField = reader.field(table, 0);
      const bufferField = reader.field(table, 1);
      const name = nameField === undefined ? '' : reader.string(reader.follow(nameField));
      if (nameField !== undefined) {
        const namePosition = reader.follow(nameField);
        frontObjectEnds.push(namePosition + 4 + reader.u32(namePosition) + 1);
      }
      metadata.push({ name, buffer: bufferField === undefined ? 0 : reader.u32(bufferField) });
      frontObjectEnds.push(reader.tableEnd(table), reader.vtableEnd(table));
    }
  }

  let metadataBuffer: number[] | undefined;
  const metadataBufferField = reader.field(root, MODEL_FIELD.metadataBuffer);
  if (metadataBufferField !== undefined) {
    const vector = reader.follow(metadataBufferField);
    const length = reader.vectorLength(vector);
    metadataBuffer = Array.from({ length }, (_, i) => reader.i32(vector + 4 + 4 * i));
    frontObjectEnds.push(vector + 4 + 4 * length);
  }

  const buffersField = reader.field(root, MODEL_FIELD.buffers);
  if (buffersField === undefined) throw new TfliteFormatError('TFLite model has no buffers vector');
  const buffersVector = reader.follow(buffersField);
  const bufferTables = reader.offsetVector(buffersVector);
  frontObjectEnds.push(buffersVector + 4 + 4 * bufferTables.length);
  for (const table of bufferTables) backStarts.push(table, reader.vtableOf(table));

  const frontEnd = Math.max(...frontObjectEnds);
  if (backStarts.some((start) => start < frontEnd)) {
    throw new TfliteFormatError(
      'TFLite model layout is not the converter layout (Model table and its vectors first); cannot patch it safely',
    );
  }
  return {
    reader,
    root,
    version: versionField === undefined ? undefined : reader.u32(versionField),
    backReferences,
    metadata,
    metadataBuffer,
    bufferTables,
    frontEnd,
  };
}

/** Metadata entries (name and buffer index) of a TFLite model. */
export function readTfliteMetadata(model: Uint8Array): TfliteMetadataEntry[] {
  return parseModel(model).metadata;
}

/** Number of entries in the model's buffers vector. */
export function countTfliteBuffers(model: Uint8Array): number {
  return parseModel(model).bufferTables.length;
}

/** Contents of buffer `index` (empty when the buffer has no data). */
export function readTfliteBuffer(model: Uint8Array, index: number): Uint8Array {
  const { reader, bufferTables } = parseModel(model);
  const table = bufferTables[index];
  if (table === undefined) throw new TfliteFormatError(`TFLite model has no buffer ${index}`);
  const dataField = reader.field(table, 0);
  return dataField === undefined ? new Uint8Array(0) : reader.byteVector(reader.follow(dataField));
}

/** Contents of the buffer the metadata entry `name` points at. */
export function readTfliteMetadataBuffer(model: Uint8Array, name: string): Uint8Array {
  const entry = readTfliteMetadata(model).find((candidate) => candidate.name === name);
  if (entry === undefined) throw new TfliteFormatError(`TFLite model has no metadata entry "${name}"`);
  return readTfliteBuffer(model, entry.buffer);
}

/** Little-endian writer that lays objects out front to back, so referrers precede what they reference. */
class ForwardWriter {
  private bytes = new Uint8Array(1024);
  length = 0;

  private grow(size: number): void {
    if (this.length + size <= this.bytes.length) return;
    const larger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + size));
    larger.set(this.bytes.subarray(0, this.length));
    this.bytes = larger;
  }
  /** Pads with zeros until (length + offset) is a multiple of `alignment`. */
  align(alignment: number, offset = 0): void {
    const padding = (alignment - ((this.length + offset) % alignment)) % alignment;
    this.reserve(padding);
  }
  reserve(size: number): number {
    this.grow(size);
    const position = this.length;
    this.length += size;
    return position;
  }
  setU16(position: number, value: number): void {
    new DataView(this.bytes.buffer).setUint16(position, value, true);
  }
  setU32(position: number, value: number): void {
    new DataView(this.bytes.buffer).setUint32(position, value, true);
  }
  setI32(position: number, value: number): void {
    new DataView(this.bytes.buffer).setInt32(position, value, true);
  }
  setBytes(position: number, value: Uint8Array): void {
    this.bytes.set(value, position);
  }
  /** Stores at `position` the uoffset to `target` (which must lie after it). */
  setOffset(position: number, target: number): void {
    if (target <= position) throw new Error('flatbuffer offsets must point forward');
    this.setU32(position, target - position);
  }
  /** A vtable followed by its table; returns the table position and the position of each present field. */
  table(fieldSizes: Array<number | undefined>): { table: number; fields: number[] } {
    const present = fieldSizes.filter((size): size is number => size !== undefined);
    const vtableSize = 4 + 2 * fieldSizes.length;
    const tableSize = 4 + present.reduce((sum, size) => sum + size, 0);
    this.align(4, vtableSize); // the table that follows the vtable must be 4-byte aligned
    const vtable = this.reserve(vtableSize);
    const table = this.reserve(tableSize);
    this.setU16(vtable, vtableSize);
    this.setU16(vtable + 2, tableSize);
    this.setI32(table, table - vtable);
    const fieldPositions: number[] = [];
    let fieldOffset = 4;
    fieldSizes.forEach((size, index) => {
      if (size === undefined) return;
      this.setU16(vtable + 4 + 2 * index, fieldOffset);
      fieldPositions[index] = table + fieldOffset;
      fieldOffset += size;
    });
    return { table, fields: fieldPositions };
  }
  /** Returns the position of the length prefix; elements follow it. */
  vector(length: number, elementSize: number, dataAlignment = 4): number {
    this.align(dataAlignment, 4);
    const position = this.reserve(4 + length * elementSize);
    this.setU32(position, length);
    return position;
  }
  string(value: string): number {
    const encoded = new TextEncoder().encode(value);
    const position = this.vector(encoded.length + 1, 1); // + NUL terminator
    this.setU32(position, encoded.length);
    this.setBytes(position + 4, encoded);
    return position;
  }
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/**
 * Returns a copy of `model` with one more buffer holding `data` and one more metadata entry `name` pointing
 * at it. Everything else (operators, tensors, weights, existing metadata) is kept. Deterministic.
 */
export function addTfliteMetadata(model: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  const parsed = parseModel(model);
  if (parsed.metadata.some((entry) => entry.name === name)) {
    throw new TfliteFormatError(`TFLite model already has a metadata entry "${name}"`);
  }
  const newBufferIndex = parsed.bufferTables.length;
  const metadata = [...parsed.metadata, { name, buffer: newBufferIndex }];
  const out = new ForwardWriter();
  const cut = parsed.frontEnd;
  // Where a position of the copied back section of the input ends up; known once the front is written.
  const relocations: Array<(backStart: number) => void> = [];

  const rootOffset = out.reserve(4);
  out.setBytes(out.reserve(4), new TextEncoder().encode(FILE_IDENTIFIER));

  const modelFieldSizes: Array<number | undefined> = Array.from({ length: MODEL_FIELD_COUNT }, (_, index) => {
    if (index === MODEL_FIELD.version) return parsed.version === undefined ? undefined : 4;
    if (index === MODEL_FIELD.metadataBuffer) return parsed.metadataBuffer === undefined ? undefined : 4;
    if (index === MODEL_FIELD.buffers || index === MODEL_FIELD.metadata) return 4;
    return parsed.backReferences.has(index) ? 4 : undefined;
  });
  const modelTable = out.table(modelFieldSizes);
  const field = (index: number): number => {
    const position = modelTable.fields[index];
    if (position === undefined) throw new Error(`Model field ${index} was not laid out`);
    return position;
  };
  out.setOffset(rootOffset, modelTable.table);
  if (parsed.version !== undefined) out.setU32(field(MODEL_FIELD.version), parsed.version);
  for (const [index, target] of parsed.backReferences) {
    relocations.push((backStart) => out.setOffset(field(index), backStart + target - cut));
  }

  const metadataVector = out.vector(metadata.length, 4);
  out.setOffset(field(MODEL_FIELD.metadata), metadataVector);
  metadata.forEach((entry, i) => {
    const { table, fields } = out.table([4, 4]);
    const [nameField, bufferField] = fields as [number, number];
    out.setOffset(metadataVector + 4 + 4 * i, table);
    out.setU32(bufferField, entry.buffer);
    out.setOffset(nameField, out.string(entry.name));
  });

  if (parsed.metadataBuffer !== undefined) {
    const vector = out.vector(parsed.metadataBuffer.length, 4);
    parsed.metadataBuffer.forEach((value, i) => out.setI32(vector + 4 + 4 * i, value));
    out.setOffset(field(MODEL_FIELD.metadataBuffer), vector);
  }

  const buffersVector = out.vector(newBufferIndex + 1, 4);
  out.setOffset(field(MODEL_FIELD.buffers), buffersVector);
  parsed.bufferTables.forEach((table, i) => {
    relocations.push((backStart) => out.setOffset(buffersVector + 4 + 4 * i, backStart + table - cut));
  });
  const newBuffer = out.table([4]);
  const dataField = newBuffer.fields[0] as number;
  out.setOffset(buffersVector + 4 + 4 * newBufferIndex, newBuffer.table);
  const dataVector = out.vector(data.length, 1, BUFFER_DATA_ALIGNMENT);
  out.setBytes(dataVector + 4, data);
  out.setOffset(dataField, dataVector);

  // The copied section keeps its position modulo 16, so every alignment inside it still holds.
  out.align(BUFFER_DATA_ALIGNMENT, BUFFER_DATA_ALIGNMENT - (cut % BUFFER_DATA_ALIGNMENT));
  const backStart = out.length;
  for (const relocate of relocations) relocate(backStart);
  const back = model.subarray(cut);
  const result = new Uint8Array(backStart + back.length);
  result.set(out.result());
  result.set(back, backStart);
  return result;
}
