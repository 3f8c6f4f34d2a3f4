import { describe, expect, it } from 'vitest';
import { parseRecording } from '../../../src/recording/format';
import type { Landmark, PoseFrame } from '../../../src/skeleton/types';
import { SkeletonRecorder } from '../../../src/ui/recorder';

const pose = (x: number): Landmark[] => Array.from({ length: 33 }, (_, i) => [x, i / 33, -0.1, 0.9] as Landmark);
const frame = (t: number, people: number): PoseFrame => ({
  t,
  width: 1280,
  height: 720,
  people: Array.from({ length: people }, () => ({ landmarks: pose(0.5), world: pose(0) })),
});

describe('SkeletonRecorder', () => {
  it('writes a valid recording of the frames it was given, times from the first frame', async () => {
    const recorder = new SkeletonRecorder('camera HD');
    expect(recorder.toFile()).toBeNull();
    recorder.append(frame(5000, 1));
    recorder.append(frame(5033.3, 0));
    recorder.append(frame(5066.7, 2));
    expect(recorder.frames).toBe(3);
    const file = recorder.toFile()!;
    expect(file.name).toMatch(/^skeleton-.*\.jsonl$/);
    const { header, frames } = parseRecording(await file.text());
    expect(header).toMatchObject({ format: 'skeleton-recording', layout: 'blazepose33', width: 1280, height: 720, source: 'camera HD' });
    expect(frames.map((f) => f.t)).toEqual([0, 33.3, 66.7]);
    expect(frames.map((f) => f.people.length)).toEqual([1, 0, 2]);
    expect(frames[0]!.people[0]!.landmarks[3]).toEqual([0.5, 3 / 33, -0.1, 0.9].map((v) => Math.round(v * 1e6) / 1e6));
  });
});
