// The real app with a fake webcam of a person who falls: the photo of a standing person is tipped over around
// their feet (0° → 88° in 0.8 s after 4 s upright) and stays down. MediaPipe's landmarks go through the pipeline
// into the mounted fall-monitoring panel, which must raise exactly one fall alert.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, serveApp, type ServedApp } from '../../scripts/headless/app-server';
import { launchChromium, personImage, type LaunchedChromium } from '../../scripts/headless/chromium';

const MEDIA = join(REPO_ROOT, 'test-results', 'media');

/** 640x480@30 y4m: the person (cropped from the photo, feet at 320,440) tips over around the feet. */
function makeFallClip(): string {
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

let app: ServedApp;
let browser: LaunchedChromium;
let page: Page;

beforeAll(async () => {
  const clip = makeFallClip();
  app = await serveApp();
  browser = await launchChromium({ fakeVideo: clip });
  page = await browser.context.newPage();
  await page.goto(`${app.url}?autostart&pose=lite`);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('fall in front of the (fake) camera', () => {
  it('raises one fall alert in the panel, logged in the event log', async () => {
    await expect.poll(() => page.getAttribute('#alerts', 'data-active-alerts'), { timeout: 60_000, interval: 500 }).toBe('1');
    expect(await page.locator('#alerts li.alert').getAttribute('data-event-type')).toBe('fall');
    await expect.poll(() => page.locator('#alerts .review-event.review-fall').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('#alerts li.alert button', { hasText: 'Acknowledge' }).click();
    await expect.poll(() => page.getAttribute('#alerts', 'data-active-alerts')).toBe('0');
  });
});
