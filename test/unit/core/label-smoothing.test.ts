import { describe, expect, it } from 'vitest';
import { smoothLabel, validateLabelSmoothing, type SmoothedLabel } from '../../../src/overlay/label-smoothing';

const labels = ['standing', 'walking', 'falling'];
const config = { alpha: 0.5, switchMargin: 0.1, minProbability: 0.4 };

function run(sequence: number[][]): SmoothedLabel[] {
  const states: SmoothedLabel[] = [];
  for (const probabilities of sequence) states.push(smoothLabel(states.at(-1) ?? null, probabilities, labels, config));
  return states;
}

describe('label smoothing', () => {
  it('starts from the first prediction and averages with weight alpha', () => {
    const [first, second] = run([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1]]);
    expect(first!.label).toBe('standing');
    expect(Array.from(second!.probabilities)).toEqual([0.5, 0.4, 0.1].map(Math.fround));
  });

  it('keeps the shown label while a challenger leads by less than the margin', () => {
    const states = run([[0.6, 0.4, 0], [0.4, 0.6, 0], [0.45, 0.55, 0], [0.2, 0.8, 0]]);
    // Smoothed standing 0.6 → 0.5 → 0.475 → 0.3375, walking 0.4 → 0.5 → 0.525 → 0.6625: walking leads by
    // 0.05 at the third step (kept) and by 0.325 at the fourth (switch).
    expect(states.map((state) => state.label)).toEqual(['standing', 'standing', 'standing', 'walking']);
  });

  it('marks a low smoothed probability as uncertain', () => {
    const [state] = run([[0.35, 0.33, 0.32]]);
    expect(state!.uncertain).toBe(true);
  });

  it('restarts when the label count changes (another model)', () => {
    const first = smoothLabel(null, [1, 0, 0], labels, config);
    const next = smoothLabel(first, [0, 1], ['a', 'b'], config);
    expect(next.label).toBe('b');
    expect(next.p).toBe(1);
  });

  it('rejects alpha outside (0, 1]', () => {
    expect(() => validateLabelSmoothing({ ...config, alpha: 0 })).toThrow(/alpha must be in \(0, 1\]/);
  });
});
