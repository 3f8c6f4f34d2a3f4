// URL options for kiosks and automation, read once at start-up (docs/app-ui.md):
// ?source=camera|video|recording &pose=lite|full|heavy &model=NAME.json|none &autostart (start at once)
// &record (record the skeleton of each run; saved when the run stops or its file ends)
// &rate=0.25 (video files play at this speed: a slow pose stage then sees more of their frames) &overlay=off.
import { DEFAULT_POSE_MODEL, POSE_MODELS, type PoseModelName } from '../pose/protocol';

/** The fastest playback ?rate may ask for. */
const MAX_PLAYBACK_RATE = 16;

export interface ScreenOptions {
  /** The source picker's value to select, when the page offers it. */
  source: string | null;
  pose: PoseModelName;
  /** The model picker's value to select, when listed; null: the picker's first entry. */
  model: string | null;
  /** ?model=none: no action model (poses only). */
  noModel: boolean;
  autostart: boolean;
  recordEveryRun: boolean;
  /** ?overlay=off: no skeleton drawing (the benchmark's pose-only run). */
  drawOverlays: boolean;
  videoPlaybackRate: number;
}

/** The options of a page's query string; an unknown or out-of-range value falls back to its default. */
export function screenOptions(search: string): ScreenOptions {
  const params = new URLSearchParams(search);
  const pose = params.get('pose');
  const rate = Number(params.get('rate'));
  return {
    source: params.get('source'),
    pose: pose && (POSE_MODELS as readonly string[]).includes(pose) ? (pose as PoseModelName) : DEFAULT_POSE_MODEL,
    model: params.get('model'),
    noModel: params.get('model') === 'none',
    autostart: params.has('autostart'),
    recordEveryRun: params.has('record'),
    drawOverlays: params.get('overlay') !== 'off',
    videoPlaybackRate: rate > 0 && rate <= MAX_PLAYBACK_RATE ? rate : 1,
  };
}
