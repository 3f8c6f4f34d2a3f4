/**
 * Skeleton recording: JSON Lines, a header line then one line per frame (docs/recording-format.md).
 * Writer and reader work line by line so a long session never has to fit in memory, and a damaged file loses
 * only its damaged lines (tolerant mode).
 */
import { describeJson } from '../describe-json';
import { getLayout, isLayoutName, type LayoutName } from '../skeleton/layout';
import type { Landmark, Person, PoseFrame } from '../skeleton/types';

export const RECORDING_FORMAT = 'skeleton-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  layout: LayoutName;
  /** Nominal camera frame rate; the frames' own `t` are authoritative. */
  fps: number;
  width: number;
  height: number;
  /** Where the poses came from, e.g. "webcam", "video:clip.mp4", "synthetic". */
  source: string;
}

export class RecordingFormatError extends Error {
  override name = 'RecordingFormatError';
  constructor(
    readonly line: number,
    message: string,
    readonly source = 'recording',
  ) {
    super(`${source}:${line}: ${message}`);
  }
}

/** Coordinates are written with 6 decimals: far below landmark noise (~1e-3), and it halves the file size. */
const round = (value: number) => Math.round(value * 1e6) / 1e6;
const roundLandmarks = (landmarks: readonly Landmark[]) => landmarks.map((landmark) => landmark.map(round));

export function headerLine(header: RecordingHeader): string {
  validateHeader(header, 1, 'header');
  const { format, version, layout, fps, width, height, source } = header;
  return `${JSON.stringify({ format, version, layout, fps, width, height, source })}\n`;
}

export function frameLine(frame: Pick<PoseFrame, 't' | 'people'>): string {
  const people = frame.people.map((person) => ({ landmarks: roundLandmarks(person.landmarks), world: roundLandmarks(person.world) }));
  return `${JSON.stringify({ t: round(frame.t), people })}\n`;
}

/** Streaming writer: the header goes out at once, then one line per appended frame. */
export class RecordingWriter {
  private count = 0;

  constructor(
    private readonly write: (text: string) => void,
    readonly header: RecordingHeader,
  ) {
    write(headerLine(header));
  }

  get frames(): number {
    return this.count;
  }

  append(frame: Pick<PoseFrame, 't' | 'people'>): void {
    this.write(frameLine(frame));
    this.count++;
  }
}

type Json = Record<string, unknown>;

function validateHeader(value: unknown, line: number, source: string): RecordingHeader {
  const fail = (message: string): never => {
    throw new RecordingFormatError(line, `header: ${message} (docs/recording-format.md)`, source);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`expected a JSON object, got ${describeJson(value)}`);
  const header = value as Json;
  if (header.format !== RECORDING_FORMAT) fail(`format must be "${RECORDING_FORMAT}", got ${describeJson(header.format)}`);
  if (header.version !== RECORDING_VERSION) fail(`version must be ${RECORDING_VERSION}, got ${describeJson(header.version)}`);
  if (typeof header.layout !== 'string' || !isLayoutName(header.layout)) fail(`layout ${describeJson(header.layout)} is not a layout of src/skeleton/layouts.json`);
  for (const key of ['fps', 'width', 'height'] as const) {
    if (typeof header[key] !== 'number' || !(header[key] > 0)) fail(`${key} must be a positive number, got ${describeJson(header[key])}`);
  }
  if (typeof header.source !== 'string') fail(`source must be a string, got ${describeJson(header.source)}`);
  return header as unknown as RecordingHeader;
}

function validLandmarks(value: unknown, joints: number, what: string): Landmark[] {
  if (!Array.isArray(value) || value.length !== joints) throw new Error(`${what} must be ${joints} landmarks, got ${Array.isArray(value) ? value.length : describeJson(value)}`);
  value.forEach((landmark, index) => {
    if (!Array.isArray(landmark) || landmark.length !== 4 || !landmark.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw new Error(`${what}[${index}] must be [x, y, z, visibility] (4 finite numbers), got ${describeJson(landmark)}`);
    }
  });
  return value as Landmark[];
}

