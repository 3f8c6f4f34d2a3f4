import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (script: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
// A search this small takes seconds; the procedure is the same as the documented run's.
const QUICK = ['--samples', '4', '--sweeps', '1', '--grid', '3'];

/** A generated labelled set whose recordings all show `subject` (segment sidecars, as `labels:gmdcsa24` writes). */
function subjectSet(root: string, subject: number, seed: number): void {
  const folder = join(root, `Subject ${subject}`);
  expect(run('cli/eval-falls.ts', '--generate', folder, '--falls', '2', '--adl', '1', '--adl-minutes', '0.3', '--seed', String(seed)).status).toBe(0);
  for (const kind of ['fall', 'adl']) {
    for (const name of readdirSync(join(folder, kind)).filter((file) => file.endsWith('.jsonl'))) {
      const single = join(folder, kind, name.replace(/\.jsonl$/, '.label.json'));
      const label = kind === 'fall' ? (JSON.parse(readFileSync(single, 'utf8')) as { fallAtMs: number }) : null;
      rmSync(single, { force: true });
      const sidecar = { format: 'skeleton-recording-labels', version: 1, subject, fall: kind === 'fall', ...(label ? { fallAtMs: label.fallAtMs } : {}), segments: [] };
      writeFileSync(join(folder, kind, name.replace(/\.jsonl$/, '.labels.json')), JSON.stringify(sidecar));
    }
  }
}

describe('npm run eval:loso', () => {
  it('fits each fold without its subject, scores the held-out subject only, and replays fold settings on --check', () => {
    const root = mkdtempSync(join(tmpdir(), 'sentinel-loso-'));
    subjectSet(join(root, 'real'), 1, 3);
    subjectSet(join(root, 'real'), 2, 4);
    expect(run('cli/eval-falls.ts', '--generate', join(root, 'check'), '--falls', '1', '--adl', '1', '--adl-minutes', '0.3', '--seed', '5').status).toBe(0);

    const text = run('cli/loso-falls.ts', join(root, 'real'), '--check', join(root, 'check'), ...QUICK);
    expect(text.stderr).toMatch(/fold: subject 1 held out \(3 recordings\); fitting to 3/);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^leave-one-subject-out over 2 subjects, 6 held-out recordings, kinematics only/);
    expect(text.stdout).toMatch(/subject 2: falls \d\/2, ADL without alarm \d\/1/);
    expect(text.stdout).toMatch(/its settings on .*check: falls \d\/1, ADL without alarm \d\/1, [\d.]+ false alarms per hour/);
    expect(text.stdout).toMatch(/pooled held-out figures:\nfalls: +\d\/4 detected/);

    const json = JSON.parse(run('cli/loso-falls.ts', join(root, 'real'), ...QUICK, '--json').stdout);
    expect(json.folds.map((fold: { subject: number }) => fold.subject)).toEqual([1, 2]);
    expect(json.pooled).toMatchObject({ falls: 4, adl: 2 });
    expect(json.folds[0].check).toBeNull();

    // With fold models the fused detector is fitted, its model weight included (one more parameter).
    const fused = run('cli/loso-falls.ts', join(root, 'real'), '--fold-model', 'models/default.json', ...QUICK, '--json');
    expect(fused.status).toBe(0);
    const parsed = JSON.parse(fused.stdout);
    expect(parsed.foldModel).toBe('models/default.json');
    expect(parsed.folds[0].point).toHaveLength(json.folds[0].point.length + 1);
  }, 240_000);

  it('says what is wrong with its input', () => {
    const root = mkdtempSync(join(tmpdir(), 'sentinel-loso-bad-'));
    expect(run('cli/loso-falls.ts').stderr).toMatch(/usage: eval:loso/);
    expect(run('cli/loso-falls.ts', root, '--model', 'models/default.json').stderr).toMatch(/--fold-model PATTERN instead/);
    subjectSet(root, 1, 3);
    const one = run('cli/loso-falls.ts', root, ...QUICK);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/needs recordings of at least two subjects, found 1/);
    mkdirSync(join(root, 'unknown', 'fall'), { recursive: true });
    const [someFall] = readdirSync(join(root, 'Subject 1', 'fall')).filter((file) => file.endsWith('.jsonl'));
    renameSync(join(root, 'Subject 1', 'fall', someFall!), join(root, 'unknown', 'fall', 'x.jsonl'));
    expect(run('cli/loso-falls.ts', root, ...QUICK).stderr).toMatch(/every real recording needs a "subject" in its \.labels\.json/);
  }, 120_000);
});
