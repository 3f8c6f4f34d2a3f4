// The spatial-attention heatmap needs a model that exports spatial_attention; none is committed yet, so this test
// exports the untrained STST lite (seed 0) into its own build's models/ with the project's exporter.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelIndex } from '../../scripts/models-index';
import { REPO_ROOT, serveApp, type ServedApp } from '../../scripts/headless/app-server';
import { launchChromium, makeTestClip, type LaunchedChromium } from '../../scripts/headless/chromium';

const MODEL = 'stst-lite-e2e';
let app: ServedApp;
let browser: LaunchedChromium;

beforeAll(async () => {
  app = await serveApp();
  const models = join(app.root, 'models');
  if (!existsSync(join(models, `${MODEL}.onnx`))) {
    execFileSync(join(REPO_ROOT, 'scripts/python.sh'), ['-m', 'training.export', '--config', 'stst-lite', '--name', MODEL, '--out', models], {
      cwd: REPO_ROOT,
      stdio: 'pipe', // the exporter's output (and tracer warnings) appear only in the error when it fails
    });
  }
  writeFileSync(join(models, 'index.json'), JSON.stringify(buildModelIndex(models).index));
  browser = await launchChromium({ fakeVideo: makeTestClip(join(REPO_ROOT, 'test-results', 'media'), 4) });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('spatial attention heatmap', () => {
  it('draws the V×V map of a model that exports spatial attention when toggled on', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.url}?autostart&pose=lite&model=${MODEL}.json`);
    await page.waitForSelector('#heatmap-toggle:not([disabled])', { timeout: 60_000 });
    await page.check('#heatmap-toggle');
    expect(await page.isVisible('#heatmap')).toBe(true);
    // Every cell of the 25×25 map is painted once a prediction has arrived.
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const canvas = document.getElementById('heatmap') as HTMLCanvasElement;
            const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] === 255) painted++;
            return painted / (canvas.width * canvas.height);
          }),
        { timeout: 90_000 },
      )
      .toBeGreaterThan(0.99);
    await page.close();
  });
});
