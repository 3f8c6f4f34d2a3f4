/**
 * npm run eval:falls -- DIR [--model models/NAME.json] [--config FILE] [--hold-last-ms 3000] [--json]
 *   Replays labelled skeleton recordings (JSONL, docs/recording-format.md) through the app's tracker, its action
 *   model (with --model) and its fall monitoring, and prints sensitivity, specificity, precision, false alarms per
 *   hour and per 24 h of normal activity, and alert delays, overall and per folder / per source. Labels:
 *   NAME.label.json, NAME.labels.json (segments) or a fall/ / adl/ folder (docs/monitoring.md). A file that
 *   cannot be read is listed and skipped.
 * npm run eval:falls -- --generate DIR [--falls 40] [--adl 30] [--adl-minutes 2] [--seed 1]
 *   Writes a synthetic labelled set (eval/synthetic-set.ts) into DIR/fall and DIR/adl.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveMonitoringConfig } from '../src/settings/config';
import { breakdown, formatBreakdown, formatSummary, scoreRecording, summarise } from '../eval/fall-eval';
import { holdLastFrame, raiseFallAlerts, replayRecording } from '../eval/fall-replay';
import { generateFallSet } from '../eval/synthetic-set';
import { RecordingWriter } from '../src/recording';
import { DEFAULT_REPLAY_WINDOW, openReplayModel, type OpenedReplayModel } from './replay-model';
import { readLabelledRecordings, UsageError } from './fall-recordings';

const USAGE = 'usage: eval:falls -- DIR [--model models/NAME.json] [--config FILE] [--hold-last-ms MS] [--json]   |   eval:falls -- --generate DIR';

async function main(argv: string[]): Promise<number> {
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
      model: { type: 'string' },
      'hold-last-ms': { type: 'string', default: '3000' },
      json: { type: 'boolean', default: false },
    },
  });
  const number = (name: 'falls' | 'adl' | 'adl-minutes' | 'seed' | 'hold-last-ms') => {
    const value = Number(values[name]);
    if (!(value >= 0) || !Number.isFinite(value)) throw new UsageError(`--${name} must be a non-negative number, got "${values[name]}"`);
    return value;
  };
  if (values.generate) {
    await generate(values.generate, { falls: number('falls'), adl: number('adl'), adlMs: number('adl-minutes') * 60_000, seed: number('seed') });
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const config = values.config ? resolveMonitoringConfig(JSON.parse(await readFile(values.config, 'utf8'))) : resolveMonitoringConfig();
  const holdMs = number('hold-last-ms');
  const { recordings, failed } = await readLabelledRecordings(positionals[0]!, (line) => console.warn(line));
  if (recordings.length === 0) throw new UsageError(`no labelled .jsonl recordings under ${positionals[0]}`);
  const model: OpenedReplayModel | null = values.model ? await openReplayModel(values.model) : null;
  const results = [];
  try {
    for (const recording of recordings) {
      const frames = holdLastFrame(recording.frames, holdMs);
      const replay = await replayRecording(frames, model?.window ?? DEFAULT_REPLAY_WINDOW, model);
      const durationMs = recording.frames.at(-1)!.t - recording.frames[0]!.t;
      results.push(scoreRecording({ ...recording, durationMs }, recording.label, raiseFallAlerts(replay, config)));
    }
  } finally {
    await model?.release();
  }
  const summary = summarise(results);
  if (values.json) {
    console.log(JSON.stringify({ ...summary, holdLastMs: holdMs, model: model?.name ?? null, failed, byFolder: breakdown(results, 'folder'), bySource: breakdown(results, 'source') }, null, 2));
  } else {
    console.log(`${recordings.length} recordings, fall detector ${model ? `fused with model ${model.name}${model.trained ? '' : ' (untrained: weight 0)'}` : 'kinematics only (no --model)'}` +
      (holdMs > 0 ? `; each recording's last pose held ${(holdMs / 1000).toFixed(1)} s (a clip ends before a person who stays down can be confirmed; --hold-last-ms 0 turns this off)` : ''));
    console.log(formatSummary(summary));
    for (const by of ['folder', 'source'] as const) {
      const rows = breakdown(results, by);
      if (rows.length > 1) console.log(`\n${formatBreakdown(`by ${by}`, rows)}`);
    }
    if (failed.length) console.log(`\nnot evaluated (${failed.length}):\n${failed.map((line) => `  ${line}`).join('\n')}`);
  }
  return 0;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `eval:falls: ${error.message}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
