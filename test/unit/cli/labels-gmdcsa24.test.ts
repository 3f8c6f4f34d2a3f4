// npm run labels:gmdcsa24 on a small dataset tree: sidecars beside the recordings, absent videos counted, every
// problem named with file and line, exit codes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/labels-gmdcsa24';
import { RecordingWriter } from '../../../src/recording';

const root = mkdtempSync(join(tmpdir(), 'gmdcsa24-'));
const dataset = join(root, 'dataset');
const recordings = join(root, 'recordings');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEADER = 'File Name,Length (seconds),Time of Recording,Attire,Description, Classes\n';

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/** A recording of `frames` frames at 30 fps starting at `firstMs`, nobody in view (the converter reads only t). */
function recording(path: string, frames: number, firstMs = 0): void {
  const lines: string[] = [];
  const writer = new RecordingWriter((line) => lines.push(line), { format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps: 30, width: 640, height: 480, source: 'video:x.mp4' });
  for (let i = 0; i < frames; i++) writer.append({ t: firstMs + (i * 1000) / 30, people: [] });
  write(path, lines.join(''));
}

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

beforeAll(() => {
  write(join(dataset, 'Subject 1', 'Fall.csv'), HEADER +
    '13.mp4,04, Day (Light On),T-shirt & Trousers, Standing position to falling. Backward fall, Falling (BW)[0.4 to 4]; Standing[0 to 0.3]\n' +
    '14.mp4,05, Day (Light On),T-shirt & Trousers, Standing position to falling, Falling (BW) [0.3 to 5]; Standing [0 to 0.2]\n' +
    '15.mp4,04,Day,T-Shirt,Sitting to falling, Falling (FW); Sitting[0 to 1.7]\n');
  write(join(dataset, 'Subject 1', 'ADL.csv'), HEADER + '06.mp4,10,Day,Shirt,Picking up the phone, Sitting[9.7 to 3]; Standing[0 to 0.5; 4.2 to 6.5]\n');
  for (const video of ['Fall/13.mp4', 'Fall/15.mp4', 'Fall/99.mp4', 'ADL/06.mp4']) write(join(dataset, 'Subject 1', video), 'video');
  recording(join(recordings, 'Subject 1', 'Fall', '13.jsonl'), 130, 33.333);
  recording(join(recordings, 'Subject 1', 'Fall', '15.jsonl'), 120);
  // Subject 2: a CSV that is not CSV, and no ADL.csv.
  write(join(dataset, 'Subject 2', 'Fall.csv'), HEADER + '01.mp4,06,Day,"T-Shirt, Pants,Right side fall, Falling (SW)[1.4 to 6]\n');
});

describe('labels:gmdcsa24', () => {
  it('writes a sidecar beside each recording whose video exists and names every problem', async () => {
    const { code, out, err } = await run(dataset, '--recordings', recordings);
    const sidecar = JSON.parse(readFileSync(join(recordings, 'Subject 1', 'Fall', '13.labels.json'), 'utf8'));
    expect(sidecar).toEqual({
      format: 'skeleton-recording-labels',
      version: 1,
      subject: 1,
      camera: 0,
      fall: true,
      fallAtMs: 366.667,
      origin: 'GMDCSA24 Subject 1/Fall.csv line 2: Falling (BW)[0.4 to 4]; Standing[0 to 0.3]',
      segments: [{ start: 33.333, end: 300, label: 'standing' }, { start: 400, end: 2400, label: 'falling_backward' }],
    });
    const unknownFall = JSON.parse(readFileSync(join(recordings, 'Subject 1', 'Fall', '15.labels.json'), 'utf8'));
    expect(unknownFall).toMatchObject({ fall: true, segments: [{ start: 0, end: 1700, label: 'sitting' }] });
    expect(unknownFall).not.toHaveProperty('fallAtMs');
    expect(out).toContain('wrote Subject 1/Fall/13.labels.json: fallAtMs 366.667; standing 0.0–0.3 s, falling_backward 0.4–2.4 s');
    expect(err).toEqual(expect.arrayContaining([
      'warning: Subject 1/Fall.csv: Fall/99.mp4 has no row; it gets no labels',
      'warning: Subject 1/Fall.csv:4 (15.mp4): "Falling (FW)": no [start to end] interval   [text: Falling (FW); Sitting[0 to 1.7]]',
      'warning: Subject 1/Fall.csv:4 (15.mp4): no falling interval: the fall time is unknown   [text: Falling (FW); Sitting[0 to 1.7]]',
      expect.stringMatching(/^no recording for Subject 1\/ADL\/06\.mp4: .*06\.jsonl is missing \(npm run poses -- /),
      expect.stringMatching(/^Subject 2\/Fall\.csv: not a readable CSV file \(.*\); no labels for this folder$/),
      'warning: Subject 2/ADL.csv: missing; no labels for this folder',
    ]));
    expect(out.at(-1)).toBe('2 label files written; 1 CSV rows skipped (video absent); 1 videos without a recording; 1 unreadable files; 4 warnings');
    expect(code).toBe(1);
  });

  it('exits 0 when every listed video has its recording, and honours --fall-ms', async () => {
    recording(join(recordings, 'Subject 1', 'ADL', '06.jsonl'), 300);
    rmSync(join(dataset, 'Subject 2'), { recursive: true });
    const { code, err } = await run(dataset, '--recordings', recordings, '--fall-ms', '1000');
    expect(code).toBe(0);
    expect(err).toContain('warning: Subject 1/ADL.csv:2 (06.mp4): "Sitting[9.7 to 3]": interval 9.7 to 3 does not go forward in time   [text: Sitting[9.7 to 3]; Standing[0 to 0.5; 4.2 to 6.5]]');
    const adl = JSON.parse(readFileSync(join(recordings, 'Subject 1', 'ADL', '06.labels.json'), 'utf8'));
    expect(adl).toMatchObject({ fall: false, segments: [{ start: 0, end: 500, label: 'standing' }, { start: 4200, end: 6500, label: 'standing' }] });
    expect(adl).not.toHaveProperty('fallAtMs');
    expect(JSON.parse(readFileSync(join(recordings, 'Subject 1', 'Fall', '13.labels.json'), 'utf8')).segments[1]).toEqual({ start: 400, end: 1400, label: 'falling_backward' });
    expect(existsSync(join(recordings, 'Subject 1', 'Fall', '13.labels.json.partial'))).toBe(false);
  });

  it('prints its usage on --help and refuses wrong usage with the reason', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: [expect.stringMatching(/^usage: npm run labels:gmdcsa24 -- DATASET_DIR --recordings DIR/)], err: [] });
    expect(await run(dataset)).toMatchObject({ code: 2, err: [expect.stringMatching(/^--recordings DIR is required\nusage:/)] });
    expect(await run(root, '--recordings', recordings)).toMatchObject({ code: 2, err: [expect.stringMatching(/no "Subject N" folders; is this GMDCSA24\?/)] });
    expect(await run(dataset, '--recordings', recordings, '--fall-ms', 'soon')).toMatchObject({ code: 2, err: [expect.stringMatching(/^--fall-ms must be a positive number of ms, got "soon"/)] });
  });
});
