// The fake webcam of a person who falls, made from the darknet test photo with ffmpeg (cached in test-results).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../scripts/headless/app-server';
import { personImage } from '../../../scripts/headless/chromium';

const MEDIA = join(REPO_ROOT, 'test-results', 'media');

/** 640x480@30 y4m: the person (cropped from the photo, feet at 320,440) tips over around the feet. */
export function makeFallClip(): string {
  mkdirSync(MEDIA, { recursive: true });
  const clip = join(MEDIA, 'person-falling-12s.y4m');
  if (existsSync(clip)) return clip;
  const image = personImage(join(MEDIA, 'cache'));
  // Crop the person (130x290 around x≈235, feet at y≈375), put the feet at the centre of a 1000x1000 canvas so
  // `rotate` turns the body around them, then cut the 640x480 view that keeps the feet at (320, 440).
  const angle = "if(lt(t,4),0,if(lt(t,4.8),88*pow((t-4)/0.8,2),88))*PI/180";
  const filter =
    'crop=130:290:170:85,pad=1000:1000:435:210:color=gray,' +
    `rotate=a='${angle}':c=gray:ow=1000:oh=1000,crop=640:480:180:60,format=yuv420p`;
  const partial = `${clip}.part.y4m`;
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-framerate', '30', '-t', '12', '-i', image, '-vf', filter, '-r', '30', partial], { stdio: 'pipe' });
  renameSync(partial, clip);
  return clip;
}

