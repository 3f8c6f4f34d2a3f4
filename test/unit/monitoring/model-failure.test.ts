// A failing action model must never silence a fall: its outputs stop counting (kinematics only) when they are
// not probabilities, when they stop arriving (a hung or crashed worker) and when the model stage reports failures.
import { describe, expect, it } from 'vitest';
import labelSet from '../../../training/labels/default.json';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import { MODEL_STALE_MS, Monitoring } from '../../../src/monitoring/monitoring';
import type { Prediction } from '../../../src/model/prediction';
import { steps as s } from '../../../eval/synthetic';
import { render, track } from '../helpers/scenarios';

// A model trusted this much vetoes the kinematics when it says "standing": the faults below must undo that veto.
const config = resolveMonitoringConfig({ fall: { model: { weightTrained: 0.9 } } });
const labels = labelSet.labels;
const wallStart = Date.UTC(2026, 0, 5, 10, 0);
/** The fall starts after 6 s of standing. */
const FALL_STARTS = 6000;
const frames = track(render([s.hold(FALL_STARTS), s.fallForward(), s.lie(9000)], 90));
const personId = frames[0]!.people[0]!.id;
const standing = Float32Array.from(labels, (label) => (label === 'standing' ? 1 : 0));
const prediction = (t: number, probabilities = standing): Prediction => ({ t, personId, probabilities, top: [], modelMs: 1, untrained: false });

/** Replays the fall; `model(t, monitoring)` feeds predictions or failures after each frame. Returns the event types. */
function replay(model: (t: number, monitoring: Monitoring) => void): string[] {
  const monitoring = new Monitoring(config, { labels, trained: true }, wallStart);
  return frames.flatMap((frame) => {
    const events = monitoring.frame(frame, wallStart + frame.t).events;
    model(frame.t, monitoring);
    return events.map((event) => event.type);
  });
}

describe('the model cannot silence a fall', () => {
  it('(control) a working model that keeps saying "standing" vetoes this fall at this weight', () => {
    expect(replay((t, monitoring) => monitoring.prediction(prediction(t)))).not.toContain('fall');
  });

  it('NaN outputs count as no model: the fall is raised from body movement', () => {
    const nan = new Float32Array(labels.length).fill(Number.NaN);
    expect(replay((t, monitoring) => monitoring.prediction(prediction(t, t < FALL_STARTS - 1000 ? standing : nan)))).toContain('fall');
  });

  it('outputs of the wrong length count as no model', () => {
    const short = new Float32Array(3).fill(1 / 3);
    expect(replay((t, monitoring) => monitoring.prediction(prediction(t, t < FALL_STARTS - 1000 ? standing : short)))).toContain('fall');
  });

  it(`a model that stops answering (hung worker) no longer counts after ${MODEL_STALE_MS} ms`, () => {
    expect(replay((t, monitoring) => t < FALL_STARTS - MODEL_STALE_MS - 500 && monitoring.prediction(prediction(t)))).toContain('fall');
  });

  it('a reported model failure drops the last output at once', () => {
    const types = replay((t, monitoring) => (t < FALL_STARTS ? monitoring.prediction(prediction(t)) : monitoring.modelFailing()));
    expect(types).toContain('fall');
  });
});
