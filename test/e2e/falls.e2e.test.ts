// The alert stack in real headless Chromium (no camera, no model): synthetic falls through the app's tracker,
// AlertCenter, the IndexedDB event log (durable across a page reload), the review screen's replay and export,
// the WebAudio alarm and the desktop notification. The modules are served as they are by Vite's dev server.
import type { Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/headless/app-server';
import { launchChromium, type LaunchedChromium } from '../../scripts/headless/chromium';

const PAGE = '/__falls-e2e.html';
const PAGE_HTML = `<!doctype html><html><body><div id="review"></div><div id="degraded"></div><section id="alerts"></section><script type="module">
  import { AlertCenter } from '/src/alerts/alert-center.ts';
  import { AlarmSound } from '/src/alerts/alarm-sound.ts';
  import { resolveMonitoringConfig } from '/src/settings/config.ts';
  import { DesktopNotifier } from '/src/alerts/desktop-notifier.ts';
  import { EventLog } from '/src/events/event-log.ts';
  import { IndexedDbRecordStore } from '/src/events/indexeddb-store.ts';
  import { mountReviewScreen } from '/src/ui/review-screen.ts';
  import { renderScript, standingPose, steps as s } from '/eval/synthetic.ts';
  import { poseFrameToCanonical, WindowAssembler, windowConfigForModel } from '/src/window/index.ts';
  import { mountAlertsPanel } from '/src/ui/alerts-panel.ts';
  import { DegradedModes } from '/src/ui/degraded-banner.ts';
  import { Subject, from } from '/node_modules/rxjs/dist/esm5/index.js';
  window.falls = { AlertCenter, AlarmSound, resolveMonitoringConfig, DesktopNotifier, EventLog, IndexedDbRecordStore,
    mountReviewScreen, renderScript, standingPose, s, poseFrameToCanonical, WindowAssembler, windowConfigForModel,
    mountAlertsPanel, DegradedModes, Subject, from };
</script></body></html>`;

let server: ViteDevServer;
let browser: LaunchedChromium;
let page: Page;
let origin: string;

beforeAll(async () => {
  server = await createServer({
    root: REPO_ROOT,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    // A worktree whose node_modules is a link still serves rxjs's extensionless imports from inside the root.
    resolve: { preserveSymlinks: true },
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    plugins: [
      {
        name: 'falls-e2e-page',
        configureServer(dev) {
          dev.middlewares.use((req, res, next) => {
            if (req.url !== PAGE) return next();
            res.setHeader('content-type', 'text/html');
            res.end(PAGE_HTML);
          });
        },
      },
    ],
  });
  await server.listen();
  const address = server.httpServer!.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
  await browser.context.grantPermissions(['notifications'], { origin });
  page = await browser.context.newPage();
  await page.goto(origin + PAGE);
  await page.waitForFunction(() => 'falls' in window, undefined, { timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('fall alerts in the browser', () => {
  it('a synthetic fall gives one alert, logged with its clip in IndexedDB, still there after a reload', async () => {
    const result = await page.evaluate(async () => {
      const f = (window as any).falls;
      const store = await f.IndexedDbRecordStore.open(indexedDB, 'falls-e2e');
      const center = new f.AlertCenter({
        config: f.resolveMonitoringConfig(), store, model: null, sound: null, notifier: null, outbox: null, onError: (m: string) => { throw new Error(m); },
      });
      const frames = f.renderScript(f.standingPose(0, 3.5, 90), [f.s.hold(11000), f.s.fallSideways(1), f.s.lie(11000)], { seed: 5 });
      const assembler = new f.WindowAssembler(f.windowConfigForModel({ window: 64, stride: 8, fps: 30, persons: 1 }));
      const active: number[] = [];
      center.active$.subscribe((list: unknown[]) => active.push(list.length));
      for (const frame of frames) center.frame(frame, assembler.push(f.poseFrameToCanonical(frame)).tracked);
      await center.close();
      const events = await center.eventLog.list();
      const clip = await center.eventLog.clip(events[0].id);
      store.close();
      return { maxActive: Math.max(...active), events: events.map((e: any) => [e.type, e.clip]), clipFrames: clip.frames.length };
    });
    expect(result.maxActive).toBe(1);
    expect(result.events).toEqual([['fall', 'stored']]);
    expect(result.clipFrames).toBeGreaterThan(550); // ~20 s at 30 fps

    await page.reload();
    await page.waitForFunction(() => 'falls' in window);
    const afterReload = await page.evaluate(async () => {
      const f = (window as any).falls;
      const store = await f.IndexedDbRecordStore.open(indexedDB, 'falls-e2e');
      const events = await new f.EventLog(store).list();
      store.close();
      return events.map((e: any) => e.type);
    });
    expect(afterReload).toEqual(['fall']);
  });

  it('the review screen lists the event, replays its skeleton and exports CSV', async () => {
    const result = await page.evaluate(async () => {
      const f = (window as any).falls;
      const store = await f.IndexedDbRecordStore.open(indexedDB, 'falls-e2e');
      const saved: File[] = [];
      const screen = f.mountReviewScreen(document.getElementById('review'), new f.EventLog(store), {
        save: (file: File) => saved.push(file), acknowledge: async () => {}, minVisibility: 0.5,
      });
      await screen.refresh();
      const items = document.querySelectorAll('.review-event');
      const replay = [...items[0]!.querySelectorAll('button')].find((b) => b.textContent === 'Replay')!;
      replay.click();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const canvas = document.querySelector('canvas.review-replay') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let skeletonPixels = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! > 100 && pixels[i + 1]! > 100) skeletonPixels += 1;
      ([...document.querySelectorAll('.review-toolbar button')].find((b) => b.textContent === 'Export CSV') as HTMLButtonElement).click();
      const csv = await saved[0]!.text();
      screen.destroy();
      store.close();
      return { items: items.length, skeletonPixels, caption: document.querySelector('.review-caption')?.textContent ?? '', csvLines: csv.trim().split('\r\n').length, name: saved[0]!.name };
    });
    expect(result.items).toBe(1);
    expect(result.skeletonPixels).toBeGreaterThan(200);
    expect(result.csvLines).toBe(2);
    expect(result.name).toMatch(/^events-.*\.csv$/);
  });

  it('the review list shows the newest 20 events and grows on "Show older"; the export takes them all', async () => {
    const result = await page.evaluate(async () => {
      const f = (window as any).falls;
      const store = await f.IndexedDbRecordStore.open(indexedDB, 'review-paging-e2e');
      const log = new f.EventLog(store);
      for (let i = 0; i < 45; i++) {
        await log.record({ id: `absence-${i}`, type: 'absence', t: i * 1000, wallTime: Date.UTC(2026, 0, 1, 0, 0, i), personId: null,
          confidence: 1, signals: {}, alert: false, message: `event ${i}` });
      }
      const saved: File[] = [];
      const screen = f.mountReviewScreen(document.getElementById('review'), log, { save: (file: File) => saved.push(file), acknowledge: async () => {}, minVisibility: 0.5 });
      await screen.refresh();
      const count = () => document.querySelectorAll('#review .review-event').length;
      const more = () => document.querySelector('#review .review-more') as HTMLButtonElement | null;
      const first = { items: count(), more: more()?.textContent, newest: document.querySelector('#review .review-event')?.getAttribute('data-event-id') };
      more()!.click();
      const second = { items: count(), more: more()?.textContent };
      more()!.click();
      const third = { items: count(), more: more()?.textContent ?? null };
      ([...document.querySelectorAll('#review .review-toolbar button')].find((b) => b.textContent === 'Export CSV') as HTMLButtonElement).click();
      const csvLines = (await saved[0]!.text()).trim().split('\r\n').length;
      screen.destroy();
      store.close();
      return { first, second, third, csvLines };
    });
    expect(result.first).toEqual({ items: 20, more: 'Show older (25 more)', newest: 'absence-44' });
    expect(result.second).toEqual({ items: 40, more: 'Show older (5 more)' });
    expect(result.third).toEqual({ items: 45, more: null });
    expect(result.csvLines).toBe(46);
  });

  it('the alarm plays through WebAudio and a desktop notification is shown once permitted', async () => {
    const result = await page.evaluate(async () => {
      const f = (window as any).falls;
      const sound = new f.AlarmSound(0.5);
      sound.start();
      const playing = sound.playing;
      sound.stop();
      const notifier = new f.DesktopNotifier();
      const permission = await notifier.prepare();
      const shown = notifier.show({ id: 'e1', type: 'fall', t: 0, wallTime: Date.now(), personId: 0, confidence: 0.9, signals: {}, alert: true, message: 'Fall detected' });
      return { playing, stopped: !sound.playing, permission, title: shown?.title ?? null, tag: shown?.tag ?? null };
    });
    expect(result).toEqual({ playing: true, stopped: true, permission: 'granted', title: 'Skeleton Sentinel: fall', tag: 'e1' });
  });

  /** Mounts the panel as the app does and feeds it one run of a synthetic fall (frame events, as SentinelApp.runs$ carries them). */
  const mountPanelWithFall = (breakStorage: boolean) =>
    page.evaluate(async (breakStorage) => {
      const f = (window as any).falls;
      // IndexedDB unavailable (as in some locked-down or private profiles): the event store cannot be opened.
      if (breakStorage) Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
      const runs = new f.Subject();
      const degraded = new f.DegradedModes(document.getElementById('degraded'));
      await f.mountAlertsPanel(document.getElementById('alerts'), runs, { save: () => {}, settings: { alerts: { sound: { enabled: false } } }, degraded });
      const frames = f.renderScript(f.standingPose(0, 3.5, 0), [f.s.hold(4000), f.s.fallBackward(), f.s.lie(7000)], { seed: 9 });
      const assembler = new f.WindowAssembler(f.windowConfigForModel({ window: 64, stride: 8, fps: 30, persons: 1 }));
      const stats = { modelErrors: 0, lastError: null };
      const events = frames.map((frame: any) => ({ kind: 'frame', frame, tracked: assembler.push(f.poseFrameToCanonical(frame)).tracked, stats }));
      runs.next({ events$: f.from(events), model: null });
    }, breakStorage);

  it('the alerts panel (mounted as the app does) shows a fall from a run and clears it on Acknowledge', async () => {
    await mountPanelWithFall(false);
    const panel = page.locator('#alerts');
    await expect.poll(() => panel.getAttribute('data-active-alerts')).toBe('1');
    expect(await panel.locator('li.alert').getAttribute('data-event-type')).toBe('fall');
    await panel.locator('li.alert button', { hasText: 'Acknowledge' }).click();
    await expect.poll(() => panel.getAttribute('data-active-alerts')).toBe('0');
    await expect.poll(() => panel.locator('.review-event', { hasText: 'acknowledged' }).count()).toBeGreaterThanOrEqual(1);
  });

  it('without storage (IndexedDB unavailable) the panel still raises the fall and says storage is failing', async () => {
    await page.reload();
    await page.waitForFunction(() => 'falls' in window, undefined, { timeout: 60_000 });
    await mountPanelWithFall(true);
    const panel = page.locator('#alerts');
    await expect.poll(() => panel.getAttribute('data-active-alerts')).toBe('1');
    expect(await page.getAttribute('#degraded', 'data-degraded')).toBe('storage');
    expect(await page.textContent('#degraded')).toMatch(/Event storage failing: .*alarms and carer notifications still go out/);
    await expect.poll(() => panel.locator('.review-event.review-fall').count()).toBe(1);
  });
});
