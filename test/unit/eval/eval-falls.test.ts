import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarise, type RecordingResult } from '../../../eval/fall-eval';

const runCli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/eval-falls.ts', ...args], { encoding: 'utf8' });

describe('npm run eval:falls', () => {
  it('generates a labelled synthetic set and evaluates it (sidecar labels and fall/ adl/ folders)', () => {
    const root = mkdtempSync(join(tmpdir(), 'sentinel-evalset-'));
    const generated = runCli('--generate', root, '--falls', '3', '--adl', '2', '--adl-minutes', '0.5', '--seed', '7');
    expect(generated.stderr).toBe('');
    expect(generated.stdout).toMatch(/^wrote 5 recordings/);
    expect(readdirSync(join(root, 'fall')).filter((name) => name.endsWith('.label.json'))).toHaveLength(3);

    // A recording labelled only by its folder (no sidecar, so no fall time) and an unlabelled one.
    mkdirSync(join(root, 'extra', 'fall'), { recursive: true });
    const someFall = readdirSync(join(root, 'fall')).find((name) => name.endsWith('.jsonl'))!;
    copyFileSync(join(root, 'fall', someFall), join(root, 'extra', 'fall', 'by-folder.jsonl'));
    copyFileSync(join(root, 'fall', someFall), join(root, 'unlabelled.jsonl'));

    const result = runCli(root, '--json');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/skipped unlabelled\.jsonl: no unlabelled\.label\.json/);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ falls: 4, adl: 2 });
    // The generated set carries MediaPipe's measured dropouts, swaps and flips (docs/real-poses.md): this checks the
    // plumbing, not the detector's sensitivity on it.
    expect(summary.sensitivity).toBeGreaterThan(0);
    expect(summary.normalHours).toBeGreaterThan(1 / 60);

    const text = runCli(root).stdout;
    expect(text).toMatch(/sensitivity \d+\.\d %/);
    expect(text).toMatch(/per 24 h/);
    expect(text).toMatch(/delay \(fall → alert\): mean \d+\.\d\d s/);
  }, 120_000);

  it('with --model replays through the fused detector the app runs (the default trained model), per folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'sentinel-evalmodel-'));
    expect(runCli('--generate', root, '--falls', '2', '--adl', '1', '--adl-minutes', '0.3', '--seed', '3').status).toBe(0);
    const fused = runCli(root, '--model', 'models/default.json');
    expect(fused.status).toBe(0);
    expect(fused.stdout).toMatch(/3 recordings, fall detector fused with model default;/);
    expect(fused.stdout).toMatch(/falls: +\d\/2 detected/);
    expect(fused.stdout).toMatch(/precision: /);
    expect(fused.stdout).toMatch(/by folder +falls detected/);
    const missing = runCli(root, '--model', join(root, 'no-such-model.json'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no-such-model\.json/);
  }, 180_000);

  it('explains bad input, and goes on past a file it cannot read, listing it', () => {
    const root = mkdtempSync(join(tmpdir(), 'sentinel-evalbad-'));
    expect(runCli(root).stderr).toMatch(/no labelled \.jsonl recordings under/);
    expect(runCli(join(root, 'missing')).stderr).toMatch(/is not a folder/);
    mkdirSync(join(root, 'adl'));
    writeFileSync(join(root, 'adl', 'x.jsonl'), 'not json\n');
    const onlyBroken = runCli(root);
    expect(onlyBroken.status).toBe(2);
    expect(onlyBroken.stderr).toMatch(/skipped adl\/x\.jsonl:1: not a skeleton recording/);

    expect(runCli('--generate', join(root, 'set'), '--falls', '1', '--adl', '1', '--adl-minutes', '0.2').status).toBe(0);
    const mixed = runCli(root);
    expect(mixed.status).toBe(0);
    expect(mixed.stdout).toMatch(/falls: +1\/1 detected/);
    expect(mixed.stdout).toMatch(/not evaluated \(1\):\n  adl\/x\.jsonl:1: not a skeleton recording/);
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'cli/eval-falls.ts'], { stdio: 'pipe' })).toThrow(/usage/);
  }, 60_000);
});

describe('evaluation summary', () => {
  const result = (name: string, fall: boolean, detected: boolean, falseAlarms: number, normalMs: number, delayMs: number | null): RecordingResult => ({
    name, folder: fall ? 'fall' : 'adl', source: 'synthetic', label: { fall, fallAtMs: fall ? 1000 : null }, durationMs: normalMs + 1000,
    normalMs, detected, falseAlarms, delayMs, confirmDelayMs: delayMs === null ? null : delayMs - 500,
  });

  it('computes sensitivity, specificity, false alarms per hour and delays', () => {
    const summary = summarise([
      result('f1', true, true, 0, 1000, 5000),
      result('f2', true, true, 0, 1000, 7000),
      result('f3', true, false, 1, 1000, null),
      result('a1', false, false, 0, 3_600_000, null),
      result('a2', false, false, 2, 3_597_000, null),
    ]);
    expect(summary).toMatchObject({ falls: 3, detectedFalls: 2, adl: 2, adlWithoutAlarm: 1, falseAlarms: 3, missed: ['f3'], falseAlarmRecordings: ['f3', 'a2'] });
    expect(summary.sensitivity).toBeCloseTo(2 / 3);
    expect(summary.specificity).toBeCloseTo(0.5);
    expect(summary.normalHours).toBeCloseTo(2);
    expect(summary.falseAlarmsPerHour).toBeCloseTo(1.5);
    expect(summary.delayMs).toEqual({ mean: 6000, median: 6000, p90: 7000, max: 7000 });
    expect(summary.confirmDelayMs).toMatchObject({ mean: 5500 });
    expect(summary.precision).toBeCloseTo(2 / 5);
    expect(summary.falseAlarmsPer24h).toBeCloseTo(36);
  });
});