export interface RecordingIssue {
  line: number;
  message: string;
}

export interface ParserOptions {
  /** Skip malformed frame lines (collected in `issues`) instead of throwing. A bad header always throws. */
  tolerant?: boolean;
  /** Names the recording in error messages. */
  source?: string;
}

/** Line-by-line parser: feed it every line in order; frames come out as PoseFrames. */
export class RecordingParser {
  header: RecordingHeader | null = null;
  readonly issues: RecordingIssue[] = [];
  private lineNumber = 0;
  private lastT = -Infinity;
  private readonly joints = () => getLayout(this.header!.layout).joints.length;

  constructor(private readonly options: ParserOptions = {}) {}

  private get source(): string {
    return this.options.source ?? 'recording';
  }

  /** Returns the frame on this line, or null for the header, a blank line or (tolerant) a skipped bad line. */
  pushLine(text: string): PoseFrame | null {
    const line = ++this.lineNumber;
    if (text.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (!this.header) throw new RecordingFormatError(line, `not a skeleton recording: the first line is not JSON (${(error as Error).message})`, this.source);
      return this.reject(line, `not valid JSON (${(error as Error).message})`);
    }
    if (!this.header) {
      this.header = validateHeader(value, line, this.source);
      return null;
    }
    try {
      return this.frame(value);
    } catch (error) {
      return this.reject(line, (error as Error).message);
    }
  }

  private frame(value: unknown): PoseFrame {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`a frame must be a JSON object, got ${describeJson(value)}`);
    const { t, people } = value as Json;
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new Error(`t must be a number (ms), got ${describeJson(t)}`);
    if (!(t > this.lastT)) throw new Error(`t=${t} does not increase (previous frame: t=${this.lastT})`);
    if (!Array.isArray(people)) throw new Error(`people must be an array, got ${describeJson(people)}`);
    const joints = this.joints();
    const persons: Person[] = people.map((person: unknown, index) => {
      if (typeof person !== 'object' || person === null) throw new Error(`people[${index}] must be an object, got ${describeJson(person)}`);
      const { landmarks, world } = person as Json;
      return { landmarks: validLandmarks(landmarks, joints, `people[${index}].landmarks`), world: validLandmarks(world, joints, `people[${index}].world`) };
    });
    this.lastT = t;
    const { width, height } = this.header!;
    return { t, width, height, people: persons };
  }

  private reject(line: number, message: string): null {
    if (!this.options.tolerant) throw new RecordingFormatError(line, message, this.source);
    this.issues.push({ line, message });
    return null;
  }

  /** Call after the last line: a recording must at least have its header. */
  finish(): RecordingHeader {
    if (!this.header) throw new RecordingFormatError(Math.max(1, this.lineNumber), 'empty file: no skeleton recording header', this.source);
    return this.header;
  }
}

/** Splits a stream of text chunks into lines (\n or \r\n), without holding more than one line. */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    rest += chunk;
    let newline: number;
    while ((newline = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, newline).replace(/\r$/, '');
      rest = rest.slice(newline + 1);
    }
  }
  if (rest !== '') yield rest.replace(/\r$/, '');
}

export interface ParsedRecording {
  header: RecordingHeader;
  frames: PoseFrame[];
  issues: RecordingIssue[];
}

/** Whole-text convenience over RecordingParser (small recordings, tests). */
export function parseRecording(text: string, options: ParserOptions = {}): ParsedRecording {
  const parser = new RecordingParser(options);
  const frames: PoseFrame[] = [];
  for (const line of text.split('\n')) {
    const frame = parser.pushLine(line.replace(/\r$/, ''));
    if (frame) frames.push(frame);
  }
  return { header: parser.finish(), frames, issues: parser.issues };
}

/** Streams frames from text chunks (a file stream in Node, File.stream() piped through TextDecoderStream in a browser). */
export async function* readRecording(chunks: AsyncIterable<string>, parser: RecordingParser): AsyncGenerator<PoseFrame> {
  for await (const line of splitLines(chunks)) {
    const frame = parser.pushLine(line);
    if (frame) yield frame;
  }
  parser.finish();
}
