/**
 * npm run fit:falls -- DIR... [--model models/NAME.json] [--out FILE] [--seed 1] [--samples 150] [--sweeps 2]
 *                            [--grid 7] [--starts 3] [--hold-last-ms 3000] [--without-subject N]
 *   Fits the fall detector's thresholds (and, with a trained --model, the model's weight) to the labelled
 *   recordings under the folders (real and synthetic; recordings whose header source is "synthetic" weigh half)
 *   and writes them as a monitoring settings file ({"fall": {…}}) to --out; prints the fitted values and the
 *   figures on the recordings it was fitted to (training figures: see eval:loso for held-out ones).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolveMonitoringConfig, type MonitoringConfig } from '../src/settings/config';
import { formatSummary } from '../eval/fall-eval';
import { holdLastFrame, replayRecording } from '../eval/fall-replay';
import { fit, MODEL_WEIGHT, PARAMETERS, type FitOptions } from './fall-fit';
import { prepareRecording, type PreparedRecording } from './fall-fit-data';
import { readLabelledRecordings, UsageError } from './fall-recordings';
import { DEFAULT_REPLAY_WINDOW, openReplayModel } from './replay-model';

/** Reads, replays (through the model when given) and prepares every labelled recording under the folders. */
export async function prepareFolders(
  folders: readonly string[],
  options: { model?: string; holdMs: number; config: MonitoringConfig; warn: (line: string) => void },
): Promise<PreparedRecording[]> {
  const model = options.model ? await openReplayModel(options.model) : null;
  const prepared: PreparedRecording[] = [];
  try {
    for (const folder of folders) {
      const { recordings } = await readLabelledRecordings(folder, options.warn);
      for (const recording of recordings) {
        const replay = await replayRecording(holdLastFrame(recording.frames, options.holdMs), model?.window ?? DEFAULT_REPLAY_WINDOW, model);
        const durationMs = recording.frames.at(-1)!.t - recording.frames[0]!.t;
        prepared.push(prepareRecording({ ...recording, name: `${folder}/${recording.name}`, durationMs }, replay, options.config));
      }
    }
  } finally {
    await model?.release();
  }
  return prepared;
}

export function fitParameters(modelTrained: boolean) {
  return modelTrained ? [...PARAMETERS, MODEL_WEIGHT] : PARAMETERS;
}

/** The fitted fall settings as a monitoring settings file. */
export function fittedSettings(config: MonitoringConfig, command: string): string {
  return `${JSON.stringify({ $comment: `Fall settings fitted by: ${command}`, fall: config.fall }, null, 2)}\n`;
}

export const fitOptionValues = {
  seed: { type: 'string', default: '1' },
  samples: { type: 'string', default: '150' },
  sweeps: { type: 'string', default: '2' },
  grid: { type: 'string', default: '7' },
  starts: { type: 'string', default: '3' },
  'hold-last-ms': { type: 'string', default: '3000' },
  model: { type: 'string' },
} as const;

export function numberOption(values: Record<string, unknown>, name: string): number {
  const value = Number(values[name]);
  if (!(value >= 0) || !Number.isFinite(value)) throw new UsageError(`--${name} must be a non-negative number, got "${String(values[name])}"`);
  return value;
}

export function fitOptions(values: Record<string, unknown>, log: (line: string) => void): FitOptions {
  const starts = numberOption(values, 'starts');
  if (!Number.isInteger(starts) || starts < 1) throw new UsageError(`--starts must be a whole number of searches, at least 1, got "${String(values.starts)}"`);
  return { seed: numberOption(values, 'seed'), samples: numberOption(values, 'samples'), sweeps: numberOption(values, 'sweeps'), grid: numberOption(values, 'grid'), starts, log };
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...fitOptionValues, out: { type: 'string' }, 'without-subject': { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('usage: fit:falls -- DIR... [--model models/NAME.json] [--out FILE]');
  const base = resolveMonitoringConfig();
  const log = (line: string) => console.error(line);
  let recordings = await prepareFolders(positionals, { model: values.model, holdMs: numberOption(values, 'hold-last-ms'), config: base, warn: log });
  if (values['without-subject'] !== undefined) {
    const subject = numberOption(values, 'without-subject');
    recordings = recordings.filter((recording) => recording.subject !== subject);
  }
  if (recordings.length === 0) throw new UsageError('no labelled recordings to fit to');
  const trained = recordings.some((recording) => recording.modelTrained);
  const real = recordings.filter((recording) => !recording.synthetic).length;
  log(`fitting to ${recordings.length} recordings (${real} real, ${recordings.length - real} synthetic)${trained ? ', with the model' : ''}`);
  const result = fit(recordings, base, fitParameters(trained), fitOptions(values, log));
  const parameters = fitParameters(trained);
  console.log(`fitted (${result.evaluations} evaluations, robust objective ${result.robust.toFixed(3)}):`);
  parameters.forEach((parameter, i) => console.log(`  fall.${parameter.path.join('.')} = ${result.point[i]}`));
  if (result.scored.real) console.log(`\non the real recordings it was fitted to:\n${formatSummary(result.scored.real)}`);
  if (result.scored.synthetic) console.log(`\non the synthetic recordings it was fitted to:\n${formatSummary(result.scored.synthetic)}`);
  if (values.out) {
    await writeFile(values.out, fittedSettings(result.config, `npm run fit:falls -- ${argv.join(' ')}`));
    console.log(`\nwrote ${values.out}`);
  }
}

if (process.argv[1]?.endsWith('fit-falls.ts')) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? `fit:falls: ${error.message}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
