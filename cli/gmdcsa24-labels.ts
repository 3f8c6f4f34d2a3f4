/**
 * GMDCSA24's label CSVs (Subject N/Fall.csv, ADL.csv) → the project's segment labels (docs/real-data.md).
 * The "Classes" column is hand-typed and messy: `Falling (SW)[1.8 to 5]:;`, `Falling (BW[5.9 to 10]`, `[2.3 6]`,
 * `[ 2.8 to 6]`, several intervals `Standing[0 to 0.5; 4.2 to 6.5]`, a missing `]`, `Reading;` without an interval,
 * reversed `Sitting[9.7 to 3]`. What is unambiguous is read; everything else becomes a problem (a one-line
 * reason) and is left out: no interval is ever guessed.
 */
import { parse } from 'csv-parse/sync';
import type { LabelSegment } from '../src/recording/labels';

/** One class as written, with its intervals in seconds of the video. */
export interface ClassEntry {
  name: string;
  intervals: Array<[start: number, end: number]>;
}

export interface Parsed<T> {
  value: T;
  problems: string[];
}

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const INTERVAL = new RegExp(`^(${NUMBER})\\s*(?:to\\s*)?(${NUMBER})$`, 'i');
const NAME = String.raw`[A-Za-z]+(?:[ \t]+[A-Za-z]+)*(?:\s*\(\s*[A-Za-z]*\s*\)?)?`;
// A name, then optionally its bracket: up to "]", or, when "]" is missing, up to the next "Name[" or the end.
const ENTRY = new RegExp(`(${NAME})\\s*(?:\\[([^\\[\\]]*?)(?:\\]|(?=[;:,\\s]*${NAME}\\s*\\[)|$))?`, 'g');
const SEPARATORS = /^[;:,\s]*$/;

const tidyName = (name: string) => name.replace(/\s+/g, ' ').replace(/\(\s*([A-Za-z]*)\s*\)?$/, '($1)').replace(/ ?\(/, ' (').trim();

function parseIntervals(entry: string, text: string, problems: string[]): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  for (const piece of text.split(';').map((part) => part.trim())) {
    if (piece === '') continue;
    const match = INTERVAL.exec(piece);
    if (!match) {
      problems.push(`"${entry}": cannot read the interval "${piece}"`);
      continue;
    }
    const start = Number(match[1]);
    const end = Number(match[2]);
    if (end <= start) problems.push(`"${entry}": interval ${start} to ${end} does not go forward in time`);
    else intervals.push([start, end]);
  }
  return intervals;
}

/** The Classes cell → its classes and intervals (seconds). */
export function parseClasses(cell: string): Parsed<ClassEntry[]> {
  const problems: string[] = [];
  const value: ClassEntry[] = [];
  let leftover = '';
  let last = 0;
  for (const match of cell.matchAll(ENTRY)) {
    leftover += cell.slice(last, match.index);
    last = match.index + match[0].length;
    const [whole, rawName, bracket] = match;
    const name = tidyName(rawName!);
    if (bracket === undefined) {
      problems.push(`"${whole.trim()}": no [start to end] interval`);
      continue;
    }
    value.push({ name, intervals: parseIntervals(whole.trim(), bracket, problems) });
  }
  leftover += cell.slice(last);
  if (!SEPARATORS.test(leftover)) problems.push(`unrecognised text "${leftover.replace(/[;:,\s]+/g, ' ').trim()}"`);
  return { value, problems };
}

const FALL_DIRECTIONS: Record<string, string> = { fw: 'falling_forward', bw: 'falling_backward', sw: 'falling_sideways' };
const POSTURES: Record<string, string> = { sitting: 'sitting', sleeping: 'lying', standing: 'standing', walking: 'walking' };
/** Activities done in some posture; the posture has its own entry, so these add nothing we could label. */
export const OVERLAY_ACTIVITIES = ['reading', 'writing', 'eating', 'drinking', 'exercising'];

/** Our label for a GMDCSA24 class; null for an overlay activity; undefined for a class we do not know. */
export function ourLabel(name: string): string | null | undefined {
  const key = name.toLowerCase();
  const fall = /^fall(?:ing)? \((fw|bw|sw)\)$/.exec(key);
  if (fall) return FALL_DIRECTIONS[fall[1]!];
  if (key in POSTURES) return POSTURES[key];
  return OVERLAY_ACTIVITIES.includes(key) ? null : undefined;
}

/** Every label the mapping can produce (checked against training/labels/default.json). */
export const MAPPED_LABELS = [...Object.values(FALL_DIRECTIONS), ...Object.values(POSTURES)];

