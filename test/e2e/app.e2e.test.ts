// The built app in headless Chromium with a fake webcam playing a moving person: landmarks, classification with
// the untrained model, overlay pixels, recording download, a corrupt model, and not one request off the machine.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecording } from '../../src/recording/format';
import type { DebugState } from '../../src/ui/view-model';
import { serveApp, REPO_ROOT, type ServedApp } from '../../scripts/headless/app-server';
import { launchChromium, makeTestClip, type LaunchedChromium } from '../../scripts/headless/chromium';

const RESULTS = join(REPO_ROOT, 'test-results');

let app: ServedApp;
let browser: LaunchedChromium;
const requests: string[] = [];
const offMachine: string[] = [];

function debugState(page: Page): Promise<DebugState> {
  return page.evaluate(() => (window as unknown as { __sentinel: DebugState }).__sentinel);
}

interface Minimums {
  framesProcessed?: number;
  predictions?: number;
  recordingFrames?: number;
}

/** Waits until the app's debug state reaches the minimums (a function, not a string: the CSP forbids eval). */
async function waitForDebug(page: Page, minimums: Minimums, timeout = 90_000): Promise<DebugState> {
  await page.waitForFunction(
    (min) => {
      const s = (window as unknown as { __sentinel?: DebugState }).__sentinel;
      return (
        !!s &&
        s.running &&
        s.framesProcessed >= (min.framesProcessed ?? 0) &&
        s.predictions >= (min.predictions ?? 0) &&
        s.recording.frames >= (min.recordingFrames ?? 0)
      );
    },
    minimums,
    { timeout, polling: 250 },
  );
  return debugState(page);
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  const clip = makeTestClip(join(RESULTS, 'media'), 4);
  app = await serveApp();
  browser = await launchChromium({ fakeVideo: clip });
  const origin = new URL(app.url).origin;
  browser.context.on('request', (request) => requests.push(request.url()));
  // Every request passes through here: local ones go on, anything else is recorded and refused.
  await browser.context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    offMachine.push(url);
    return route.abort('blockedbyclient');
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('live camera → pose → streaming model (a label every frame)', () => {
  it('runs the manifest’s streaming ONNX in the worker and labels about every pose frame', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${app.url}?autostart&pose=lite&model=default.json`);
      const first = await waitForDebug(page, { predictions: 1, framesProcessed: 1 });
      const later = await waitForDebug(page, { predictions: first.predictions + 20, framesProcessed: first.framesProcessed + 20 });
      // One label per person per pose frame (the fake webcam shows one person; a slow pose stage skips grid ticks,
      // so a frame may complete several ticks but still gets one label).
      const labels = later.predictions - first.predictions;
      const frames = later.framesProcessed - first.framesProcessed;
      expect(labels).toBeGreaterThanOrEqual(frames * 0.8);
      expect(later.backend).toMatch(/wasm|webgpu/);
      expect(later.lastError).toBeNull();
      await expect.poll(() => page.textContent('#tags .tag')).toMatch(/\d+%$/);
      expect(await page.isVisible('#untrained')).toBe(false);
    } finally {
      await page.close();
    }
  });
});

describe('live camera → pose → untrained model → overlay', () => {
  let page: Page;

  beforeAll(async () => {
    page = await browser.context.newPage();
    await page.goto(`${app.url}?autostart&pose=lite&model=ttr-lite-untrained.json`);
  });

  it('detects landmarks in the fake webcam and classifies windows', async () => {
    const state = await waitForDebug(page, { predictions: 2, framesProcessed: 30 });
    expect(state.posesDetected).toBeGreaterThan(state.framesProcessed * 0.8);
    expect(state.lastLabel).toBeTruthy();
    expect(state.backend).toMatch(/wasm|webgpu/);
    expect(state.poseDelegate).toBe('CPU');
    await expect.poll(() => page.textContent('#label')).not.toBe('–');
    expect(await page.isVisible('#untrained')).toBe(true);
    expect(await page.textContent('#untrained')).toBe('untrained');
    expect(await page.textContent('#stat-backend')).toMatch(/wasm|webgpu/);
    expect(await page.locator('#top5 li').count()).toBe(5);
    await expect.poll(() => page.textContent('#tags .tag')).toMatch(/\d+%$/);
    // ttr-lite exports frame importance but no spatial attention.
    expect(await page.isVisible('#strip')).toBe(true);
    expect(await page.isDisabled('#heatmap-toggle')).toBe(true);
  });

  it('mounts the fall-monitoring panel on the run', async () => {
    await expect.poll(() => page.getAttribute('#alerts', 'data-active-alerts'), { timeout: 30_000 }).toBe('0');
    expect(await page.textContent('#alerts')).toContain('Watching');
  });

  it('draws the skeleton on the overlay canvas', async () => {
    const drawn = await page.evaluate(() => {
      const canvas = document.getElementById('overlay') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
      return { opaque, width: canvas.width, height: canvas.height };
    });
    expect(drawn.width).toBe(640);
    expect(drawn.height).toBe(480);
    expect(drawn.opaque).toBeGreaterThan(500);
    await page.screenshot({ path: join(RESULTS, 'e2e.png') });
  });

  it('privacy view hides the camera image and keeps the skeleton', async () => {
    await page.check('#privacy');
    expect(await page.evaluate(() => getComputedStyle(document.getElementById('video')!).visibility)).toBe('hidden');
    expect(await page.isVisible('#overlay')).toBe(true);
    await page.uncheck('#privacy');
  });

  it('recovers when the camera is unplugged and comes back', async () => {
    // A real unplug ends the track; the fake device then opens again on the retry.
    await page.evaluate(() => {
      const stream = (document.getElementById('video') as HTMLVideoElement).srcObject as MediaStream;
      stream.getVideoTracks()[0]!.dispatchEvent(new Event('ended'));
    });
    await expect.poll(() => page.textContent('#banner')).toMatch(/camera was disconnected/);
    const before = await debugState(page);
    await expect.poll(() => page.isVisible('#banner'), { timeout: 30_000 }).toBe(false);
    await waitForDebug(page, { framesProcessed: before.framesProcessed + 10 });
  });

  it('records what the pose stage saw as a JSONL skeleton recording', async () => {
    await page.click('#record');
    await waitForDebug(page, { recordingFrames: 15 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#record')]);
    const path = join(RESULTS, 'e2e-recording.jsonl');
    await download.saveAs(path);
    // Strict parse with the app's own reader: any malformed line throws.
    const { header, frames } = parseRecording(readFileSync(path, 'utf8'), { source: path });
    expect(header).toMatchObject({ format: 'skeleton-recording', version: 1, layout: 'blazepose33', width: 640, height: 480 });
    expect(frames.length).toBeGreaterThanOrEqual(15);
    const person = frames.find((f) => f.people.length > 0)!.people[0]!;
    expect(person.landmarks).toHaveLength(33);
    expect(person.world).toHaveLength(33);
    await page.close();
  });

  it('replays the recording without the pose stage', async () => {
    const replay = await browser.context.newPage();
    await replay.goto(app.url);
    await replay.selectOption('#source', 'recording');
    await expect.poll(() => replay.evaluate(() => (document.getElementById('model') as HTMLSelectElement).options.length), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => debugState(replay).then((s) => s.backend), { timeout: 60_000 }).toBeTruthy();
    const [chooser] = await Promise.all([replay.waitForEvent('filechooser'), replay.click('#start')]);
    await chooser.setFiles(join(RESULTS, 'e2e-recording.jsonl'));
    const state = await waitForDebug(replay, { framesProcessed: 10 });
    expect(state.poseDelegate).toBeNull();
    expect(state.posesDetected).toBeGreaterThan(0);
    await replay.close();
  });
});

describe('a video file', () => {
  it('plays through the pose stage and restarts with the same file when the pose model changes', async () => {
    const video = makeTestClip(join(RESULTS, 'media'), 2, 'webm');
    const page = await browser.context.newPage();
    await page.goto(`${app.url}?source=video&rate=0.25&pose=lite&model=none`);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#start')]);
    await chooser.setFiles(video);
    await waitForDebug(page, { framesProcessed: 3 });
    let asked = false;
    page.on('filechooser', () => (asked = true));
    await page.selectOption('#pose-model', 'full');
    const restarted = await waitForDebug(page, { framesProcessed: 3 });
    expect(restarted.source).toBe('person-rotating-2s.webm');
    expect(asked).toBe(false);
    await page.close();
  });
});

describe('a model with joint importance (ST-BLN lite)', () => {
  it('colours the joints from blue (least) to red (most important)', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.url}?autostart&pose=lite&model=stbln-lite-untrained.json`);
    await waitForDebug(page, { predictions: 2 });
    const colours = await page.evaluate(() => {
      const canvas = document.getElementById('overlay') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let red = 0;
      let blue = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a < 255) continue;
        if (r > 200 && g < 100 && b < 100) red++;
        if (b > 200 && r < 100) blue++;
      }
      return { red, blue };
    });
    expect(colours.red).toBeGreaterThan(20);
    expect(colours.blue).toBeGreaterThan(20);
    expect(await page.isVisible('#strip')).toBe(false); // ST-BLN exports no frame importance
    await page.close();
  });
});

