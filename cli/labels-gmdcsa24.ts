/**
 * npm run labels:gmdcsa24 -- DATASET_DIR --recordings DIR [--fall-ms 2000]
 *
 * Writes NAME.labels.json (docs/training-loop.md) beside each recording DIR/Subject N/Fall|ADL/NAME.jsonl that
 * `npm run poses -- DATASET_DIR --out DIR` made, from GMDCSA24's Subject N/Fall.csv and ADL.csv. The mapping and
 * the rules: docs/real-data.md. Problems in the CSVs are printed as warnings naming file, line and text.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LABELS_FORMAT, labelSidecarPath, labelSidecarText, type LabelSidecar } from '../src/recording/labels';
import { readRecording, RecordingParser } from '../src/recording/format';
import { readCommandLine } from './command-line';
import { MAPPED_LABELS, parseClasses, readLabelTable, rowLabels } from './gmdcsa24-labels';

const DEFAULT_FALL_MS = 2000;
const LABEL_SET = new URL('../training/labels/default.json', import.meta.url);
const USAGE = `usage: npm run labels:gmdcsa24 -- DATASET_DIR --recordings DIR [--fall-ms ${DEFAULT_FALL_MS}]
  DATASET_DIR   GMDCSA24: Subject N/Fall.csv, ADL.csv and the videos in Subject N/Fall, Subject N/ADL
  --recordings  where "npm run poses -- DATASET_DIR --out DIR" wrote the recordings
  --fall-ms     how much of each falling segment is labelled falling_* (default ${DEFAULT_FALL_MS} ms)`;

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** First frame time and end of the last frame (last t + the mean frame spacing), ms. */
async function recordingSpan(path: string): Promise<{ firstMs: number; endMs: number }> {
  const times: number[] = [];
  for await (const frame of readRecording(createReadStream(path, { encoding: 'utf8' }), new RecordingParser({ source: path }))) times.push(frame.t);
  if (times.length === 0) throw new Error(`${path}: the recording has no frames`);
  const first = times[0]!;
  const last = times.at(-1)!;
  const spacing = times.length > 1 ? (last - first) / (times.length - 1) : 0;
  return { firstMs: first, endMs: last + spacing };
}

const byNaturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

interface Counts {
  written: number;
  absentVideos: number;
  missingRecordings: string[];
  /** CSVs and recordings that could not be read. */
  unreadable: string[];
  warnings: number;
}

