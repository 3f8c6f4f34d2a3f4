/**
 * Recordings prepared for fitting the fall detector: each tracked person's frames measured once (posture, body,
 * the model's fall-group probabilities in force at that frame), so that many settings can be replayed quickly.
 * detectFallAlerts on prepared data raises exactly the alerts the app's Monitoring raises on the same replay
 * (test/unit/eval/fall-fit.test.ts checks this against raiseFallAlerts).
 */
import type { MonitoringConfig } from '../src/settings/config';
import type { FallLabel } from '../eval/fall-eval';
import { FallDetector, measureForFalls, type FallMeasures } from '../src/monitoring/fall-detector';
import type { RaisedAlert, Replay } from '../eval/fall-replay';
import { groupIndexer, type GroupProbabilities } from '../src/monitoring/label-groups';
import { FORGET_AFTER_MS } from '../src/monitoring/monitoring';

interface PersonFrame {
  t: number;
  /** null: the person is tracked but not seen (or the torso is not) in this frame. */
  measured: FallMeasures | null;
  model: GroupProbabilities | undefined;
}

export interface PreparedRecording {
  name: string;
  subject: number | null;
  synthetic: boolean;
  label: FallLabel;
  durationMs: number;
  /** Frame times of the whole recording (people are updated on every frame, seen or not). */
  start: number;
  people: PersonFrame[][];
  modelTrained: boolean;
}

/** Measures every tracked person of a replay once, in the order Monitoring updates them. */
export function prepareRecording(
  recording: { name: string; subject: number | null; source: string; label: FallLabel; durationMs: number },
  replay: Replay,
  config: MonitoringConfig,
): PreparedRecording {
  const groups = replay.model ? groupIndexer(replay.model.labels) : null;
  const byId = new Map<number, { frames: PersonFrame[]; model?: GroupProbabilities; lastSeen: number }>();
  const minVisibility = config.fall.reference.minVisibility;
  for (const { frame, tracked, predictions } of replay.frames) {
    const seen = new Set<number>();
    for (const person of tracked.people) {
      seen.add(person.id);
      let state = byId.get(person.id);
      if (!state) byId.set(person.id, (state = { frames: [], lastSeen: frame.t }));
      state.lastSeen = frame.t;
      const world = frame.people[person.index]?.world ?? null;
      state.frames.push({ t: frame.t, measured: measureForFalls(person.canonical, world, frame.t, minVisibility), model: state.model });
    }
    for (const [id, state] of byId) {
      if (seen.has(id)) continue;
      // Monitoring forgets a person unseen for FORGET_AFTER_MS while nothing is open; a fitted detector never has
      // one open that long (confirmMs is seconds), so forgetting here gives the same alerts.
      if (frame.t - state.lastSeen > FORGET_AFTER_MS) continue;
      // As in Monitoring, a frame without the person carries no model output.
      state.frames.push({ t: frame.t, measured: null, model: undefined });
    }
    if (groups) for (const prediction of predictions) {
      const state = byId.get(prediction.personId);
      if (state) state.model = groups(prediction.probabilities);
    }
  }
  return {
    name: recording.name,
    subject: recording.subject,
    synthetic: recording.source === 'synthetic',
    label: recording.label,
    durationMs: recording.durationMs,
    start: replay.frames[0]?.frame.t ?? 0,
    people: [...byId.values()].map((state) => state.frames),
    modelTrained: replay.model?.trained ?? false,
  };
}

/** What one setting does on a prepared recording: its fall alerts (ms after the first frame), and the highest fused
 * score anyone reached (how far a fall cleared the trigger, or how far daily activity stayed below it). */
export interface DetectorReplay {
  alerts: RaisedAlert[];
  peakFused: number;
}

export function replayDetector(recording: PreparedRecording, config: MonitoringConfig): DetectorReplay {
  const alerts: RaisedAlert[] = [];
  let peakFused = 0;
  for (const frames of recording.people) {
    const detector = new FallDetector(config, { modelTrained: recording.modelTrained });
    for (const { t, measured, model } of frames) {
      for (const event of detector.step(t, measured, model)) {
        if (event.type === 'fall_confirmed') alerts.push({ fallAt: (event.fallAt ?? t) - recording.start, raisedAt: t - recording.start });
      }
      peakFused = Math.max(peakFused, detector.signals?.fused ?? 0);
    }
  }
  return { alerts: alerts.sort((a, b) => a.raisedAt - b.raisedAt), peakFused };
}

/** The fall alerts (ms after the first frame) of a prepared recording under `config`. */
export function detectFallAlerts(recording: PreparedRecording, config: MonitoringConfig): RaisedAlert[] {
  return replayDetector(recording, config).alerts;
}
