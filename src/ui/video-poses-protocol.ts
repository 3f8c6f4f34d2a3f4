/**
 * Between cli/video-poses.ts (Node, Playwright) and the headless page video-poses.html (src/ui/video-poses-page.ts):
 * the files are handed to the page's file input, the page decodes every frame and runs the live app's pose worker
 * on it, and each frame's poses come back through an exposed function, in order.
 */
import type { VideoFileInfo } from '../capture/video-file-decoder';
import type { PoseModelName } from '../pose/protocol';
import type { Person } from '../skeleton/types';

/** The page's API, at `window[PAGE_API]`. Files are addressed by their index in the file input. */
export interface VideoPosesPage {
  probe(index: number): Promise<ProbeResult>;
  convert(index: number, model: PoseModelName): Promise<ConvertResult>;
}

export type ProbeResult = { ok: true; info: VideoFileInfo } | { ok: false; message: string };

export type ConvertResult =
  | {
      ok: true;
      /** Frames delivered (strictly increasing times). */
      frames: number;
      /** Decoded frames dropped because their time did not increase (a damaged or oddly muxed file). */
      repeatedTimestamps: number;
      /** Mean time the landmarker took per frame, in the worker. */
      meanPoseMs: number;
      /** Pose delegate and why, as the live app's stats panel shows it. */
      delegate: string;
    }
  | { ok: false; message: string };

/** One frame's poses, passed to `window[FRAME_BINDING]`; the page awaits it before sending the next. */
export interface FramePoses {
  t: number;
  people: Person[];
}

export const PAGE_API = 'sentinelVideoPoses';
export const FRAME_BINDING = 'sentinelVideoPoseFrame';
export const FILE_INPUT_ID = 'videos';
