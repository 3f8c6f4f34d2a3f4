import type { Prediction } from '../src/model/prediction';
import type { PoseFrame } from '../src/skeleton';
import { poseFrameToCanonical, WindowAssembler, type SkeletonWindow, type TrackedFrame, type WindowConfig } from '../src/window';
import type { MonitoringConfig } from '../src/settings/config';
import { Monitoring } from '../src/monitoring/monitoring';

/** The action model as the replay sees it: what Monitoring needs of the manifest, and the app's model stage. */
export interface ReplayModel {
  labels: readonly string[];
  trained: boolean;
  classify(window: SkeletonWindow): Promise<Prediction | null>;
}

/** One frame as the live app's monitors receive it: the pose frame, its tracked people, the predictions it completed. */
export interface ReplayedFrame {
  frame: PoseFrame;
  tracked: Pick<TrackedFrame, 't' | 'people'>;
  predictions: Prediction[];
}

export interface Replay {
  frames: ReplayedFrame[];
  model: { labels: readonly string[]; trained: boolean } | null;
}

/** A fall alert raised while replaying: when the fall happened and when the alert went off (ms after the first frame). */
export interface RaisedAlert {
  fallAt: number;
  raisedAt: number;
}

const WALL_CLOCK_ORIGIN = Date.UTC(2026, 0, 1, 12);

/**
 * Runs a recording through the app's tracker and, when given, its action model (the windows the live pipeline
 * would classify, at their stride). Slow (the model); the result can be replayed through many monitoring configs.
 */
export async function replayRecording(frames: readonly PoseFrame[], window: WindowConfig, model: ReplayModel | null): Promise<Replay> {
  const assembler = new WindowAssembler(window);
  const replayed: ReplayedFrame[] = [];
  for (const frame of frames) {
    const { tracked, windows } = assembler.push(poseFrameToCanonical(frame));
    const predictions: Prediction[] = [];
    if (model) {
      for (const skeletonWindow of windows) {
        const prediction = await model.classify(skeletonWindow);
        if (prediction) predictions.push(prediction);
      }
    }
    replayed.push({ frame, tracked, predictions });
  }
  return { frames: replayed, model: model && { labels: model.labels, trained: model.trained } };
}

/** The fall alerts the app's Monitoring raises on a replay (fall detector only: the other monitors are off). */
export function raiseFallAlerts(replay: Replay, config: MonitoringConfig): RaisedAlert[] {
  const quiet: MonitoringConfig = {
    ...config,
    floor: { ...config.floor, enabled: false },
    absence: { ...config.absence, enabled: false },
    heldAction: { ...config.heldAction, enabled: false },
  };
  const first = replay.frames[0];
  if (!first) return [];
  const start = first.frame.t;
  const monitoring = new Monitoring(quiet, replay.model, WALL_CLOCK_ORIGIN);
  const alerts: RaisedAlert[] = [];
  for (const { frame, tracked, predictions } of replay.frames) {
    // A prediction reaches the monitors right after the frame that completed its window, as in the live app.
    for (const event of monitoring.frame(tracked, WALL_CLOCK_ORIGIN + frame.t - start, frame.people).events) {
      if (event.type === 'fall') alerts.push({ fallAt: event.t - start, raisedAt: frame.t - start });
    }
    for (const prediction of predictions) monitoring.prediction(prediction);
  }
  return alerts;
}

/**
 * The recording with its last frame held for `holdMs` more (at the recording's own frame spacing): a clip ends
 * when the camera stopped, not when the person got up, so a fall in its last second could never be confirmed.
 */
export function holdLastFrame(frames: readonly PoseFrame[], holdMs: number): PoseFrame[] {
  if (holdMs <= 0 || frames.length < 2) return [...frames];
  const last = frames.at(-1)!;
  const step = Math.max(1, (last.t - frames[0]!.t) / (frames.length - 1));
  const held: PoseFrame[] = [...frames];
  for (let t = last.t + step; t <= last.t + holdMs; t += step) held.push({ ...last, t });
  return held;
}
