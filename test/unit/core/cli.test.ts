import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/classify';
import { RecordingWriter } from '../../../src/recording';
import { MODEL_MANIFEST, MODEL_PRESENT } from './model-fixture';
import { ntuText, poseFrame } from './pose-helpers';

const folder = mkdtempSync(join(tmpdir(), 'classify-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A recording of one person for `seconds` at 30 fps (written by the app's RecordingWriter). */
function writeRecording(name: string, seconds: number, edit: (lines: string[]) => void = () => undefined): string {
  const lines: string[] = [];
  const writer = new RecordingWriter((line) => lines.push(line), { format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps: 30, width: 640, height: 480, source: 'test' });
  for (let i = 0; i < seconds * 30; i++) writer.append(poseFrame((i * 1000) / 30, [-0.3 + 0.01 * Math.sin(i / 5)]));
  edit(lines);
  const path = join(folder, name);
  writeFileSync(path, lines.join(''));
  return path;
}

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--model', MODEL_MANIFEST], { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('classify CLI: input errors', () => {
  it('names a missing file', async () => {
    expect(await run(join(folder, 'absent.jsonl'))).toMatchObject({ code: 1, err: [expect.stringMatching(/^error: cannot read .*absent.jsonl: no such file$/)] });
  });

  it('refuses a corrupt recording and an unknown file type', async () => {
    const corrupt = join(folder, 'corrupt.jsonl');
    writeFileSync(corrupt, '\u0000\u0001garbage');
    expect((await run(corrupt)).err[0]).toMatch(/corrupt.jsonl:1: not a skeleton recording/);
    const text = join(folder, 'notes.txt');
    writeFileSync(text, 'hello');
    expect((await run(text)).err[0]).toMatch(/unknown input type ".txt"; the CLI reads .jsonl, .skeleton, .mp4/);
  });

  it('prints usage for bad arguments', async () => {
    const { code, err } = await run();
    expect(code).toBe(2);
    expect(err[0]).toMatch(/expected exactly one input file, got 0\nusage: npm run classify/);
  });
});

describe.skipIf(!MODEL_PRESENT)('classify CLI on a recording', () => {
  it('labels every frame: spans of the shown label by default, one row per frame with --detail', async () => {
    const path = writeRecording('three-seconds.jsonl', 3);
    const { code, out, err } = await run(path);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    // 90 frames at 30 fps, a 64-frame window: frames 64 … 90 get a label.
    expect(out.at(-1)).toMatch(/^90 frames, 27 labels/);
    const spans = out.filter((line) => / s {2}person 1 {2}/.test(line));
    expect(spans.length).toBeGreaterThan(0);
    const counted = spans.map((line) => Number(/\((\d+) frames\)$/.exec(line)![1]));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(27);
    const detail = await run(path, '--detail');
    expect(detail.out.filter((line) => / s {2}person 1 {2}/.test(line))).toHaveLength(27);
  });

  it('stops at a malformed line, or skips it with --tolerant', async () => {
    const path = writeRecording('damaged.jsonl', 3, (lines) => (lines[40] = '{"t": "soon"}\n'));
    const strict = await run(path);
    expect(strict.code).toBe(1);
    expect(strict.err[0]).toMatch(/damaged.jsonl:41: t must be a number \(ms\), got "soon"/);
    const tolerant = await run(path, '--tolerant', '--json');
    expect(tolerant.code).toBe(0);
    expect(tolerant.err).toEqual([expect.stringMatching(/damaged.jsonl:41: skipped: t must be a number/)]);
    expect(tolerant.out.length).toBeGreaterThan(0);
  });

  it('classifies an NTU RGB+D .skeleton file', async () => {
    const path = join(folder, 'S001C001P001R001A043.skeleton');
    writeFileSync(path, ntuText(Array.from({ length: 72 }, () => 1)));
    const { code, out } = await run(path, '--json');
    expect(code).toBe(0);
    const spans = out.map((line) => JSON.parse(line) as { personId: number; frames: number });
    expect(new Set(spans.map((span) => span.personId))).toEqual(new Set([1]));
    expect(spans.reduce((sum, span) => sum + span.frames, 0)).toBe(72 - 64 + 1);
  });

  it('runs as `npm run classify` does (tsx), printing JSON lines per frame with --detail', async () => {
    const path = writeRecording('json.jsonl', 3);
    const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['cli/classify.ts', path, '--json', '--detail', '--model', MODEL_MANIFEST]);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { personId: number; label: string; p: number; tEnd: number; top: unknown[] });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.personId).toBe(1);
      expect(row.top).toHaveLength(5);
      expect(row.p).toBeGreaterThan(0);
    }
    expect(rows.map((row) => row.tEnd)).toEqual([...rows.map((row) => row.tEnd)].sort((a, b) => a - b));
  });
});
