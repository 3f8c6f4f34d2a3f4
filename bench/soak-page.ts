// What the soak benchmark does to and reads from the app page (bench/soak.ts).
import type { CDPSession, Page } from 'playwright-core';

export interface Sample {
  minute: number;
  /** 0 before the renderer crash, 1 after. */
  life: number;
  heap: number;
  rss: number;
  frames: number;
  alerts: number;
  degraded: string;
}

export const MB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const framesProcessed = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __sentinel: { framesProcessed: number } }).__sentinel.framesProcessed);

/**
 * The camera disappears for `goneMs` and comes back: its track ends (stopped, and 'ended' as an unplug fires) and
 * getUserMedia finds no camera until then; the app's own retry must bring the frames back.
 */
export async function cameraGone(page: Page, goneMs: number): Promise<string> {
  const before = await framesProcessed(page);
  await page.evaluate((goneMs) => {
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
    setTimeout(() => (devices.getUserMedia = getUserMedia), goneMs);
    const track = ((document.getElementById('video') as HTMLVideoElement).srcObject as MediaStream | null)?.getVideoTracks()[0];
    track?.stop();
    track?.dispatchEvent(new Event('ended'));
  }, goneMs);
  const gone = Date.now();
  await page.waitForTimeout(goneMs / 2);
  const banner = (await page.textContent('#banner'))?.trim() ?? '';
  const during = await framesProcessed(page);
  await page.waitForFunction((after) => (window as unknown as { __sentinel: { framesProcessed: number } }).__sentinel.framesProcessed > after + 10, during, { timeout: 120_000, polling: 500 });
  return `camera gone for ${goneMs / 1000} s (screen: "${banner}"; ${during - before} frames meanwhile); frames flowed again ${((Date.now() - gone) / 1000).toFixed(1)} s after it went`;
}

/** Crashes the page's renderer process and waits for Playwright to see it. */
export async function crashRenderer(page: Page, cdp: CDPSession): Promise<void> {
  const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
  // Not awaited: the renderer dies before it answers, and the call stays pending until the session closes.
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  await page.close().catch(() => undefined);
}

/** Ids of the events in the app's IndexedDB event log. */
export function eventLogIds(page: Page): Promise<Set<string>> {
  return page
    .evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const opening = indexedDB.open('skeleton-sentinel-events');
          opening.onerror = () => reject(opening.error);
          opening.onsuccess = () => {
            const request = opening.result.transaction('events').objectStore('events').getAllKeys();
            request.onsuccess = () => resolve(request.result.map(String));
            request.onerror = () => reject(request.error);
          };
        }),
    )
    .then((ids) => new Set(ids));
}
