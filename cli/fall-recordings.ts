/**
 * Labelled skeleton recordings for the fall evaluation and fitting (docs/monitoring.md, "Evaluating on
 * recordings"): found under a folder, each with its fall label and the subject it shows, read tolerantly. A file
 * that cannot be used is reported and skipped, never the end of the run.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import labelSet from '../training/labels/default.json';
import type { FallLabel } from '../eval/fall-eval';
import { readRecording, RecordingParser } from '../src/recording';
import type { PoseFrame } from '../src/skeleton';

export interface LabelledRecording {
  /** Path relative to the evaluated folder. */
  name: string;
  /** First folder under the evaluated folder ("." for files directly in it). */
  folder: string;
  /** The header's source kind: the text before ":" ("video", "synthetic", "webcam", …). */
  source: string;
  label: FallLabel;
  /** Subject id from the segment sidecar (null when the labels do not say). */
  subject: number | null;
  frames: PoseFrame[];
}

export class UsageError extends Error {}

const FALL_LABELS = new Set<string>(labelSet.groups.fall);

async function readJson(path: string): Promise<unknown | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

interface Sidecar {
  label: FallLabel;
  subject: number | null;
}

/** NAME.label.json ({fall, fallAtMs}), else NAME.labels.json (segments; docs/training-loop.md), else a fall/ or adl/ folder. */
async function labelOf(path: string, root: string, firstT: number): Promise<Sidecar | null> {
  const simple = path.replace(/\.jsonl$/, '.label.json');
  const single = (await readJson(simple)) as { fall?: unknown; fallAtMs?: unknown } | null;
  if (single !== null) {
    if (typeof single.fall !== 'boolean') throw new Error(`${simple}: "fall" must be true or false`);
    if (single.fallAtMs !== undefined && typeof single.fallAtMs !== 'number') throw new Error(`${simple}: "fallAtMs" must be a number (ms after the first frame)`);
    return { label: { fall: single.fall, fallAtMs: single.fall ? ((single.fallAtMs as number | undefined) ?? null) : null }, subject: null };
  }
  const segmentsPath = path.replace(/\.jsonl$/, '.labels.json');
  const sidecar = (await readJson(segmentsPath)) as { segments?: unknown; fall?: unknown; fallAtMs?: unknown; subject?: unknown } | null;
  if (sidecar !== null) {
    if (!Array.isArray(sidecar.segments)) throw new Error(`${segmentsPath}: "segments" must be a list of {start, end, label}`);
    const falls = (sidecar.segments as Array<{ start?: unknown; label?: unknown }>)
      .filter((segment) => typeof segment.label === 'string' && FALL_LABELS.has(segment.label) && typeof segment.start === 'number')
      .map((segment) => segment.start as number);
    const fall = typeof sidecar.fall === 'boolean' ? sidecar.fall : falls.length > 0;
    const fallAtMs = typeof sidecar.fallAtMs === 'number' ? sidecar.fallAtMs : falls.length ? Math.min(...falls) - firstT : null;
    const subject = typeof sidecar.subject === 'number' ? sidecar.subject : null;
    return { label: { fall, fallAtMs: fall ? fallAtMs : null }, subject };
  }
  const folders = relative(root, dirname(path)).split(sep).reverse();
  const named = folders.find((name) => name.toLowerCase() === 'fall' || name.toLowerCase() === 'adl');
  return named ? { label: { fall: named.toLowerCase() === 'fall', fallAtMs: null }, subject: null } : null;
}

async function* recordingsUnder(folder: string): AsyncGenerator<string> {
  for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* recordingsUnder(path);
    else if (entry.name.endsWith('.jsonl')) yield path;
  }
}

async function readOne(path: string, root: string, warn: (line: string) => void): Promise<LabelledRecording | null> {
  const name = relative(root, path);
  const parser = new RecordingParser({ tolerant: true, source: name });
  const frames: PoseFrame[] = [];
  for await (const frame of readRecording(createReadStream(path, { encoding: 'utf8' }), parser)) frames.push(frame);
  if (parser.issues.length) warn(`${name}: skipped ${parser.issues.length} damaged line(s), first: ${parser.issues[0]!.message}`);
  const header = parser.header!;
  if (header.layout !== 'blazepose33') throw new Error(`layout ${header.layout}; the fall detector needs blazepose33 recordings`);
  if (frames.length === 0) throw new Error('no frames');
  const labelled = await labelOf(path, root, frames[0]!.t);
  if (!labelled) {
    warn(`skipped ${name}: no ${basename(path, '.jsonl')}.label.json or .labels.json and not under a fall/ or adl/ folder`);
    return null;
  }
  const folder = name.includes(sep) ? name.split(sep)[0]! : '.';
  return { name, folder, source: header.source.split(':')[0]!.trim() || 'unknown', ...labelled, frames };
}

/** Every labelled recording under `root`; files that cannot be read are listed in `failed` with the reason. */
export async function readLabelledRecordings(root: string, warn: (line: string) => void): Promise<{ recordings: LabelledRecording[]; failed: string[] }> {
  if (!(await stat(root).catch(() => null))?.isDirectory()) throw new UsageError(`${root} is not a folder`);
  const recordings: LabelledRecording[] = [];
  const failed: string[] = [];
  for await (const path of recordingsUnder(root)) {
    try {
      const recording = await readOne(path, root, warn);
      if (recording) recordings.push(recording);
    } catch (error) {
      const name = relative(root, path);
      const message = (error as Error).message;
      const named = message.startsWith(name) ? message : `${name}: ${message}`;
      failed.push(named);
      warn(`skipped ${named}`);
    }
  }
  return { recordings, failed };
}
