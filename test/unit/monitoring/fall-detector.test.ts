import { describe, expect, it } from 'vitest';
import { toCanonical, type PoseFrame } from '../../../src/skeleton';
import { resolveMonitoringConfig, type MonitoringOverrides } from '../../../src/settings/config';
import { FallDetector, type FallEvent } from '../../../src/monitoring/fall-detector';
import type { GroupProbabilities } from '../../../src/monitoring/label-groups';
import { steps as s } from '../../../eval/synthetic';
import { FALLS, NOT_FALLS, render } from '../helpers/scenarios';

function run(frames: PoseFrame[], options: { overrides?: MonitoringOverrides; trained?: boolean; model?: (t: number) => GroupProbabilities } = {}) {
  const detector = new FallDetector(resolveMonitoringConfig(options.overrides), { modelTrained: options.trained ?? false });
  const events: FallEvent[] = [];
  for (const frame of frames) {
    const person = frame.people[0];
    const joints = person ? toCanonical(person.landmarks, frame.width, frame.height) : null;
    events.push(...detector.update({ t: frame.t, joints, world: person?.world ?? null, model: options.model?.(frame.t) }));
  }
  return { detector, events, alerts: events.filter((event) => event.type === 'fall_confirmed') };
}

const YAWS = [0, 45, 90, 180, -90];

describe('fall detector on synthetic motion (kinematics only, untrained model)', () => {
  for (const [name, script] of Object.entries(FALLS)) {
    it(`fall ${name}: exactly one alert from every viewing direction`, () => {
      for (const yaw of YAWS) {
        const { alerts } = run(render(script, yaw));
        expect(alerts, `yaw ${yaw}`).toHaveLength(1);
        expect(alerts[0]!.fallAt).toBeGreaterThan(3000);
        expect(alerts[0]!.fallAt).toBeLessThan(4200);
        expect(alerts[0]!.confidence).toBeGreaterThan(0.5);
      }
    });
  }

  for (const [name, script] of Object.entries(NOT_FALLS)) {
    it(`${name}: no alert from any viewing direction`, () => {
      for (const yaw of YAWS) expect(run(render(script, yaw)).alerts, `yaw ${yaw}`).toHaveLength(0);
    });
  }

  it('a near fall may raise a possible fall but it is cancelled, never confirmed', () => {
    const { events } = run(render([s.hold(3000), s.nearFall(), s.hold(6000)], 90));
    expect(events.filter((event) => event.type === 'fall_confirmed')).toHaveLength(0);
    const possible = events.filter((event) => event.type === 'possible_fall').length;
    expect(events.filter((event) => event.type === 'fall_cancelled')).toHaveLength(possible);
  });

  it('getting up after a fall reports recovery once, and a second fall after the cooldown alerts again', () => {
    const script = [s.hold(3000), s.fallForward(), s.lie(7000), s.getUp(), s.hold(32000), s.fallSideways(-1), s.lie(7000)];
    const { events } = run(render(script, 90));
    expect(events.map((event) => event.type)).toEqual([
      'possible_fall', 'fall_confirmed', 'recovered', 'possible_fall', 'fall_confirmed',
    ]);
  });

  it('getting up and falling again inside the cooldown stays one alert', () => {
    const script = [s.hold(3000), s.fallForward(), s.lie(7000), s.getUp(), s.hold(2000), s.fallForward(), s.lie(7000)];
    const { alerts, detector } = run(render(script, 90));
    expect(alerts).toHaveLength(1);
    expect(detector.state).toBe('cooldown');
  });

  it('acknowledging silences the fall; the person is still watched and recovery is reported', () => {
    const frames = render([s.hold(3000), s.fallForward(), s.lie(7000), s.getUp(), s.hold(3000)], 0);
    const detector = new FallDetector(resolveMonitoringConfig(), { modelTrained: false });
    const types: string[] = [];
    for (const frame of frames) {
      const joints = toCanonical(frame.people[0]!.landmarks, frame.width, frame.height);
      for (const event of detector.update({ t: frame.t, joints, world: frame.people[0]!.world })) {
        types.push(event.type);
        if (event.type === 'fall_confirmed') types.push(...detector.acknowledge(frame.t).map((e) => e.type));
      }
    }
    expect(types).toEqual(['possible_fall', 'fall_confirmed', 'acknowledged', 'recovered']);
    expect(detector.acknowledge(frames.at(-1)!.t)).toEqual([]);
  });

  it('the confirmation time is configurable', () => {
    const frames = render(FALLS.forward!, 90);
    const fast = run(frames, { overrides: { fall: { confirmMs: 2000 } } }).alerts[0]!;
    const slow = run(frames, { overrides: { fall: { confirmMs: 8000 } } }).alerts[0]!;
    expect(fast.t - fast.fallAt!).toBeGreaterThanOrEqual(2000);
    expect(fast.t - fast.fallAt!).toBeLessThan(2100);
    expect(slow.t - slow.fallAt!).toBeGreaterThanOrEqual(8000);
  });

  it('a person who disappears right after a fall is still confirmed (fell out of view)', () => {
    const { alerts } = run(render([s.hold(3000), ...s.fallForward(), s.absent(7000)], 90));
    expect(alerts).toHaveLength(1);
  });

  it('nobody standing first means no reference: lying in view from the start raises nothing', () => {
    const frames = render([s.hold(3000), s.fallForward(), s.lie(9000)], 90).filter((frame) => frame.t > 4000);
    expect(run(frames).events).toHaveLength(0);
  });
});

