/**
 * Video files → skeleton recordings with the live app's own pose stage: the built app's headless page
 * video-poses.html (src/ui/video-poses-page.ts) in one headless Chromium decodes every frame of each file
 * (WebCodecs, src/capture/video-file-decoder.ts) and runs the app's pose worker on it with the app's pose settings;
 * the frames' poses come back here in order, timed by their media time in the file. `npm run poses` converts
 * batches with it; `npm run classify -- VIDEO` reads one video through it (videoPoseReader).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { RecordingWriter, type RecordingHeader } from '../src/recording/format';
import { DEFAULT_POSE_MODEL, type PoseModelName } from '../src/pose/protocol';
import { FILE_INPUT_ID, FRAME_BINDING, PAGE_API, type ConvertResult, type FramePoses, type ProbeResult, type VideoPosesPage } from '../src/ui/video-poses-protocol';
import type { VideoFileInfo } from '../src/capture/video-file-decoder';
import { serveApp, type ServedApp } from '../scripts/headless/app-server';
import { launchChromium, type LaunchedChromium } from '../scripts/headless/chromium';
import { recordingReader, VIDEO_EXTENSIONS, type SkeletonSource, type SourceOptions, type SourceReader } from './skeleton-files';

type Api = keyof VideoPosesPage;

/** One browser, one page, for a whole batch; each video gets its own pose landmarker inside the page. */
export class VideoPoseSession {
  private page: Page | null = null;
  private files: string[] = [];
  private onFrame: (frame: FramePoses) => void = () => undefined;

  private constructor(
    private readonly app: ServedApp,
    private readonly browser: LaunchedChromium,
  ) {}

  static async open(): Promise<VideoPoseSession> {
    const browser = await launchChromium(); // first: a missing Chromium fails before the app is built
    try {
      return new VideoPoseSession(await serveApp(), browser);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /** The videos of this batch, addressed by index afterwards. */
  async setFiles(paths: readonly string[]): Promise<void> {
    this.files = paths.map((path) => resolve(path));
    await (await this.openPage()).setInputFiles(`#${FILE_INPUT_ID}`, this.files);
  }

  probe(index: number): Promise<ProbeResult> {
    return this.call('probe', index, (message) => ({ ok: false, message }));
  }

  /** Every frame's poses of video `index`, in order, to `onFrame`. */
  async convert(index: number, pose: PoseModelName, onFrame: (frame: FramePoses) => void): Promise<ConvertResult> {
    this.onFrame = onFrame;
    try {
      return await this.call('convert', index, (message) => ({ ok: false, message }), pose);
    } finally {
      this.onFrame = () => undefined;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.app.close();
  }

  private async openPage(): Promise<Page> {
    if (this.page) return this.page;
    const page = await this.browser.context.newPage();
    await page.exposeFunction(FRAME_BINDING, (frame: FramePoses) => this.onFrame(frame));
    await page.goto(new URL('video-poses.html', this.app.url).href);
    await page.waitForFunction((name) => name in window, PAGE_API);
    this.page = page;
    return page;
  }

  /** Runs one page API call; a crashed or closed page fails this file only: the next call gets a fresh page. */
  private async call<R>(api: Api, index: number, failed: (message: string) => R, ...args: unknown[]): Promise<R> {
    const page = await this.openPage();
    try {
      return await page.evaluate(
        ([name, call, at, rest]) => (window as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<R>>>)[name]![call]!(at, ...rest),
        [PAGE_API, api, index, args] as const,
      );
    } catch (error) {
      this.page = null;
      await page.close().catch(() => undefined);
      if (this.files.length) await (await this.openPage()).setInputFiles(`#${FILE_INPUT_ID}`, this.files);
      return failed(`the browser page failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }
}

export interface VideoPoseResult {
  info: VideoFileInfo;
  frames: number;
  framesWithPerson: number;
  /** Mean visibility of the landmarks of every detected person; null when nobody was detected. */
  meanVisibility: number | null;
  repeatedTimestamps: number;
  meanPoseMs: number;
  delegate: string;
}

/** A failure of one file; the message names the reason, not the file. */
export class VideoFileFailure extends Error {
  override name = 'VideoFileFailure';
}

export function recordingHeader(info: VideoFileInfo, name: string): RecordingHeader {
  return { format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps: info.fps, width: info.width, height: info.height, source: `video:${name}` };
}

/**
 * Video `index` of the session → a recording written through `write` (header first). `name`: the header's source
 * is "video:NAME". Throws VideoFileFailure with the reason when the file cannot be converted.
 */
export async function writeVideoRecording(
  session: VideoPoseSession,
  index: number,
  name: string,
  options: { pose: PoseModelName; write: (text: string) => void; info?: VideoFileInfo; onFrame?: (frames: number) => void },
): Promise<VideoPoseResult> {
  let info = options.info;
  if (!info) {
    const probed = await session.probe(index);
    if (!probed.ok) throw new VideoFileFailure(probed.message);
    info = probed.info;
  }
  const writer = new RecordingWriter(options.write, recordingHeader(info, name));
  let framesWithPerson = 0;
  let visibilitySum = 0;
  let landmarks = 0;
  const result = await session.convert(index, options.pose, (frame) => {
    writer.append(frame);
    if (frame.people.length) framesWithPerson++;
    for (const person of frame.people) {
      for (const landmark of person.landmarks) visibilitySum += landmark[3];
      landmarks += person.landmarks.length;
    }
    options.onFrame?.(writer.frames);
  });
  if (!result.ok) throw new VideoFileFailure(result.message);
  if (result.frames === 0) throw new VideoFileFailure('no frame could be decoded (a truncated or damaged file?)');
  return {
    info,
    frames: result.frames,
    framesWithPerson,
    meanVisibility: landmarks ? visibilitySum / landmarks : null,
    repeatedTimestamps: result.repeatedTimestamps,
    meanPoseMs: result.meanPoseMs,
    delegate: result.delegate,
  };
}

/** One video → its recording (JSONL text), in a browser of its own. */
export async function videoToRecording(videoPath: string, options: { pose?: PoseModelName } = {}): Promise<string> {
  const session = await VideoPoseSession.open();
  try {
    await session.setFiles([videoPath]);
    const chunks: string[] = [];
    try {
      await writeVideoRecording(session, 0, basename(videoPath), { pose: options.pose ?? DEFAULT_POSE_MODEL, write: (text) => chunks.push(text) });
    } catch (error) {
      throw new Error(`${videoPath}: ${(error as Error).message}`);
    }
    return chunks.join('');
  } finally {
    await session.close();
  }
}

/** Video → recording → the CLI's .jsonl reader (cli/skeleton-files.ts); cli/sources.ts loads this module on demand. */
export const videoPoseReader: SourceReader = {
  extensions: VIDEO_EXTENSIONS,
  async open(path: string, options: SourceOptions): Promise<SkeletonSource> {
    const recording = await videoToRecording(path);
    const folder = mkdtempSync(join(tmpdir(), 'sentinel-video-'));
    const file = join(folder, `${basename(path)}.jsonl`);
    writeFileSync(file, recording);
    const source = await recordingReader.open(file, options);
    return {
      ...source,
      description: `video ${basename(path)} → poses of every frame in headless Chromium; ${source.description}`,
      async *frames() {
        try {
          yield* source.frames();
        } finally {
          rmSync(folder, { recursive: true, force: true });
        }
      },
    };
  },
};
