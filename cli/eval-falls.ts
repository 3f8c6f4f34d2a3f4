/**
 * npm run eval:falls -- DIR [--config FILE] [--json]
 *   Replays labelled skeleton recordings (JSONL, docs/recording-format.md) through the app's fall detector and prints
 *   sensitivity, specificity, false alarms per hour of normal activity and detection delay.
 *   Label of DIR/…/NAME.jsonl: NAME.label.json beside it ({ "fall": true, "fallAtMs": 5200 }, fallAtMs = ms after the
 *   first frame), else the nearest folder named "fall" or "adl" on its path (docs/monitoring.md).
 * npm run eval:falls -- --generate DIR [--falls 40] [--adl 30] [--adl-minutes 2] [--seed 1]
 *   Writes a synthetic labelled set (src/alerts/synthetic-set.ts) into DIR/fall and DIR/adl.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveMonitoringConfig, type MonitoringConfig } from '../src/alerts/config';
import { evaluateRecording, formatSummary, summarise, type FallLabel, type RecordingResult } from '../src/alerts/fall-eval';
import { generateFallSet } from '../src/alerts/synthetic-set';
import { readRecording, RecordingParser, RecordingWriter } from '../src/recording';
import type { PoseFrame } from '../src/skeleton';

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      generate: { type: 'string' },
      falls: { type: 'string', default: '40' },
      adl: { type: 'string', default: '30' },
      'adl-minutes': { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      config: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.generate) {
    const count = (name: 'falls' | 'adl' | 'adl-minutes' | 'seed') => {
      const value = Number(values[name]);
      if (!(value >= 0) || !Number.isFinite(value)) throw new UsageError(`--${name} must be a non-negative number, got "${values[name]}"`);
      return value;
    };
    await generate(values.generate, { falls: count('falls'), adl: count('adl'), adlMs: count('adl-minutes') * 60_000, seed: count('seed') });
    return;
  }
  if (positionals.length !== 1) throw new UsageError('usage: eval:falls -- DIR [--config FILE] [--json]   |   eval:falls -- --generate DIR');
  const config = values.config ? resolveMonitoringConfig(JSON.parse(await readFile(values.config, 'utf8'))) : resolveMonitoringConfig();
  const results = await evaluateFolder(positionals[0]!, config);
  const summary = summarise(results);
  console.log(values.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
}

async function generate(folder: string, options: Parameters<typeof generateFallSet>[0]): Promise<void> {
  const clips = generateFallSet(options);
  for (const clip of clips) {
    const path = join(folder, `${clip.name}.jsonl`);
    await mkdir(dirname(path), { recursive: true });
    const first = clip.frames[0]!;
    const fps = clip.frames.length > 1 ? Math.round(1000 / (clip.frames[1]!.t - first.t)) : 30;
    const lines: string[] = [];
    const writer = new RecordingWriter((text) => lines.push(text), {
      format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps, width: first.width, height: first.height, source: 'synthetic',
    });
    for (const frame of clip.frames) writer.append(frame);
    await writeFile(path, lines.join(''));
    if (clip.label.fall) await writeFile(join(folder, `${clip.name}.label.json`), `${JSON.stringify(clip.label)}\n`);
  }
  const minutes = clips.reduce((sum, clip) => sum + (clip.frames.at(-1)!.t - clip.frames[0]!.t), 0) / 60_000;
  console.log(`wrote ${clips.length} recordings (${minutes.toFixed(1)} min) to ${folder}`);
}

async function* recordingsUnder(folder: string): AsyncGenerator<string> {
  for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* recordingsUnder(path);
    else if (entry.name.endsWith('.jsonl')) yield path;
  }
}

/** Sidecar first, then the nearest "fall" / "adl" folder between the recording and the evaluated folder. */
async function labelOf(path: string, root: string): Promise<FallLabel | null> {
  const sidecar = path.replace(/\.jsonl$/, '.label.json');
  let text: string | null = null;
  try {
    text = await readFile(sidecar, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== null) {
    const label = JSON.parse(text) as { fall?: unknown; fallAtMs?: unknown };
    if (typeof label.fall !== 'boolean') throw new Error(`${sidecar}: "fall" must be true or false`);
    if (label.fallAtMs !== undefined && typeof label.fallAtMs !== 'number') throw new Error(`${sidecar}: "fallAtMs" must be a number (ms after the first frame)`);
    return { fall: label.fall, fallAtMs: label.fall ? ((label.fallAtMs as number | undefined) ?? null) : null };
  }
  const folders = relative(root, dirname(path)).split(sep).reverse();
  const named = folders.find((name) => name === 'fall' || name === 'adl');
  return named ? { fall: named === 'fall', fallAtMs: null } : null;
}

async function evaluateFolder(root: string, config: MonitoringConfig): Promise<RecordingResult[]> {
  if (!(await stat(root).catch(() => null))?.isDirectory()) throw new UsageError(`${root} is not a folder`);
  const results: RecordingResult[] = [];
  for await (const path of recordingsUnder(root)) {
    const name = relative(root, path);
    const label = await labelOf(path, root);
    if (!label) {
      console.warn(`skipped ${name}: no ${basename(path, '.jsonl')}.label.json and not under a fall/ or adl/ folder`);
      continue;
    }
    const parser = new RecordingParser({ tolerant: true, source: name });
    const frames: PoseFrame[] = [];
    for await (const frame of readRecording(createReadStream(path, { encoding: 'utf8' }), parser)) frames.push(frame);
    if (parser.issues.length) console.warn(`${name}: skipped ${parser.issues.length} damaged line(s), first: ${parser.issues[0]!.message}`);
    if (parser.header!.layout !== 'blazepose33') {
      console.warn(`skipped ${name}: layout ${parser.header!.layout}; the fall detector needs blazepose33 recordings`);
      continue;
    }
    if (frames.length === 0) {
      console.warn(`skipped ${name}: no frames`);
      continue;
    }
    results.push(evaluateRecording(name, frames, label, config));
  }
  if (results.length === 0) throw new UsageError(`no labelled .jsonl recordings under ${root}`);
  return results;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof UsageError || error instanceof Error ? `eval:falls: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
