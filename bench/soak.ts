// Soak benchmark: the built app in headless Chromium for `--minutes` (30 by default) with the fake webcam looping a
// person who falls, an empty room and two people (bench/soak-media.ts); a carer acknowledges alerts; the camera
// disappears and comes back at 1/4 of the run; the renderer crashes at 3/4 and the page is opened again (what the
// kiosk's restart does). Every minute: JS heap (after a forced GC) and the RSS of all the browser's processes.
// Passes when heap and RSS grow by at most 5 % within each renderer's life (its first minute is warm-up), frames
// flow again after each fault, and every alert that was raised is in the event log.
//
//   npm run bench:soak [-- --minutes 30 --pose lite --model default.json]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { REPO_ROOT, serveApp } from '../scripts/headless/app-server';
import { launchChromium } from '../scripts/headless/chromium';
import { makeSoakClip, SOAK_SEGMENTS } from './soak-media';
import { cameraGone, crashRenderer, eventLogIds, framesProcessed, MB, type Sample } from './soak-page';

const MAX_GROWTH = 0.05;

function parseArgs(args: readonly string[]): { minutes: number; pose: string; model: string } {
  const options = { minutes: 30, pose: 'lite', model: 'default.json' };
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--minutes') options.minutes = Number(value);
    else if (name === '--pose') options.pose = value;
    else if (name === '--model') options.model = value;
    else throw new Error(`unknown argument ${name} (expected --minutes, --pose, --model)`);
  }
  if (!(options.minutes >= 3)) throw new Error('--minutes must be at least 3 (a camera loss and a renderer crash need room)');
  return options;
}

/** Resident memory of every process started with this profile (browser, renderers, GPU, utilities), bytes. */
function browserRss(userDataDir: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(userDataDir)) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += rss ? Number(rss[1]) * 1024 : 0;
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total;
}

async function openApp(context: BrowserContext, url: string): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url);
  await page.waitForFunction(() => ((window as unknown as { __sentinel?: { framesProcessed: number } }).__sentinel?.framesProcessed ?? 0) > 0, null, { timeout: 120_000, polling: 500 });
  return { page, cdp };
}

/** The page's JS heap after a forced GC: the least of three readings 1 s apart (frames in flight come and go). */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    const metrics = (await cdp.send('Performance.getMetrics')).metrics;
    readings.push(metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0);
    if (i < 2) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return Math.min(...readings);
}

/** Growth within one renderer life: the median of its last samples over the median of its first (up to 5 each). */
function growth(samples: readonly Sample[], key: 'heap' | 'rss'): number {
  const span = Math.max(1, Math.min(5, Math.floor(samples.length / 2)));
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return median(samples.slice(-span).map((sample) => sample[key])) / median(samples.slice(0, span).map((sample) => sample[key])) - 1;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const clip = makeSoakClip(join(REPO_ROOT, 'test-results', 'media'));
  const app = await serveApp();
  const browser = await launchChromium({ fakeVideo: clip });
  const url = `${app.url}?autostart&pose=${options.pose}&model=${encodeURIComponent(options.model)}`;
  console.log(`soak: ${options.minutes} min, pose ${options.pose}, model ${options.model}, camera loop ${SOAK_SEGMENTS.map((s) => `${s.name} ${s.seconds} s`).join(' → ')}`);
  try {
    let { page, cdp } = await openApp(browser.context, url);
    const raised = new Set<string>();
    const samples: Sample[] = [];
    let life = 0;
    let framesBefore = 0;
    const notes: string[] = [];
    const started = Date.now();
    const elapsedMin = () => (Date.now() - started) / 60_000;
    const watchAlerts = async () => {
      for (const id of await page.locator('#alerts li.alert').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.eventId ?? ''))) raised.add(id);
    };
    let cameraDone = false;
    let crashDone = false;
    for (let minute = 1; minute <= options.minutes; minute++) {
      while (elapsedMin() < minute) {
        await watchAlerts();
        if (!cameraDone && elapsedMin() >= options.minutes / 4) {
          cameraDone = true;
          notes.push(await cameraGone(page, 10_000));
        }
        if (!crashDone && elapsedMin() >= (3 * options.minutes) / 4) {
          crashDone = true;
          framesBefore += await framesProcessed(page);
          const crashedAt = Date.now();
          const crashMinute = elapsedMin();
          await crashRenderer(page, cdp);
          ({ page, cdp } = await openApp(browser.context, url));
          life += 1;
          notes.push(`renderer crashed (CDP Page.crash) at ${crashMinute.toFixed(1)} min; the app ran again after ${((Date.now() - crashedAt) / 1000).toFixed(1)} s`);
        }
        await page.waitForTimeout(2000);
      }
      await watchAlerts();
      // The carer acknowledges everything once a minute.
      for (const button of await page.locator('#alerts li.alert button', { hasText: 'Acknowledge' }).all()) await button.click().catch(() => undefined);
      const heap = await heapAfterGc(cdp);
      const sample: Sample = { minute, life, heap, rss: browserRss(browser.userDataDir), frames: framesBefore + (await framesProcessed(page)), alerts: raised.size, degraded: (await page.getAttribute('#degraded', 'data-degraded')) ?? '' };
      samples.push(sample);
      console.log(`minute ${String(minute).padStart(2)}: heap ${MB(sample.heap)}, rss ${MB(sample.rss)}, frames ${sample.frames}, alerts raised ${sample.alerts}${sample.degraded ? `, degraded: ${sample.degraded}` : ''}${life ? ' (after the crash)' : ''}`);
    }
    const logged = await eventLogIds(page);
    const lost = [...raised].filter((id) => !logged.has(id));
    for (const note of notes) console.log(note);
    let pass = lost.length === 0 && raised.size > 0;
    for (const lifeIndex of [0, 1]) {
      // The first minute of each renderer's life is its warm-up (models, caches).
      const inLife = samples.filter((sample) => sample.life === lifeIndex).slice(1);
      if (inLife.length < 2) continue;
      const [heap, rss] = [growth(inLife, 'heap'), growth(inLife, 'rss')];
      const ok = heap <= MAX_GROWTH && rss <= MAX_GROWTH;
      pass &&= ok;
      console.log(
        `${lifeIndex ? 'after the crash' : 'before the crash'}: minutes ${inLife[0]!.minute}–${inLife.at(-1)!.minute}, growth (median of the last vs the first samples) heap ${(100 * heap).toFixed(1)} %, rss ${(100 * rss).toFixed(1)} % (limit ${100 * MAX_GROWTH} %) ${ok ? 'ok' : 'FAIL'}`,
      );
    }
    const last = samples.at(-1)!;
    console.log(`frames processed ${last.frames}; alerts raised ${raised.size}; in the event log ${logged.size} event(s); alerts missing from the log: ${lost.length ? lost.join(', ') : 'none'}`);
    console.log(`soak: ${pass ? 'PASS' : 'FAIL'}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await browser.close();
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
