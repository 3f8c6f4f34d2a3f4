/**
 * npm run screenshot -- VIDEO --expect LABEL [--start S] [--out docs/screenshot.png] [--timeout 120]
 *   The README screenshot: VIDEO (from second S on, 640x480 at 30 fps) becomes the fake webcam of the built app in
 *   headless Chromium, and the screen is captured once the default model's shown label is LABEL. Fails (exit 1)
 *   when that label does not come within the timeout, so a wrong label is never published.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DebugState } from '../src/ui/view-model';
import { serveApp } from './headless/app-server';
import { launchChromium } from './headless/chromium';

function toFakeWebcam(video: string, startSeconds: number, dir: string): string {
  const clip = join(dir, 'webcam.y4m');
  const filter = 'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=gray,fps=30,format=yuv420p';
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-ss', String(startSeconds), '-i', video, '-an', '-vf', filter, clip], { stdio: 'pipe' });
  return clip;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      expect: { type: 'string' },
      start: { type: 'string', default: '0' },
      out: { type: 'string', default: 'docs/screenshot.png' },
      timeout: { type: 'string', default: '120' },
    },
  });
  if (positionals.length !== 1 || !values.expect) throw new Error('usage: npm run screenshot -- VIDEO --expect LABEL [--start S] [--out FILE]');
  const work = mkdtempSync(join(tmpdir(), 'sentinel-screenshot-'));
  const app = await serveApp();
  const browser = await launchChromium({ fakeVideo: toFakeWebcam(resolve(positionals[0]!), Number(values.start), work) });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${app.url}?autostart`);
    const expected = values.expect;
    await page.waitForFunction(
      (label) => {
        const state = (window as unknown as { __sentinel?: DebugState }).__sentinel;
        // The tag over the person is redrawn with the next pose frame: wait until it says the same as the panel.
        const tags = [...document.querySelectorAll<HTMLElement>('#tags .tag')].filter((tag) => !tag.hidden);
        const tagsAgree = tags.length > 0 && tags.every((tag) => tag.textContent?.startsWith(label.replaceAll('_', ' ')));
        return !!state && state.predictions > 0 && state.lastLabel === label && tagsAgree;
      },
      expected,
      { timeout: Number(values.timeout) * 1000, polling: 100 },
    );
    await page.screenshot({ path: resolve(values.out) });
    console.log(`wrote ${values.out}: label "${expected}" on screen`);
  } finally {
    await browser.close();
    await app.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`screenshot: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
