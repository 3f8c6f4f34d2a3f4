import { describe, expect, it } from 'vitest';
import { getLayout } from '../../../src/skeleton/layout';
import { rawIndex } from '../../../src/skeleton/normalise';
import {
  OneEuroFilter,
  PersonTracker,
  RingBuffer,
  WindowAssembler,
  windowConfigForModel,
  type CanonicalFrame,
  type WindowConfig,
} from '../../../src/window';
import { canonicalPerson } from './pose-helpers';

describe('RingBuffer', () => {
  it('keeps the newest items, oldest first', () => {
    const buffer = new RingBuffer<number>(3);
    for (const value of [1, 2]) buffer.push(value);
    expect(buffer.full).toBe(false);
    for (const value of [3, 4, 5]) buffer.push(value);
    expect(buffer.full).toBe(true);
    expect(buffer.toArray()).toEqual([3, 4, 5]);
    buffer.clear();
    expect(buffer.toArray()).toEqual([]);
  });

  it('rejects a bad capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});

describe('PersonTracker', () => {
  it('keeps ids when people move and swap their order in the detections', () => {
    const tracker = new PersonTracker({ maxPeople: 4, maxMatchDistance: 0.3, dropAfterMs: 1000, confirmFrames: 3 });
    expect(tracker.update([[-0.5, 0], [0.5, 0]], 0)).toEqual([1, 2]);
    expect(tracker.update([[0.45, 0], [-0.45, 0]], 33)).toEqual([2, 1]);
  });

  it('gives a new id to a person who appears, drops one unseen for dropAfterMs', () => {
    const tracker = new PersonTracker({ maxPeople: 4, maxMatchDistance: 0.3, dropAfterMs: 500, confirmFrames: 3 });
    tracker.update([[0, 0]], 0);
    expect(tracker.update([[0, 0], [0.8, 0]], 100)).toEqual([1, 2]);
    expect(tracker.update([[0.8, 0]], 400)).toEqual([2]);
    expect(tracker.activeIds).toEqual([1, 2]);
    expect(tracker.update([[0.8, 0]], 700)).toEqual([2]);
    expect(tracker.activeIds).toEqual([2]);
    expect(tracker.update([[0, 0], [0.8, 0]], 750)).toEqual([3, 2]);
  });

  it('lets an established person pick first, so a one-frame ghost beside them cannot take over their id', () => {
    const tracker = new PersonTracker({ maxPeople: 4, maxMatchDistance: 0.3, dropAfterMs: 1000, confirmFrames: 3 });
    for (const t of [0, 33, 66]) tracker.update([[0, 0]], t);
    expect(tracker.update([[0, -0.05], [0, -0.2]], 100)).toEqual([1, 2]);
    // The person moved down next to where the ghost was (a fall): nearer to the ghost's track, still person 1.
    expect(tracker.update([[0, -0.19]], 133)).toEqual([1]);
  });

  it('keeps one id for a person who is detected only in some frames', () => {
    const tracker = new PersonTracker({ maxPeople: 4, maxMatchDistance: 0.3, dropAfterMs: 500, confirmFrames: 3 });
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(...tracker.update(i % 3 === 0 ? [[0.01 * i, 0]] : [], i * 33));
    expect(new Set(ids)).toEqual(new Set([1]));
  });

  it('ignores people beyond maxPeople', () => {
    const tracker = new PersonTracker({ maxPeople: 1, maxMatchDistance: 0.3, dropAfterMs: 500, confirmFrames: 3 });
    expect(tracker.update([[0, 0], [0.8, 0]], 0)).toEqual([1, null]);
  });
});

describe('OneEuroFilter', () => {
  const config = { minCutoff: 1, beta: 0.5, dCutoff: 1 };

  it('follows a step with lag and then converges', () => {
    const filter = new OneEuroFilter(config);
    const out: number[] = [];
    for (let i = 0; i < 90; i++) out.push(filter.filter(i < 30 ? 0 : 1, i * (1000 / 30)));
    expect(out[29]).toBe(0);
    expect(out[30]!).toBeGreaterThan(0);
    expect(out[30]!).toBeLessThan(1);
    for (let i = 31; i < 90; i++) expect(out[i]!).toBeGreaterThanOrEqual(out[i - 1]!);
    expect(out[89]!).toBeGreaterThan(0.99);
  });

  it('reduces noise around a constant', () => {
    const filter = new OneEuroFilter(config);
    let seed = 7;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.02;
    let rawSquares = 0;
    let filteredSquares = 0;
    for (let i = 0; i < 300; i++) {
      const value = 0.5 + noise();
      const filtered = filter.filter(value, i * (1000 / 30));
      if (i >= 30) {
        rawSquares += (value - 0.5) ** 2;
        filteredSquares += (filtered - 0.5) ** 2;
      }
    }
    expect(Math.sqrt(filteredSquares)).toBeLessThan(0.5 * Math.sqrt(rawSquares));
  });

  it('rejects a bad configuration', () => {
    expect(() => new OneEuroFilter({ minCutoff: 0, beta: 0, dCutoff: 1 })).toThrow(/minCutoff must be > 0/);
  });
});

describe('WindowAssembler', () => {
  const config = (overrides: Partial<WindowConfig> = {}): WindowConfig => ({
    ...windowConfigForModel({ window: 8, stride: 4, fps: 30, persons: 1 }),
    ...overrides,
  });
  const frame = (t: number, hipXs: number[]): CanonicalFrame => ({ t, people: hipXs.map((x) => canonicalPerson(x)) });
  const step = 1000 / 30;

  it('emits a full window, then one every stride frames', () => {
    const assembler = new WindowAssembler(config());
    const emittedAt: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { windows } = assembler.push(frame(i * step, [0]));
      if (windows.length) emittedAt.push(i);
    }
    // Windows on grid ticks that are multiples of the stride once 8 ticks are buffered.
    expect(emittedAt).toEqual([8, 12, 16]);
  });

  it('resamples a 15 fps camera to the 30 fps grid by interpolation', () => {
    const assembler = new WindowAssembler(config());
    const windows = [];
    for (let i = 0; i < 10; i++) windows.push(...assembler.push(frame(i * 2 * step, [i * 0.02])).windows);
    const window = windows.at(-1)!;
    expect(window.presence).toBe(1);
    const hip = getLayout('blazepose33').torsoBottom[0]!;
    const xs = Array.from({ length: 8 }, (_, t) => window.raw.data[rawIndex(window.raw, 0, t, hip, 0)]!);
    // Hip x moves 0.01 per 30 fps tick (0.02 per camera frame): interpolated ticks lie halfway.
    for (let t = 1; t < 8; t++) expect(xs[t]! - xs[t - 1]!).toBeCloseTo(0.01, 9);
  });

  it('does not classify a window in which the person is mostly missing', () => {
    const assembler = new WindowAssembler(config({ minPresence: 0.5 }));
    const windows = [];
    for (let i = 0; i < 17; i++) windows.push(...assembler.push(frame(i * step, i % 3 === 0 ? [0] : [])).windows);
    expect(windows).toEqual([]);
    expect(assembler.stats.sparseWindows).toBeGreaterThan(0);
  });

  it('marks frames with nobody as missing (visibility 0) inside a classified window', () => {
    const assembler = new WindowAssembler(config());
    const windows = [];
    for (let i = 0; i < 9; i++) windows.push(...assembler.push(frame(i * step, i === 5 ? [] : [0])).windows);
    const window = windows.at(-1)!;
    expect(window.presence).toBe(7 / 8);
    // Tick 5 is the 5th of ticks 1..8 in the window.
    expect(window.raw.data[rawIndex(window.raw, 3, 4, 0, 0)]).toBe(0);
    expect(window.raw.data[rawIndex(window.raw, 3, 3, 0, 0)]).toBeCloseTo(0.9);
  });

  it('windows two people on the same tick with stable ids; M=2 puts the other person in slot 1', () => {
    const assembler = new WindowAssembler(config({ persons: 2 }));
    let last: ReturnType<WindowAssembler['push']> | undefined;
    for (let i = 0; i < 9; i++) last = assembler.push(frame(i * step, i % 2 ? [-0.5, 0.5] : [0.5, -0.5]));
    expect(last!.tracked.people.map((person) => person.id)).toEqual([1, 2]);
    const windows = last!.windows;
    expect(windows.map((window) => window.personId)).toEqual([1, 2]);
    const hip = getLayout('blazepose33').torsoBottom[0]!;
    const [first] = windows;
    expect(first!.raw.data[rawIndex(first!.raw, 0, 7, hip, 0)]).toBeCloseTo(0.5 + 0.05); // person 1 was first seen at x = 0.5
    expect(first!.raw.data[rawIndex(first!.raw, 0, 7, hip, 1)]).toBeCloseTo(-0.5 + 0.05);
  });

  it('ignores frames whose time does not increase and restarts after a long pause', () => {
    const assembler = new WindowAssembler(config());
    assembler.push(frame(100, [0]));
    assembler.push(frame(100, [0]));
    expect(assembler.stats.outOfOrderFrames).toBe(1);
    assembler.push(frame(100 + 60_000, [0]));
    expect(assembler.stats.restarts).toBe(1);
  });

  it('smooths poses with the One Euro filter when configured', () => {
    const assembler = new WindowAssembler(config({ oneEuro: { minCutoff: 1, beta: 0, dCutoff: 1 } }));
    assembler.push(frame(0, [0]));
    const { tracked } = assembler.push(frame(step, [0.1]));
    const hip = getLayout('blazepose33').torsoBottom[0]!;
    const x = tracked.people[0]!.canonical[hip]![0];
    expect(x).toBeGreaterThan(0.05);
    expect(x).toBeLessThan(0.05 + 0.1);
  });

  it('names the person and joint count for a pose of the wrong layout', () => {
    const assembler = new WindowAssembler(config());
    expect(() => assembler.push({ t: 0, people: [canonicalPerson(0).slice(0, 25)] })).toThrow(/person 0 has 25 joints, layout blazepose33 has 33/);
  });
});
