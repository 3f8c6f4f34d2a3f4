import { describe, expect, it } from 'vitest';
import { mergeSpans, type FrameLabel } from '../../../cli/label-spans';

const frames = (personId: number, labels: string, start = 0, stepMs = 33): FrameLabel[] =>
  [...labels].map((code, i) => ({ personId, t: start + i * stepMs, label: code === 'w' ? 'walking' : 'standing', p: code === 'w' ? 0.8 : 0.6 }));

describe('mergeSpans', () => {
  it('merges runs of the same label per person, with frame counts and mean probability', () => {
    const spans = mergeSpans(frames(1, 'sssww'), 100);
    expect(spans).toEqual([
      { personId: 1, label: 'standing', tStart: 0, tEnd: 66, frames: 3, meanP: expect.closeTo(0.6, 9) },
      { personId: 1, label: 'walking', tStart: 99, tEnd: 132, frames: 2, meanP: expect.closeTo(0.8, 9) },
    ]);
  });

  it('keeps people apart even when their frames interleave, ordered by start time', () => {
    const one = frames(1, 'ssss');
    const two = frames(2, 'wwss', 10);
    const interleaved = one.flatMap((frame, i) => [frame, two[i]!]);
    expect(mergeSpans(interleaved, 100).map((span) => `${span.personId}:${span.label}:${span.frames}`)).toEqual(['1:standing:4', '2:walking:2', '2:standing:2']);
  });

  it('ends a run at a gap longer than maxGapMs even when the label stays', () => {
    const labels = [...frames(1, 'ss'), ...frames(1, 'ss', 1000)];
    expect(mergeSpans(labels, 100).map((span) => [span.tStart, span.tEnd])).toEqual([[0, 33], [1000, 1033]]);
  });

  it('gives nothing for no labels', () => {
    expect(mergeSpans([], 100)).toEqual([]);
  });
});
