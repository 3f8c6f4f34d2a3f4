// npm run poses without a browser: which videos, under which names and outputs; what counts as already done;
// the progress lines on a terminal and in a log.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/poses';
import { formatDuration, ProgressReporter, progressParts, type BatchProgress } from '../../../cli/progress';
import { commonFolder, isFinishedRecording, planBatch } from '../../../cli/video-batch';
import { REPO_ROOT } from '../../../scripts/headless/app-server';

const root = mkdtempSync(join(tmpdir(), 'poses-batch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function touch(path: string, text = 'video'): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('planBatch', () => {
  const dataset = join(root, 'gmdcsa24');
  for (const name of ['Subject 1/Fall/13.mp4', 'Subject 1/Fall/2.mp4', 'Subject 1/ADL/10.MP4', 'Subject 10/Fall/01.mp4', 'Subject 2/Fall/12.mp4', 'Subject 2/Fall.csv', 'notes.txt']) {
    touch(join(dataset, name));
  }

  it('finds the videos of folders recursively, in natural order, named relative to the common folder', async () => {
    const plan = await planBatch([dataset], join(root, 'out'));
    expect(plan.problems).toEqual([]);
    expect(plan.videos.map((video) => video.name)).toEqual(['Subject 1/ADL/10.MP4', 'Subject 1/Fall/2.mp4', 'Subject 1/Fall/13.mp4', 'Subject 2/Fall/12.mp4', 'Subject 10/Fall/01.mp4']);
    expect(plan.videos[2]).toEqual({ path: join(dataset, 'Subject 1/Fall/13.mp4'), name: 'Subject 1/Fall/13.mp4', output: join(root, 'out', 'Subject 1/Fall/13.jsonl') });
  });

  it('names files by their common folder, skips a file given twice, and lists missing inputs and empty folders', async () => {
    const plan = await planBatch([join(dataset, 'Subject 1/Fall/13.mp4'), join(dataset, 'Subject 2'), join(dataset, 'Subject 2/Fall/12.mp4'), join(root, 'absent.mp4'), join(root, 'empty')], 'out');
    expect(plan.videos.map((video) => video.name)).toEqual(['Subject 1/Fall/13.mp4', 'Subject 2/Fall/12.mp4']);
    expect(plan.problems).toEqual([`${join(root, 'absent.mp4')}: no such file or folder`, `${join(root, 'empty')}: no such file or folder`]);
    mkdirSync(join(root, 'empty'));
    expect((await planBatch([join(root, 'empty')], 'out')).problems).toEqual([`${join(root, 'empty')}: no video files (.mp4, .webm, .mov, .mkv, .m4v, .ogv) in this folder`]);
    expect((await planBatch([join(dataset, 'Subject 1/Fall/13.mp4')], 'out')).videos.map((video) => video.name)).toEqual(['13.mp4']);
  });

  it('refuses two videos that would write the same recording', async () => {
    const a = touch(join(root, 'clash', 'walk.mp4'));
    const b = touch(join(root, 'clash', 'walk.webm'));
    const plan = await planBatch([join(root, 'clash')], join(root, 'out'));
    expect(plan.videos.map((video) => video.path)).toEqual([a]);
    expect(plan.problems).toEqual([`${b}: its recording would overwrite the one of ${a} (${join(root, 'out', 'walk.jsonl')}); rename one of them`]);
  });

  it('commonFolder is the deepest shared folder', () => {
    expect(commonFolder(['/a/b/c', '/a/b/d/e'])).toBe('/a/b');
    expect(commonFolder(['/a/b'])).toBe('/a/b');
    expect(commonFolder(['/a', '/b'])).toBe('/');
  });
});

describe('isFinishedRecording', () => {
  it('is true only for a file that starts with a recording header', async () => {
    const header = '{"format":"skeleton-recording","version":1,"layout":"blazepose33","fps":30,"width":640,"height":480,"source":"video:x.mp4"}\n';
    expect(await isFinishedRecording(touch(join(root, 'done.jsonl'), `${header}{"t":0,"people":[]}\n`))).toBe(true);
    expect(await isFinishedRecording(touch(join(root, 'garbage.jsonl'), 'not json\n'))).toBe(false);
    expect(await isFinishedRecording(touch(join(root, 'empty.jsonl'), ''))).toBe(false);
    expect(await isFinishedRecording(join(root, 'absent.jsonl'))).toBe(false);
  });
});

