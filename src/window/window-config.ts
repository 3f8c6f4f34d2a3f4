// The window stage's settings: what a model's window is (size, stride, fps, person slots) and how poses are
// resampled and tracked into it (src/window/assembler.ts).
import type { LayoutName } from '../skeleton/layout';
import type { OneEuroConfig } from './one-euro';
import { DEFAULT_TRACKER, type TrackerConfig } from './tracker';

export interface WindowConfig {
  /** Layout of the incoming poses (blazepose33 from MediaPipe, ntu25 from NTU files). */
  layout: LayoutName;
  window: number;
  stride: number;
  fps: number;
  /** Person slots M of the model input; slot 0 is the window's person, the others the other tracked people by id. */
  persons: number;
  minPresence: number;
  maxGapMs: number;
  tracker: TrackerConfig;
  /** Per-coordinate One Euro smoothing of canonical poses; null = off. */
  oneEuro: OneEuroConfig | null;
}

export const DEFAULT_WINDOW_OPTIONS = {
  layout: 'blazepose33',
  minPresence: 0.5,
  maxGapMs: 250,
  tracker: DEFAULT_TRACKER,
  oneEuro: null,
} as const satisfies Partial<WindowConfig>;

/**
 * The app, the CLI and the fall replays emit a window on every grid tick, so every person gets a label every frame
 * (at the model's fps); a manifest's input.stride is only the stride its windows were exported with.
 */
export const LABEL_EVERY_TICK = 1;

/** Window settings for a model: size, stride, fps and person slots come from its manifest input spec. */
export function windowConfigForModel(
  input: { window: number; stride: number; fps: number; persons: number },
  options: Partial<Omit<WindowConfig, 'window' | 'stride' | 'fps' | 'persons'>> = {},
): WindowConfig {
  return { ...DEFAULT_WINDOW_OPTIONS, ...options, window: input.window, stride: input.stride, fps: input.fps, persons: input.persons };
}
