// npm run poses and npm run labels:gmdcsa24 as a user runs them, on two real GMDCSA24 clips (test/fixtures/gmdcsa24:
// H.264 mp4 at 30 and 14.985 fps, B-frames) and damaged files, through real Chromium and the real pose model.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRecording } from '../../src/recording/format';
import { REPO_ROOT } from '../../scripts/headless/app-server';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/gmdcsa24');
const WORK = join(REPO_ROOT, 'test-results', 'poses-e2e');
const INPUT = join(WORK, 'input');
const OUT = join(WORK, 'out');
const CLIPS = [
  { name: 'Subject 1/Fall/15', fps: 30 },
  { name: 'Subject 3/Fall/20', fps: 14.985 },
];

function npm(script: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const run = spawnSync('npm', ['run', '-s', script, '--', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 400_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** Presentation times (ms) of every frame, as ffprobe decodes them. */
function ffprobeFrameTimes(video: string): number[] {
  const text = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', video], { encoding: 'utf8' });
  return text.split('\n').map((line) => line.replace(/,$/, '').trim()).filter(Boolean).map((seconds) => Number(seconds) * 1000);
}

const filesUnder = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)]));

let first: ReturnType<typeof npm>;

beforeAll(() => {
  rmSync(WORK, { recursive: true, force: true });
  cpSync(FIXTURES, INPUT, { recursive: true, filter: (path) => !path.endsWith('.csv') });
  const broken = join(INPUT, 'broken');
  mkdirSync(broken);
  const clip = readFileSync(join(FIXTURES, 'Subject 1/Fall/15.mp4'));
  writeFileSync(join(broken, 'text.mp4'), 'this is text, not a video\n'.repeat(50));
  writeFileSync(join(broken, 'header-only.mp4'), clip.subarray(0, 3000)); // moov first (faststart), no frame data
  writeFileSync(join(broken, 'truncated.mp4'), clip.subarray(0, Math.floor(clip.length / 2)));
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=1', join(broken, 'sound-only.mp4')]);
  first = npm('poses', INPUT, '--out', OUT);
}, 600_000);

describe('npm run poses', () => {
  it('writes one recording per video with every frame at its media time, and reports each damaged file without stopping', () => {
    expect(first.err).toContain('FAILED   broken/text.mp4: not a video file this browser can read (unknown or damaged container)');
    expect(first.err).toContain('FAILED   broken/sound-only.mp4: the file has no video track');
    expect(first.err).toContain('FAILED   broken/header-only.mp4: no frame could be decoded (a truncated or damaged file?)');
    expect(first.out).toMatch(/^done {5}broken\/truncated\.mp4 → broken\/truncated\.jsonl: \d+ frames, \d+ of the 75 listed frames not decoded/m);
    expect(first.out).toMatch(/^6 inputs: 3 converted, 0 already done, 3 failed in /m);
    expect(first.err).toMatch(/^ {2}incomplete \(damaged file\?\): broken\/truncated\.mp4: \d+ of 75 frames decoded$/m);
    expect(first.code).toBe(1);
    for (const { name, fps } of CLIPS) {
      expect(first.out).toMatch(new RegExp(`^done {5}${name}\\.mp4 → ${name}\\.jsonl: \\d+ frames, \\d+ with a person`, 'm'));
      const { header, frames } = parseRecording(readFileSync(join(OUT, `${name}.jsonl`), 'utf8'));
      expect(header).toEqual({ format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps, width: 640, height: 480, source: `video:${name}.mp4` });
      const expected = ffprobeFrameTimes(join(INPUT, `${name}.mp4`));
      expect(frames.map((frame) => frame.t)).toEqual(expected.map((t) => expect.closeTo(t, 3)));
      const spacing = (frames.at(-1)!.t - frames[0]!.t) / (frames.length - 1);
      expect(spacing).toBeCloseTo(1000 / fps, 0);
      expect(frames.filter((frame) => frame.people.length > 0).length).toBeGreaterThanOrEqual(0.8 * frames.length);
    }
    expect(filesUnder(OUT).filter((path) => path.endsWith('.partial'))).toEqual([]);
    expect(existsSync(join(OUT, 'broken', 'text.jsonl'))).toBe(false);
  });

  it('skips finished recordings on a second run, and --force redoes them', () => {
    const recording = join(OUT, 'Subject 3/Fall/20.jsonl');
    const before = statSync(recording).mtimeMs;
    const again = npm('poses', join(INPUT, 'Subject 1'), join(INPUT, 'Subject 3'), '--out', OUT);
    expect(again.out).toContain(`skipped  Subject 1/Fall/15.mp4: already done (${join(OUT, 'Subject 1/Fall/15.jsonl')}; --force redoes it)`);
    expect(again.out).toContain('2 inputs: 0 converted, 2 already done, 0 failed');
    expect(again.code).toBe(0);
    expect(statSync(recording).mtimeMs).toBe(before);
    const forced = npm('poses', join(INPUT, 'Subject 3'), '--out', join(OUT, 'Subject 3'), '--force');
    expect(forced.out).toContain('1 inputs: 1 converted, 0 already done, 0 failed');
    expect(forced.code).toBe(0);
    expect(parseRecording(readFileSync(recording, 'utf8')).header.source).toBe('video:Fall/20.mp4');
  });
});

describe('npm run labels:gmdcsa24 on the recordings', () => {
  it('writes the label sidecars beside them, with the fall onset after the first frame', () => {
    const labelled = join(WORK, 'labelled');
    for (const { name } of CLIPS) {
      mkdirSync(join(labelled, name, '..'), { recursive: true });
      copyFileSync(join(OUT, `${name}.jsonl`), join(labelled, `${name}.jsonl`));
    }
    const run = npm('labels:gmdcsa24', FIXTURES, '--recordings', labelled);
    expect(run.out).toContain('2 label files written; 6 CSV rows skipped (video absent); 0 videos without a recording; 0 unreadable files; 2 warnings');
    expect(run.code).toBe(0);
    const sidecar = JSON.parse(readFileSync(join(labelled, 'Subject 3/Fall/20.labels.json'), 'utf8'));
    // The clip's first frame is at 66 ms of the video; the CSV puts the fall at 1.3 s of the video.
    expect(sidecar).toMatchObject({ subject: 3, camera: 0, fall: true, fallAtMs: 1234 });
    expect(sidecar.segments).toEqual([
      { start: 66, end: 1200, label: 'walking' },
      { start: 1300, end: expect.closeTo(2535.1, 0), label: 'falling_forward' },
    ]);
  });
});
