/**
 * npm run eval:loso -- REAL_DIR [--synthetic DIR] [--fold-model 'runs/real/NAME/without-{subject}.json']
 *                      [--check DIR] [--seed 1] [--samples 150] [--sweeps 2] [--grid 7] [--hold-last-ms 3000] [--json]
 *   Leave-one-subject-out evaluation of the whole fall detector: for every subject of the real recordings (the
 *   `subject` of their .labels.json), fit the detector to the other subjects (plus the synthetic recordings),
 *   using the action model trained without that subject (--fold-model, `{subject}` replaced), and evaluate it on
 *   the held-out subject only. Prints each fold and the pooled figures: nothing is ever scored on a recording
 *   that its thresholds or its model were fitted to. --check DIR also replays each fold's fitted settings on other
 *   recordings (a synthetic set the folds were not fitted to, another real set): what those settings cost there.
 */
import { parseArgs } from 'node:util';
import { resolveMonitoringConfig } from '../src/settings/config';
import { formatSummary, scoreRecording, summarise, type RecordingResult } from '../eval/fall-eval';
import { fit } from './fall-fit';
import { detectFallAlerts, type PreparedRecording } from './fall-fit-data';
import { UsageError } from './fall-recordings';
import { fitOptions, fitOptionValues, fitParameters, numberOption, prepareFolders } from './fit-falls';

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...fitOptionValues, synthetic: { type: 'string', multiple: true, default: [] }, 'fold-model': { type: 'string' }, json: { type: 'boolean', default: false }, check: { type: 'string', multiple: true, default: [] } },
  });
  if (positionals.length !== 1) throw new UsageError('usage: eval:loso -- REAL_DIR [--synthetic DIR] [--fold-model PATTERN] [--check DIR]');
  if (values.model) throw new UsageError('--model: give --fold-model PATTERN instead (one model per held-out subject)');
  const base = resolveMonitoringConfig();
  const log = (line: string) => console.error(line);
  const holdMs = numberOption(values, 'hold-last-ms');
  const prepare = (folders: string[], model?: string) => prepareFolders(folders, { model, holdMs, config: base, warn: log });
  const pattern = values['fold-model'];
  // Without per-fold models everything is prepared once; with them, per fold (the model's outputs differ).
  const prepareAll = async (model?: string) => ({ real: await prepare([positionals[0]!], model), synthetic: await prepare(values.synthetic, model), check: await prepare(values.check, model) });
  const shared = pattern ? null : await prepareAll();
  const subjects = [...new Set((shared?.real ?? (await prepare([positionals[0]!]))).map((r) => r.subject))];
  if (subjects.some((subject) => subject === null)) throw new UsageError(`every real recording needs a "subject" in its .labels.json (${positionals[0]})`);
  if (subjects.length < 2) throw new UsageError(`leave-one-subject-out needs recordings of at least two subjects, found ${subjects.length}`);
  const results: RecordingResult[] = [];
  type Summary = ReturnType<typeof summarise>;
  const folds: Array<{ subject: number; point: number[]; summary: Summary; check: Summary | null }> = [];
  for (const subject of (subjects as number[]).sort((a, b) => a - b)) {
    const model = pattern?.replaceAll('{subject}', String(subject));
    const data = shared ?? (await prepareAll(model));
    const training: PreparedRecording[] = [...data.real.filter((r) => r.subject !== subject), ...data.synthetic];
    const heldOut = data.real.filter((r) => r.subject === subject);
    log(`fold: subject ${subject} held out (${heldOut.length} recordings); fitting to ${training.length}${model ? ` with ${model}` : ''}`);
    const trained = training.some((recording) => recording.modelTrained);
    const fitted = fit(training, base, fitParameters(trained), fitOptions(values, log));
    const replay = (recordings: readonly PreparedRecording[], folder: string, source: string) =>
      recordings.map((recording) => scoreRecording({ ...recording, folder, source }, recording.label, detectFallAlerts(recording, fitted.config)));
    const scored = replay(heldOut, `subject ${subject}`, 'real');
    results.push(...scored);
    folds.push({ subject, point: fitted.point, summary: summarise(scored), check: data.check.length ? summarise(replay(data.check, 'check', 'check')) : null });
  }
  const pooled = summarise(results);
  if (values.json) {
    console.log(JSON.stringify({ pooled, folds, holdLastMs: holdMs, foldModel: pattern ?? null, synthetic: values.synthetic }, null, 2));
    return;
  }
  console.log(`leave-one-subject-out over ${subjects.length} subjects, ${results.length} held-out recordings` +
    `${pattern ? `, fold models ${pattern}` : ', kinematics only'}${values.synthetic.length ? `, synthetic ${values.synthetic.join(' ')}` : ''}`);
  for (const fold of folds) {
    const s = fold.summary;
    console.log(`  subject ${fold.subject}: falls ${s.detectedFalls}/${s.falls}, ADL without alarm ${s.adlWithoutAlarm}/${s.adl}, false alarms ${s.falseAlarms}`);
    const c = fold.check;
    if (c) console.log(`    its settings on ${values.check.join(' ')}: falls ${c.detectedFalls}/${c.falls}, ADL without alarm ${c.adlWithoutAlarm}/${c.adl}, ${c.falseAlarmsPerHour?.toFixed(1) ?? '-'} false alarms per hour`);
  }
  console.log(`\npooled held-out figures:\n${formatSummary(pooled)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `eval:loso: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
