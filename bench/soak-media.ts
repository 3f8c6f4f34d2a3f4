// The soak benchmark's fake webcam: one looping y4m of a person who stands and falls, an empty room, then two
// people standing, made with ffmpeg from the test photo (scripts/headless/chromium.ts personImage).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { personImage } from '../scripts/headless/chromium';

const SIZE = '480:360';
const FPS = '15';

/** What the loop shows, in order, and for how long (seconds). */
export const SOAK_SEGMENTS = [
  { name: 'one person who falls', seconds: 10 },
  { name: 'nobody', seconds: 5 },
  { name: 'two people', seconds: 10 },
] as const;

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args], { stdio: 'pipe' });
}

/** The looping clip (cached by name in `dir`). */
export function makeSoakClip(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const clip = join(dir, 'soak-person-empty-two-25s.y4m');
  if (existsSync(clip)) return clip;
  const image = personImage(join(dir, 'cache'));
  const out = (name: string) => join(dir, `soak-${name}.part.y4m`);
  const still = ['-loop', '1', '-framerate', FPS];
  const [fall, empty, two] = SOAK_SEGMENTS.map((segment) => String(segment.seconds));
  // The person (130x290 crop, feet at its bottom) tips over around the feet after 4 s, as in falls-app.e2e.test.ts.
  const angle = 'if(lt(t,4),0,if(lt(t,4.8),88*pow((t-4)/0.8,2),88))*PI/180';
  ffmpeg([...still, '-t', fall!, '-i', image, '-vf',
    `crop=130:290:170:85,pad=1000:1000:435:210:color=gray,rotate=a='${angle}':c=gray:ow=1000:oh=1000,crop=640:480:180:60,scale=${SIZE},format=yuv420p`,
    '-r', FPS, out('fall')]);
  ffmpeg(['-f', 'lavfi', '-t', empty!, '-i', `color=c=gray:s=${SIZE.replace(':', 'x')}:r=${FPS}`, '-vf', 'format=yuv420p', out('empty')]);
  ffmpeg([...still, '-t', two!, '-i', image, '-filter_complex',
    `[0]crop=130:290:170:85,split[a][b];[a]pad=320:480:95:95:color=gray[l];[b]pad=320:480:95:95:color=gray[r];[l][r]hstack,scale=${SIZE},format=yuv420p`,
    '-r', FPS, out('two')]);
  const partial = `${clip}.part.y4m`;
  ffmpeg(['-i', out('fall'), '-i', out('empty'), '-i', out('two'), '-filter_complex', '[0][1][2]concat=n=3:v=1', partial]);
  for (const name of ['fall', 'empty', 'two']) rmSync(out(name), { force: true });
  renameSync(partial, clip);
  return clip;
}
