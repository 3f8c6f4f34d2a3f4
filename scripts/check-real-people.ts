/**
 * Check on real people: clips made from a real photo (Debian darknet's person.jpg) go through the real pose model
 * in headless Chromium and the classify CLI's preprocessing and model, and the labels it predicts are printed
 * next to what a person would call the clip. The synthetic-trained model has never seen MediaPipe poses of a real
 * person, so this is where its domain gap shows.
 *
 *   npm run check:real-people [-- --model models/NAME.json]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { main as classify } from '../cli/classify';
import { personImage } from './headless/chromium';

const MEDIA = join('test-results', 'real-people');

interface Clip {
  name: string;
  expected: string;
  seconds: number;
  /** ffmpeg filter from the 640x424 photo to a 640x480 frame. */
  filter: string;
}

// The person stands at x≈235 with the feet at y≈375 in the photo; the fall clip tips them over around the feet.
const CLIPS: Clip[] = [
  { name: 'standing-still', expected: 'standing', seconds: 6, filter: 'pad=640:480:0:28:color=gray,format=yuv420p' },
  {
    name: 'tipping-over',
    expected: 'standing, then a fall, then lying',
    seconds: 10,
    filter:
      'crop=130:290:170:85,pad=1000:1000:435:210:color=gray,' +
      "rotate=a='if(lt(t,3),0,if(lt(t,3.8),88*pow((t-3)/0.8,2),88))*PI/180':c=gray:ow=1000:oh=1000," +
      'crop=640:480:180:60,format=yuv420p',
  },
  {
    name: 'walking-across',
    expected: 'walking (a sliding still photo: no leg motion)',
    seconds: 6,
    filter: "pad=960:480:0:28:color=gray,crop=640:480:'min(320,t*80)':0,format=yuv420p",
  },
];

function makeClip(clip: Clip): string {
  mkdirSync(MEDIA, { recursive: true });
  const file = join(MEDIA, `${clip.name}.webm`);
  if (existsSync(file)) return file;
  const image = personImage(join(MEDIA, 'cache'));
  const partial = `${file}.part.webm`;
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-framerate', '30', '-t', String(clip.seconds), '-i', image,
    '-vf', clip.filter, '-c:v', 'libvpx', '-b:v', '1M', '-r', '30', partial], { stdio: 'pipe' });
  renameSync(partial, file);
  return file;
}

const modelArg = process.argv.indexOf('--model');
const model = modelArg > 0 ? process.argv[modelArg + 1]! : 'models/default.json';

for (const clip of CLIPS) {
  const rows: string[] = [];
  const errors: string[] = [];
  const code = await classify([makeClip(clip), '--model', model, '--json'], { out: (line) => rows.push(line), err: (line) => errors.push(line) });
  if (code !== 0) {
    console.log(`${clip.name}: ${errors.join(' ')}`);
    continue;
  }
  const windows = rows.map((row) => JSON.parse(row) as { t: number; label: string | null; p: number | null });
  console.log(`\n${clip.name} (a person would say: ${clip.expected}) — ${windows.length} windows`);
  // Consecutive windows with the same label form one run: "from–to s label (mean confidence, windows)".
  const runs: { from: number; to: number; label: string; p: number[] }[] = [];
  for (const w of windows) {
    const label = w.label ?? '(not classified)';
    const last = runs.at(-1);
    if (last && last.label === label) {
      last.to = w.t;
      if (w.p !== null) last.p.push(w.p);
    } else runs.push({ from: w.t, to: w.t, label, p: w.p === null ? [] : [w.p] });
  }
  for (const run of runs) {
    const meanP = run.p.length ? (run.p.reduce((a, b) => a + b, 0) / run.p.length).toFixed(2) : '-';
    console.log(`  ${(run.from / 1000).toFixed(1)}–${(run.to / 1000).toFixed(1)} s  ${run.label.padEnd(20)} p ${meanP}  (${run.p.length || 1} windows)`);
  }
}
