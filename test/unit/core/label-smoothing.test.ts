import { describe, expect, it } from 'vitest';
import { smoothLabel, validateLabelSmoothing, type SmoothedLabel } from '../../../src/overlay/label-smoothing';

const labels = ['standing', 'walking', 'falling'];
const config = { switchMargin: 0.1, switchAfterMs: 100, minProbability: 0.4 };

/** One prediction every 33 ms. */
function run(sequence: number[][], settings = config): SmoothedLabel[] {
  const states: SmoothedLabel[] = [];
  sequence.forEach((probabilities, i) => states.push(smoothLabel(states.at(-1) ?? null, probabilities, i * 33, labels, settings)));
  return states;
}

describe('label smoothing', () => {
  it('starts from the first prediction and shows the latest probabilities, unaveraged', () => {
    const [first, second] = run([[0.8, 0.1, 0.1], [0.75, 0.15, 0.1]]);
    expect(first!.label).toBe('standing');
    expect(second!.p).toBeCloseTo(0.75, 6);
  });

  it('keeps the shown label while a challenger leads by less than the margin', () => {
    const states = run([[0.6, 0.4, 0], [0.46, 0.54, 0], [0.46, 0.54, 0], [0.46, 0.54, 0], [0.46, 0.54, 0]]);
    expect(states.map((state) => state.label)).toEqual(Array(5).fill('standing'));
  });

  it('switches once the challenger has led by the margin for switchAfterMs, not before', () => {
    // walking leads from t = 33 ms; at t = 132 it has led 99 ms (kept), at t = 165 132 ms (shown).
    const states = run([[0.7, 0.3, 0], [0.2, 0.8, 0], [0.2, 0.8, 0], [0.2, 0.8, 0], [0.2, 0.8, 0], [0.2, 0.8, 0]]);
    expect(states.map((state) => state.label)).toEqual(['standing', 'standing', 'standing', 'standing', 'standing', 'walking']);
    expect(states[4]!.challenger).toEqual({ index: 1, since: 33 });
    expect(states[5]!.challenger).toBeNull();
  });

  it('restarts the hold when the lead breaks or another label takes it', () => {
    const states = run([[0.7, 0.3, 0], [0.2, 0.8, 0], [0.2, 0.8, 0], [0.5, 0.5, 0], [0.2, 0.8, 0], [0.2, 0.1, 0.7], [0.2, 0.1, 0.7]]);
    expect(states.map((state) => state.challenger?.since ?? null)).toEqual([null, 33, 33, null, 132, 165, 165]);
    expect(states.every((state) => state.label === 'standing')).toBe(true);
  });

  it('switches at once with switchAfterMs 0', () => {
    const states = run([[0.7, 0.3, 0], [0.2, 0.8, 0]], { ...config, switchAfterMs: 0 });
    expect(states[1]!.label).toBe('walking');
  });

  it('marks a low probability as uncertain', () => {
    const [state] = run([[0.35, 0.33, 0.32]]);
    expect(state!.uncertain).toBe(true);
  });

  it('restarts when the label count changes (another model)', () => {
    const first = smoothLabel(null, [1, 0, 0], 0, labels, config);
    const next = smoothLabel(first, [0, 1], 33, ['a', 'b'], config);
    expect(next.label).toBe('b');
    expect(next.p).toBe(1);
  });

  it('rejects a negative margin or hold', () => {
    expect(() => validateLabelSmoothing({ ...config, switchMargin: -1 })).toThrow(/switchMargin must be >= 0/);
    expect(() => validateLabelSmoothing({ ...config, switchAfterMs: -5 })).toThrow(/switchAfterMs must be >= 0/);
  });
});
