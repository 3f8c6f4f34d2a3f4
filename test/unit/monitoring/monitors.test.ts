import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../src/skeleton';
import { measureBody } from '../../../src/monitoring/body';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import { Monitoring } from '../../../src/monitoring/monitoring';
import { AbsenceMonitor, FloorMonitor, HeldActionMonitor } from '../../../src/monitoring/monitors';
import { steps as s } from '../../../eval/synthetic';
import type { Prediction } from '../../../src/model/prediction';
import labelSet from '../../../training/labels/default.json';
import { FALLS, render, track } from '../helpers/scenarios';

const config = resolveMonitoringConfig();

describe('floor monitor', () => {
  const floorFindings = (script: Parameters<typeof render>[0], afterMs: number) => {
    const monitor = new FloorMonitor({ ...config.floor, afterMs }, config.fall);
    return render(script, 90).flatMap((frame) => {
      const person = frame.people[0];
      const body = person ? measureBody(toCanonical(person.landmarks, frame.width, frame.height), 0.5) : null;
      const finding = monitor.update(frame.t, body);
      return finding ? [finding] : [];
    });
  };

  it('reports a person on the floor once, after the configured time', () => {
    const findings = floorFindings([s.hold(3000), s.lieDownSlowly(), s.lie(20000)], 10000);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.t).toBeGreaterThan(3000 + 5000 + 10000);
    expect(findings[0]!.t).toBeLessThan(3000 + 6000 + 10000);
  });

  it('does not report shorter floor time, sitting or bending', () => {
    expect(floorFindings([s.hold(3000), s.lieDownSlowly(), s.lie(4000), s.getUp(), s.hold(3000)], 10000)).toHaveLength(0);
    expect(floorFindings([s.hold(3000), s.sitDown(600), s.hold(15000)], 10000)).toHaveLength(0);
    expect(floorFindings([s.hold(3000), s.bend(12000)], 10000)).toHaveLength(0);
  });

  it('re-arms only after the person got up', () => {
    const script = [s.hold(3000), s.lieDownSlowly(), s.lie(12000), s.getUp(), s.hold(3000), s.lieDownSlowly(), s.lie(12000)];
    expect(floorFindings(script, 8000)).toHaveLength(2);
  });
});

describe('absence monitor', () => {
  const at = (hh: number, mm: number) => new Date(2026, 0, 5, hh, mm).getTime();
  const minutes = (n: number) => n * 60_000;

  it('alerts once after N minutes without anybody during the configured hours', () => {
    const monitor = new AbsenceMonitor({ enabled: true, afterMs: minutes(30), hours: { from: '08:00', to: '22:00' } }, at(9, 0));
    expect(monitor.update(at(9, 29), false)).toBeNull();
    expect(monitor.update(at(9, 30), false)?.signals.absentMs).toBe(minutes(30));
    expect(monitor.update(at(9, 45), false)).toBeNull();
    expect(monitor.update(at(9, 50), true)).toBeNull();
    expect(monitor.update(at(10, 20), false)).not.toBeNull();
  });

  it('counts only time inside the hours, including windows that wrap past midnight', () => {
    const day = new AbsenceMonitor({ enabled: true, afterMs: minutes(30), hours: { from: '08:00', to: '22:00' } }, at(2, 0));
    expect(day.update(at(7, 59), false)).toBeNull();
    expect(day.update(at(8, 20), false)).toBeNull();
    expect(day.update(at(8, 30), false)).not.toBeNull();
    const night = new AbsenceMonitor({ enabled: true, afterMs: minutes(60), hours: { from: '22:00', to: '06:00' } }, at(12, 0));
    expect(night.update(at(21, 0), false)).toBeNull();
    expect(night.update(at(22, 59), false)).toBeNull();
    expect(night.update(at(23, 0), false)).not.toBeNull();
  });

  it('is silent when disabled', () => {
    const monitor = new AbsenceMonitor({ enabled: false, afterMs: 1, hours: { from: '00:00', to: '00:00' } }, at(9, 0));
    expect(monitor.update(at(12, 0), false)).toBeNull();
  });
});

describe('held action monitor', () => {
  const labels = labelSet.labels;
  const wave = (p: number) => labels.map((label) => (label === 'waving_for_help' ? p : (1 - p) / (labels.length - 1)));
  const settings = { enabled: true, label: 'waving_for_help', minProbability: 0.6, afterMs: 3000 };

  it('alerts once when the label is held long enough, and again only after it was dropped', () => {
    const monitor = new HeldActionMonitor(settings, labels);
    const findings = [0, 1000, 2000, 3000, 4000, 5000, 6000, 9000, 10000, 13000].map((t) =>
      monitor.update(t, t === 6000 ? wave(0.2) : wave(0.9)),
    );
    expect(findings.map((finding) => finding !== null)).toEqual([false, false, false, true, false, false, false, false, false, true]);
  });

  it('explains an unknown label clearly', () => {
    expect(() => new HeldActionMonitor({ ...settings, label: 'juggling' }, labels)).toThrow(/"juggling" is not a label of the model/);
  });
});

describe('Monitoring (all monitors over pose frames and predictions)', () => {
  const wallStart = Date.UTC(2026, 0, 5, 10, 0);

  it('turns a fall into one alerting event timed at the fall, and reports recovery as an update', () => {
    const monitoring = new Monitoring(config, null, wallStart);
    const frames = track(render([s.hold(3000), s.fallForward(), s.lie(7000), s.getUp(), s.hold(3000)], 90));
    const outputs = frames.map((frame) => monitoring.frame(frame, wallStart + frame.t));
    const events = outputs.flatMap((output) => output.events);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'fall', alert: true, personId: frames[0]!.people[0]!.id });
    expect(events[0]!.wallTime - wallStart).toBeGreaterThan(3000);
    expect(events[0]!.wallTime - wallStart).toBeLessThan(4000);
    const updates = outputs.flatMap((output) => output.updates);
    expect(updates).toEqual([{ id: events[0]!.id, change: 'recovered', wallTime: expect.any(Number) }]);
  });

  it('uses the model signal only for the label groups and the held action', () => {
    const labels = labelSet.labels;
    const monitoring = new Monitoring({ ...config, heldAction: { ...config.heldAction, enabled: true } }, { labels, trained: false }, wallStart);
    const probabilities = Float32Array.from(labels, (label) => (label === 'waving_for_help' ? 0.9 : 0.1 / (labels.length - 1)));
    const prediction = (t: number): Prediction => ({ t, personId: 0, probabilities, top: [], modelMs: 1, untrained: true });
    expect(monitoring.prediction(prediction(0)).events).toHaveLength(0);
    expect(monitoring.prediction(prediction(3500)).events.map((event) => event.type)).toEqual(['held_action']);
  });

  it('does not raise fall events when falls are disabled', () => {
    const monitoring = new Monitoring({ ...config, fall: { ...config.fall, enabled: false } }, null, wallStart);
    const events = track(render(FALLS.forward!, 90)).flatMap((frame) => monitoring.frame(frame, wallStart + frame.t).events);
    expect(events).toHaveLength(0);
  });
});