describe('progress', () => {
  const state: BatchProgress = { video: 2, videos: 23, name: 'Subject 1/Fall/14.mp4', frames: 50, videoFrames: 150, framesBefore: 100, batchFrames: 3100, videoStartedAt: 10_000, batchStartedAt: 0 };

  it('gives frames, fps and ETA for the video and the batch', () => {
    expect(progressParts(state, 15_000)).toEqual({ video: '50/150 frames, 10.0 fps, ETA 10 s', batch: 'all 150/3100 frames, ETA 4 min 55 s' });
    expect(progressParts({ ...state, frames: 0, framesBefore: 0 }, 10_000).video).toBe('0/150 frames, 0.0 fps, ETA ?');
    expect([formatDuration(4_400), formatDuration(126_000), formatDuration(3_720_000)]).toEqual(['4 s', '2 min 06 s', '1 h 02 min']);
  });

  it('redraws one bar line on a terminal, and clears it for a result line', () => {
    let now = 15_000;
    const written: string[] = [];
    const reporter = new ProgressReporter({ isTTY: true, columns: 200, write: (text) => written.push(text) }, () => now);
    reporter.update(state);
    now += 50;
    reporter.update({ ...state, frames: 51 }); // within 100 ms: not drawn
    expect(written).toEqual([`\r[2/23] Subject 1/Fall/14.mp4 ${'█'.repeat(7)}${'░'.repeat(13)} 50/150 frames, 10.0 fps, ETA 10 s | all 150/3100 frames, ETA 4 min 55 s\x1b[K`]);
    const results: string[] = [];
    reporter.line('done     Subject 1/Fall/14.mp4', { write: (text) => results.push(text) });
    expect(written.at(-1)).toBe('\r\x1b[K');
    expect(results).toEqual(['done     Subject 1/Fall/14.mp4\n']);
  });

  it('writes a plain line every interval when stderr is not a terminal', () => {
    let now = 15_000;
    const written: string[] = [];
    const reporter = new ProgressReporter({ isTTY: false, write: (text) => written.push(text) }, () => now, 10_000);
    reporter.update(state);
    now += 9_000;
    reporter.update({ ...state, frames: 140 });
    now += 2_000;
    reporter.update({ ...state, frames: 150 });
    expect(written).toEqual([
      'progress [2/23] Subject 1/Fall/14.mp4: 50/150 frames, 10.0 fps, ETA 10 s; all 150/3100 frames, ETA 4 min 55 s\n',
      'progress [2/23] Subject 1/Fall/14.mp4: 150/150 frames, 9.4 fps, ETA 0 s; all 250/3100 frames, ETA 4 min 56 s\n',
    ]);
  });
});

describe('poses CLI usage', () => {
  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(argv, { out: { write: (text) => (out += text) }, err: { write: (text) => (err += text) } });
    return { code, out, err };
  }

  it('prints its usage on --help', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: npm run poses -- VIDEO\|FOLDER\.\.\. --out DIR/), err: '' });
  });

  it('names what is wrong with the command line', async () => {
    expect(await run('--out', 'x')).toMatchObject({ code: 2, err: expect.stringMatching(/^no video or folder given\nusage: npm run poses/) });
    expect(await run('a.mp4')).toMatchObject({ code: 2, err: expect.stringMatching(/^--out DIR is required\n/) });
    expect(await run('a.mp4', '--out', 'x', '--pose', 'huge')).toMatchObject({ code: 2, err: expect.stringMatching(/^--pose must be one of lite, full, heavy, got "huge"\n/) });
    expect(await run('a.mp4', '--frobnicate')).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown option '--frobnicate'/) });
  });

  it('says so when the browser cannot start (run as npm run poses does)', () => {
    const video = touch(join(root, 'one', 'clip.mp4'));
    const run = spawnSync('npx', ['tsx', 'cli/poses.ts', video, '--out', join(root, 'out-one')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: join(root, 'no-chromium') },
    });
    expect(run.stderr).toContain(`error: the headless browser could not start: Chromium not found at ${join(root, 'no-chromium')}: install the Debian package "chromium" or set CHROMIUM_PATH`);
    expect(run.status).toBe(1);
  });

  it('fails without starting a browser when no input exists', async () => {
    const { code, out, err } = await run(join(root, 'nothing.mp4'), '--out', join(root, 'out'));
    expect(code).toBe(1);
    expect(err).toContain(`FAILED   ${join(root, 'nothing.mp4')}: no such file or folder`);
    expect(out).toBe('1 inputs: 0 converted, 0 already done, 1 failed\n');
  });
});