describe('a corrupt model file', () => {
  it('shows a clear error and keeps showing poses', async () => {
    const page = await browser.context.newPage();
    await page.route('**/models/*.onnx', (route) => route.fulfill({ status: 200, body: Buffer.from('this is not an onnx model') }));
    await page.goto(`${app.url}?autostart&pose=lite&model=ttr-lite-untrained.json`);
    await expect.poll(() => page.textContent('#banner'), { timeout: 60_000 }).toMatch(/could not be loaded.*not an ONNX model/s);
    const before = await waitForDebug(page, { framesProcessed: 5 });
    const after = await waitForDebug(page, { framesProcessed: before.framesProcessed + 10 });
    expect(after.posesDetected).toBeGreaterThan(0);
    expect(after.predictions).toBe(0);
    await page.close();
  });
});

describe('a missing pose model', () => {
  it('names the file and how to fetch it', async () => {
    const page = await browser.context.newPage();
    await page.route('**/mediapipe/pose_landmarker_heavy.task', (route) => route.fulfill({ status: 404, body: 'Not Found' }));
    await page.goto(`${app.url}?autostart&pose=heavy&model=none`);
    await expect.poll(() => page.textContent('#banner'), { timeout: 60_000 }).toMatch(/pose_landmarker_heavy\.task is missing.*npm run setup/);
    expect(await page.isEnabled('#start')).toBe(true);
    await page.close();
  });
});