async function convertTable(dataset: string, recordings: string, subjectFolder: string, kind: 'Fall' | 'ADL', fallMs: number, output: Output, counts: Counts): Promise<void> {
  const subject = Number(/(\d+)$/.exec(subjectFolder)![1]);
  const csvName = `${subjectFolder}/${kind}.csv`;
  const warn = (where: string, text: string) => {
    counts.warnings++;
    output.err(`warning: ${csvName}${where}: ${text}`);
  };
  const csvPath = join(dataset, subjectFolder, `${kind}.csv`);
  if (!existsSync(csvPath)) return warn('', 'missing; no labels for this folder');
  let table;
  try {
    table = readLabelTable(readFileSync(csvPath, 'utf8'));
  } catch (error) {
    counts.unreadable.push(csvName);
    return output.err(`${csvName}: not a readable CSV file (${(error as Error).message}); no labels for this folder`);
  }
  for (const problem of table.problems) warn('', problem);
  const videoFolder = join(dataset, subjectFolder, kind);
  const listed = new Set(table.value.map((row) => row.video));
  const present = existsSync(videoFolder) ? readdirSync(videoFolder).sort(byNaturalOrder) : [];
  for (const video of present.filter((name) => !listed.has(name) && extname(name))) warn('', `${kind}/${video} has no row; it gets no labels`);
  for (const row of table.value) {
    if (!present.includes(row.video)) {
      counts.absentVideos++;
      continue;
    }
    const name = `${subjectFolder}/${kind}/${row.video}`;
    const recording = join(recordings, subjectFolder, kind, `${row.video.slice(0, row.video.length - extname(row.video).length)}.jsonl`);
    if (!existsSync(recording)) {
      counts.missingRecordings.push(name);
      output.err(`no recording for ${name}: ${recording} is missing (npm run poses -- ${dataset} --out ${recordings})`);
      continue;
    }
    const where = `:${row.line} (${row.video})`;
    let span;
    try {
      span = await recordingSpan(recording);
    } catch (error) {
      counts.unreadable.push(recording);
      output.err(`${recording}: cannot be read (${(error as Error).message}); no labels written`);
      continue;
    }
    const classes = parseClasses(row.classes);
    const labels = rowLabels(classes.value, { fall: kind === 'Fall', ...span, fallMs });
    for (const problem of [...classes.problems, ...labels.problems]) warn(where, `${problem}   [text: ${row.classes}]`);
    const sidecar: LabelSidecar = {
      format: LABELS_FORMAT,
      version: 1,
      subject,
      camera: 0,
      fall: kind === 'Fall',
      ...(labels.value.fallAtMs === null ? {} : { fallAtMs: labels.value.fallAtMs }),
      origin: `GMDCSA24 ${csvName} line ${row.line}: ${row.classes}`,
      segments: labels.value.segments,
    };
    const path = labelSidecarPath(recording);
    writeFileSync(`${path}.partial`, labelSidecarText(sidecar));
    renameSync(`${path}.partial`, path);
    counts.written++;
    const spans = labels.value.segments.map((s) => `${s.label} ${(s.start / 1000).toFixed(1)}–${(s.end / 1000).toFixed(1)} s`).join(', ');
    const fall = labels.value.fallAtMs === null ? '' : `fallAtMs ${labels.value.fallAtMs}; `;
    output.out(`wrote ${name.replace(/\.[^.]+$/, '.labels.json')}: ${fall}${spans || 'no segment'}`);
  }
}

/** Runs the command; returns the exit code (1 when a video has no readable recording or a CSV is unreadable, 2 for usage). */
export async function main(argv: string[], output: Output): Promise<number> {
  const args = readCommandLine(argv, { recordings: { type: 'string' }, 'fall-ms': { type: 'string', default: String(DEFAULT_FALL_MS) } }, USAGE, output);
  if (typeof args === 'number') return args;
  const fallMs = Number(args.values['fall-ms']);
  const [dataset] = args.positionals;
  const subjects = dataset && existsSync(dataset) ? readdirSync(dataset).filter((name) => /^Subject \d+$/i.test(name)).sort(byNaturalOrder) : [];
  const problem =
    args.positionals.length !== 1 ? `expected one DATASET_DIR, got ${args.positionals.length}`
    : !args.values.recordings ? '--recordings DIR is required'
    : !(fallMs > 0) ? `--fall-ms must be a positive number of ms, got "${args.values['fall-ms']}"`
    : subjects.length === 0 ? `${dataset}: no "Subject N" folders; is this GMDCSA24?`
    : null;
  if (problem) {
    output.err(`${problem}\n${USAGE}`);
    return 2;
  }
  const known = (JSON.parse(readFileSync(LABEL_SET, 'utf8')) as { labels: string[] }).labels;
  const unknown = MAPPED_LABELS.filter((label) => !known.includes(label));
  if (unknown.length) {
    output.err(`error: the mapping produces labels that training/labels/default.json lacks: ${unknown.join(', ')}`);
    return 1;
  }
  const counts: Counts = { written: 0, absentVideos: 0, missingRecordings: [], unreadable: [], warnings: 0 };
  for (const subject of subjects) {
    for (const kind of ['Fall', 'ADL'] as const) await convertTable(dataset!, args.values.recordings!, subject, kind, fallMs, output, counts);
  }
  output.out(
    `${counts.written} label files written; ${counts.absentVideos} CSV rows skipped (video absent); ` +
      `${counts.missingRecordings.length} videos without a recording; ${counts.unreadable.length} unreadable files; ${counts.warnings} warnings`,
  );
  return counts.missingRecordings.length || counts.unreadable.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) });
}