describe('fall detector model fusion', () => {
  const sittingFrames = render(NOT_FALLS.sitDownFast!, 90);
  const modelSaysFall = (t: number): GroupProbabilities => ({ fall: t > 3000 && t < 5000 ? 0.99 : 0.01, lying: 0, gettingUp: 0 });

  it('an untrained model has no weight: its fall probability alone raises nothing', () => {
    expect(run(sittingFrames, { trained: false, model: modelSaysFall }).events).toHaveLength(0);
  });

  it('a trained model is weighted but cannot alert without kinematic evidence', () => {
    const { events } = run(sittingFrames, { trained: true, model: modelSaysFall });
    expect(events.filter((event) => event.type === 'fall_confirmed')).toHaveLength(0);
  });

  it('a cancelled possible fall does not hold back the real fall that follows with stronger evidence', () => {
    // A brief model glitch while standing opens a possible fall (the low trigger lets the model alone do it);
    // it is cancelled, and the fall half a second later (inside the 2.45 s re-arm wait) must still alert at its own time.
    const glitch = (t: number): GroupProbabilities => ({ fall: t > 2000 && t < 2100 ? 1 : 0, lying: 0, gettingUp: 0 });
    const { events, alerts } = run(render(FALLS.forward!, 90), { trained: true, model: glitch, overrides: { fall: { triggerScore: 0.15, model: { weightTrained: 0.3 }, motion: { windowMs: 2450 } } } });
    expect(events.slice(0, 2).map((event) => [event.type, event.t < 3000])).toEqual([['possible_fall', true], ['fall_cancelled', true]]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.fallAt).toBeGreaterThan(3000);
    expect(alerts[0]!.fallAt).toBeLessThan(4200);
  });

  it("a trained model's fall probability is weighted into the confidence and recorded in the signals", () => {
    const frames = render(FALLS.forward!, 90);
    const unsure = run(frames, { trained: true, model: () => ({ fall: 0.3, lying: 0.3, gettingUp: 0 }) }).alerts[0]!;
    const sure = run(frames, { trained: true, model: () => ({ fall: 0.95, lying: 0.9, gettingUp: 0 }) }).alerts[0]!;
    const untrained = run(frames, { trained: false, model: () => ({ fall: 0.95, lying: 0.9, gettingUp: 0 }) }).alerts[0]!;
    const weight = resolveMonitoringConfig().fall.model.weightTrained;
    expect(weight).toBeGreaterThan(0);
    expect(sure.signals.modelWeight).toBeCloseTo(weight);
    expect(sure.signals.modelFall).toBeCloseTo(0.95);
    expect(untrained.signals.modelWeight).toBe(0);
    expect(sure.confidence - unsure.confidence).toBeCloseTo(weight * (0.95 - 0.3), 1);
  });

  it('holds the descent evidence while the person lies, so a model that sees the fall a second later still counts', () => {
    // The landing is at about 3.8 s and the descent leaves the 0.9 s motion window by 4.8 s. Neither the
    // kinematics (0.5 · 1) nor the model (0.5 · 0.95) alone reach the trigger; together at one frame they do.
    const frames = render(FALLS.forward!, 90);
    const lateModel = (from: number) => (t: number): GroupProbabilities => ({ fall: t >= from ? 0.95 : 0.01, lying: 0, gettingUp: 0 });
    const fall = (holdMs: number) => ({ fall: { triggerScore: 0.6, model: { weightTrained: 0.5 }, motion: { windowMs: 900, holdMs } } });
    expect(run(frames, { trained: true, model: lateModel(5000), overrides: fall(1500) }).alerts).toHaveLength(1);
    expect(run(frames, { trained: true, model: lateModel(5000), overrides: fall(0) }).alerts).toHaveLength(0);
    // The hold is bounded: a model that comes up long after the descent cannot raise it from lying alone.
    expect(run(frames, { trained: true, model: lateModel(6500), overrides: fall(1500) }).alerts).toHaveLength(0);
  });
});
