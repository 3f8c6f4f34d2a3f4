import { describe, expect, it } from 'vitest';
import { replayFrames } from '../../../src/ui/replay';
import type { PoseFrame } from '../../../src/skeleton/types';

const frame = (t: number): PoseFrame => ({ t, width: 640, height: 480, people: [] });

describe('replayFrames', () => {
  it('emits frames at their recorded spacing on the live clock, then completes', () => {
    let clock = 1000;
    const timers: { at: number; run: () => void }[] = [];
    const emitted: { t: number; at: number }[] = [];
    let completed = false;
    replayFrames([frame(5000), frame(5033), frame(5100)], () => clock, (run, ms) => {
      timers.push({ at: clock + ms, run });
      return () => undefined;
    }).subscribe({ next: (sample) => emitted.push({ t: sample.t, at: clock }), complete: () => (completed = true) });
    while (timers.length > 0) {
      const next = timers.shift()!;
      clock = next.at;
      next.run();
    }
    expect(emitted).toEqual([
      { t: 1000, at: 1000 },
      { t: 1033, at: 1033 },
      { t: 1100, at: 1100 },
    ]);
    expect(completed).toBe(true);
  });

  it('stops scheduling when unsubscribed', () => {
    let cancelled = 0;
    const subscription = replayFrames([frame(0), frame(1000)], () => 0, () => () => cancelled++).subscribe();
    subscription.unsubscribe();
    expect(cancelled).toBe(1);
  });

  it('completes at once for an empty recording', () => {
    let completed = false;
    replayFrames([]).subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });
});
