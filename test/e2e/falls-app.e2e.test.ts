// The real app with a fake webcam of a person who falls: the photo of a standing person is tipped over around
// their feet (0° → 88° in 0.8 s after 4 s upright) and stays down. MediaPipe's landmarks go through the pipeline
// into the mounted fall-monitoring panel, which must raise exactly one fall alert.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServedApp } from '../../scripts/headless/app-server';
import { launchChromium, type LaunchedChromium } from '../../scripts/headless/chromium';
import { makeFallClip } from './helpers/fall-clip';

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
