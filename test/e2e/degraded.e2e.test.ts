// Failing stages degrade detection and say so; they never silence a fall. In the real app in headless Chromium:
// a corrupt model (NaN weights, sha256 matching its manifest) over a replayed skeleton recording of a fall still
// raises the alarm and shows "Action model failing"; a crash injected into the pose worker and into the model
// worker (an uncaught error thrown inside each), and a pose worker that hangs, are reported, the worker restarted,
// and the run goes on.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelIndex } from '../../scripts/models-index';
import { ensureBuilt } from '../../scripts/headless/app-server';
import { launchChromium, makeTestClip, type LaunchedChromium } from '../../scripts/headless/chromium';
import { startStaticServer, type StartedServer } from '../../scripts/serve';
import { renderScript, standingPose, steps as s } from '../../eval/synthetic';
import { frameLine, headerLine } from '../../src/recording';
import { writeCorruptModel } from '../unit/core/corrupt-model';

let root: string;
let server: StartedServer;
let browser: LaunchedChromium;

/** The app build with one more model, `corrupt-weights.json` (trained, so its output would weigh in the fall score). */
function buildWithCorruptModel(): string {
  const copy = mkdtempSync(join(tmpdir(), 'sentinel-degraded-'));
  cpSync(ensureBuilt(), copy, { recursive: true });
  const models = join(copy, 'models');
  writeCorruptModel(join(models, 'default.json'), models, 'corrupt-weights', { trained: true });
  writeFileSync(join(models, 'index.json'), JSON.stringify(buildModelIndex(models).index));
  return copy;
}

function fallRecording(): string {
  const frames = renderScript(standingPose(0, 3.5, 90), [s.hold(4000), s.fallForward(), s.lie(9000)], { seed: 3 });
  const { width, height } = frames[0]!;
  const file = join(root, 'fall.jsonl');
  writeFileSync(file, headerLine({ format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps: 30, width, height, source: 'synthetic fall' }) + frames.map(frameLine).join(''));
  return file;
}

const degraded = (page: Page) => page.getAttribute('#degraded', 'data-degraded');
const framesProcessed = (page: Page) => page.evaluate(() => (window as unknown as { __sentinel: { framesProcessed: number } }).__sentinel.framesProcessed);

/** Throws an uncaught error inside the page's worker whose script URL contains `name`. */
async function crashWorker(page: Page, name: string): Promise<void> {
  const worker = page.workers().find((candidate) => candidate.url().includes(name));
  if (!worker) throw new Error(`no ${name} worker in ${page.workers().map((w) => w.url()).join(', ')}`);
  await worker.evaluate(() => void setTimeout(() => {
    throw new Error('injected crash');
  }));
}

beforeAll(async () => {
  root = buildWithCorruptModel();
  server = await startStaticServer({ root, host: '127.0.0.1', port: 0, dataFolder: mkdtempSync(join(root, 'data-')), kiosk: false, auth: false });
  browser = await launchChromium({ fakeVideo: makeTestClip(join(process.cwd(), 'test-results', 'media'), 3) });
});

afterAll(async () => {
  await browser?.close();
  server?.server.closeAllConnections();
  await new Promise((resolve) => server?.server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('degraded modes', () => {
  it('a corrupt model cannot silence a replayed fall: the alarm goes off and the screen says the model is failing', async () => {
    const page = await browser.context.newPage();
    const recording = fallRecording();
    page.on('filechooser', (chooser) => void chooser.setFiles(recording));
    await page.goto(`${server.url}?source=recording&model=corrupt-weights.json&autostart`);
    await expect.poll(() => degraded(page), { timeout: 30_000 }).toBe('model');
    expect(await page.textContent('#degraded')).toMatch(/Action model failing: .*non-finite value.*body movement only/);
    await expect.poll(() => page.getAttribute('#alerts', 'data-active-alerts'), { timeout: 30_000 }).toBe('1');
    expect(await page.locator('#alerts li.alert').getAttribute('data-event-type')).toBe('fall');
    await page.close();
  });

  it('a crashed pose worker and a crashed model worker are reported and restarted; frames keep flowing', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}?autostart&pose=lite&model=default.json`);
    await expect.poll(() => framesProcessed(page), { timeout: 60_000 }).toBeGreaterThan(10);
    expect(await degraded(page)).toBe('');

    await crashWorker(page, 'pose');
    await expect.poll(() => degraded(page), { timeout: 10_000 }).toContain('pose');
    expect(await page.textContent('#degraded')).toMatch(/Pose estimation failing: pose worker crashed: .*injected crash/);
    await expect.poll(() => degraded(page), { timeout: 30_000 }).toBe('');
    const afterPoseRestart = await framesProcessed(page);
    await expect.poll(() => framesProcessed(page), { timeout: 30_000 }).toBeGreaterThan(afterPoseRestart + 10);

    await crashWorker(page, 'inference');
    await expect.poll(() => degraded(page), { timeout: 10_000 }).toContain('model');
    expect(await page.textContent('#degraded')).toMatch(/Action model failing: .*model worker crashed/);
    await expect.poll(() => degraded(page), { timeout: 30_000 }).toBe('');
    await page.close();
  });

  it('a pose worker that stops answering (busy for good) is replaced after its timeout', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}?autostart&pose=lite&model=none`);
    await expect.poll(() => framesProcessed(page), { timeout: 60_000 }).toBeGreaterThan(10);
    const worker = page.workers().find((candidate) => candidate.url().includes('pose'))!;
    // Never returns: the worker is terminated under it.
    void worker.evaluate(() => {
      for (;;);
    }).catch(() => undefined);
    await expect.poll(() => degraded(page), { timeout: 30_000, interval: 500 }).toContain('pose');
    expect(await page.textContent('#degraded')).toMatch(/Pose estimation failing: pose worker stopped answering \(no result in 15 s\)/);
    await expect.poll(() => degraded(page), { timeout: 30_000 }).toBe('');
    const restarted = await framesProcessed(page);
    await expect.poll(() => framesProcessed(page), { timeout: 30_000 }).toBeGreaterThan(restarted + 10);
    await page.close();
  });
});