describe('no camera', () => {
  it('says so and keeps the app usable', async () => {
    const cameraless = await launchChromium();
    try {
      const page = await cameraless.context.newPage();
      await page.goto(`${app.url}?autostart&model=ttr-lite-untrained.json`);
      await expect.poll(() => page.textContent('#banner'), { timeout: 60_000 }).toMatch(/No camera found/);
      expect(await page.isEnabled('#start')).toBe(true);
      await page.selectOption('#source', 'video');
      expect(await page.isVisible('#camera')).toBe(false);
      expect(await page.isVisible('#banner')).toBe(false);
    } finally {
      await cameraless.close();
    }
  });
});

describe('camera permission denied', () => {
  it('stops the run and says how to fix it', async () => {
    const denied = await launchChromium({ fakeVideo: makeTestClip(join(RESULTS, 'media'), 4), denyCamera: true });
    try {
      const page = await denied.context.newPage();
      await page.goto(`${app.url}?autostart&model=none`);
      await expect.poll(() => page.textContent('#banner'), { timeout: 60_000 }).toMatch(/permission was denied.*press Start/);
      expect(await page.textContent('#start')).toBe('Start');
      expect((await debugState(page)).running).toBe(false);
    } finally {
      await denied.close();
    }
  });
});

describe('offline', () => {
  it('sent every request to the local server', () => {
    expect(requests.length).toBeGreaterThan(5);
    expect(offMachine).toEqual([]);
    const origin = new URL(app.url).origin;
    expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
  });
});
