/**
 * Video files for the CLI: the app itself, in headless Chromium, plays the video through the same pose worker
 * as the live screen and records the skeleton of every processed frame; the recording (.jsonl) then goes through
 * the CLI's recording reader. The video plays at `playbackRate` (default 0.25) with frames timed by their position
 * in the file; frames that arrive while the worker is busy are dropped like live, and the window assembler
 * resamples to the model's fps either way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { PoseModelName } from '../src/pose/protocol';
import { serveApp } from '../scripts/headless/app-server';
import { launchChromium } from '../scripts/headless/chromium';
import { openSource, VIDEO_EXTENSIONS, type SkeletonSource, type SourceOptions, type SourceReader } from './sources';

export interface VideoPoseOptions {
  pose?: PoseModelName;
  playbackRate?: number;
  /** Give up after this long (the video plays in real time). */
  timeoutMs?: number;
}

/** Runs the video through the app's pose stage and returns the skeleton recording (JSONL text). */
export async function videoToRecording(videoPath: string, options: VideoPoseOptions = {}): Promise<string> {
  const app = await serveApp();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    // model=none: only poses are needed here; the CLI classifies the recording itself.
    await page.goto(`${app.url}?source=video&record&model=none&pose=${options.pose ?? 'lite'}&rate=${options.playbackRate ?? 0.25}`);
    await page.waitForSelector('#start:not([disabled])');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#start')]);
    const download = page.waitForEvent('download', { timeout: options.timeoutMs ?? 30 * 60_000 });
    await chooser.setFiles(resolve(videoPath));
    const failure = page
      .waitForFunction(() => /could not be played|pose model/.test(document.getElementById('banner')?.textContent ?? ''), null, {
        timeout: 0,
        polling: 500,
      })
      .then(async () => {
        throw new Error(`${videoPath}: ${await page.textContent('#banner')}`);
      });
    // Whichever loses the race rejects when the browser closes: mark both handled.
    download.catch(() => undefined);
    failure.catch(() => undefined);
    const saved = await Promise.race([download, failure]);
    const folder = mkdtempSync(join(tmpdir(), 'sentinel-video-'));
    try {
      const file = join(folder, 'poses.jsonl');
      await saved.saveAs(file);
      return readFileSync(file, 'utf8');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  } finally {
    await browser.close();
    await app.close();
  }
}

/** Video → recording → the CLI's own .jsonl reader (cli/sources.ts loads this module on demand). */
export const videoPoseReader: SourceReader = {
  extensions: VIDEO_EXTENSIONS,
  async open(path: string, options: SourceOptions): Promise<SkeletonSource> {
    const recording = await videoToRecording(path);
    const folder = mkdtempSync(join(tmpdir(), 'sentinel-video-'));
    const file = join(folder, `${basename(path)}.jsonl`);
    writeFileSync(file, recording);
    const source = await openSource(file, options);
    return { ...source, description: `video ${basename(path)} → poses in headless Chromium; ${source.description}` };
  },
};