export interface LabelTableRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  video: string;
  classes: string;
}

/** A GMDCSA24 label CSV → its rows (file name and Classes cell); rows that cannot be read are problems. */
export function readLabelTable(text: string): Parsed<LabelTableRow[]> {
  // Both line ends: the CSVs were typed on different machines (csv-parse otherwise keeps the first one it sees).
  const options = { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, record_delimiter: ['\r\n', '\n'] };
  const records = parse(text, options) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const [header, ...rows] = records;
  const columns = header?.record.map((name) => name.trim().toLowerCase()) ?? [];
  const fileColumn = columns.indexOf('file name');
  const classesColumn = columns.indexOf('classes');
  if (fileColumn < 0 || classesColumn < 0) return { value: [], problems: ['line 1: expected a header with "File Name" and "Classes" columns'] };
  const problems: string[] = [];
  const value: LabelTableRow[] = [];
  for (const { record, info } of rows) {
    if (record.every((field) => field.trim() === '')) continue;
    if (record.length !== columns.length) {
      problems.push(`line ${info.lines}: ${record.length} columns where the header has ${columns.length}; row skipped`);
      continue;
    }
    value.push({ line: info.lines, video: record[fileColumn]!.trim(), classes: record[classesColumn]!.trim() });
  }
  return { value, problems };
}

export interface SegmentOptions {
  /** The row comes from Fall.csv. */
  fall: boolean;
  /** Time of the recording's first frame and end of its last one, ms on the recording clock. */
  firstMs: number;
  endMs: number;
  /** Only this much of a falling segment is labelled as falling (the rest is lying on the floor, unlabelled). */
  fallMs: number;
}

export interface RowLabels {
  segments: LabelSegment[];
  /** Start of the first falling segment, ms after the first frame; null when the row gives none. */
  fallAtMs: number | null;
}

const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;
const secondsText = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Our segments for a row's classes: mapped, falls cut to fallMs, clamped to the recording, overlaps left out. */
export function rowLabels(entries: readonly ClassEntry[], options: SegmentOptions): Parsed<RowLabels> {
  const problems: string[] = [];
  const raw: LabelSegment[] = [];
  for (const entry of entries) {
    const label = ourLabel(entry.name);
    if (label === undefined) problems.push(`"${entry.name}": not a GMDCSA24 class this converter knows; left out`);
    if (!label) continue;
    for (const [start, end] of entry.intervals) raw.push({ start: start * 1000, end: end * 1000, label });
  }
  const falls = raw.filter((segment) => segment.label.startsWith('falling_'));
  const onset = falls.length ? Math.min(...falls.map((segment) => segment.start)) : null;
  if (options.fall && onset === null) problems.push('no falling interval: the fall time is unknown');
  if (!options.fall && onset !== null) problems.push('a falling interval in a daily-activity (ADL) row');
  const clamped: LabelSegment[] = [];
  for (const segment of raw) {
    const cutEnd = segment.label.startsWith('falling_') ? Math.min(segment.end, onset! + options.fallMs) : segment.end;
    const start = Math.max(segment.start, options.firstMs);
    const end = Math.min(cutEnd, options.endMs);
    if (end > start) clamped.push({ start, end, label: segment.label });
    else if (segment.start >= options.endMs) problems.push(`${segment.label} from ${secondsText(segment.start)} starts after the recording ends (${secondsText(options.endMs)}); left out`);
  }
  const segments = withoutOverlaps(clamped, problems);
  const fallAtMs = onset === null || onset >= options.endMs ? null : roundMs(Math.max(0, onset - options.firstMs));
  return { value: { segments, fallAtMs }, problems };
}

/** Time claimed by two different labels is left unlabelled (and reported); same-label pieces are merged. */
function withoutOverlaps(segments: readonly LabelSegment[], problems: string[]): LabelSegment[] {
  const cuts = [...new Set(segments.flatMap((segment) => [segment.start, segment.end]))].sort((a, b) => a - b);
  const out: LabelSegment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    const labels = [...new Set(segments.filter((segment) => segment.start <= start && segment.end >= end).map((segment) => segment.label))];
    if (labels.length > 1) problems.push(`${labels.join(' and ')} overlap from ${secondsText(start)} to ${secondsText(end)}: left unlabelled`);
    if (labels.length !== 1) continue;
    const previous = out.at(-1);
    if (previous && previous.label === labels[0] && previous.end === start) previous.end = roundMs(end);
    else out.push({ start: roundMs(start), end: roundMs(end), label: labels[0]! });
  }
  return out;
}
