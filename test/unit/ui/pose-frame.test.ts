import { describe, expect, it } from 'vitest';
import { checkTaskBundle, nextVideoTimestamp, toPoseFrame, type LandmarkerPoint } from '../../../src/pose/pose-frame';

const person = (offset: number, count = 33): LandmarkerPoint[] =>
  Array.from({ length: count }, (_, i) => ({ x: offset + i / 100, y: 0.5, z: -0.1, visibility: 0.9 }));

describe('toPoseFrame', () => {
  it('turns each detected person into [x, y, z, visibility] landmark rows', () => {
    const frame = toPoseFrame({ landmarks: [person(0.1), person(0.5)], worldLandmarks: [person(0), person(1)] }, 1234, 640, 480);
    expect(frame).toMatchObject({ t: 1234, width: 640, height: 480 });
    expect(frame.people).toHaveLength(2);
    expect(frame.people[1]!.landmarks[2]).toEqual([0.52, 0.5, -0.1, 0.9]);
    expect(frame.people[0]!.world[0]).toEqual([0, 0.5, -0.1, 0.9]);
  });

  it('gives a missing visibility 0 and drops a person without all 33 landmarks', () => {
    const partial = person(0, 17);
    const noVisibility = person(0).map(({ x, y, z }) => ({ x, y, z }));
    const frame = toPoseFrame({ landmarks: [partial, noVisibility], worldLandmarks: [partial, noVisibility] }, 0, 1, 1);
    expect(frame.people).toHaveLength(1);
    expect(frame.people[0]!.landmarks[0]![3]).toBe(0);
  });

  it('is an empty frame when nobody is detected', () => {
    expect(toPoseFrame({ landmarks: [], worldLandmarks: [] }, 5, 640, 480).people).toEqual([]);
  });
});

describe('nextVideoTimestamp', () => {
  it('keeps increasing capture times and nudges repeated or earlier ones past the last', () => {
    expect(nextVideoTimestamp(100, 50)).toBe(100);
    expect(nextVideoTimestamp(100, 100)).toBe(101);
    expect(nextVideoTimestamp(20, 100)).toBe(101);
    expect(nextVideoTimestamp(0, -Infinity)).toBe(0);
  });
});

describe('checkTaskBundle', () => {
  const endRecord = (prefix: number[]) => new Uint8Array([...prefix, 0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);

  it('accepts a zip archive, also one with bytes before its first entry (the official full bundle)', () => {
    expect(() => checkTaskBundle(endRecord([0x50, 0x4b, 0x03, 0x04]), 'a.task')).not.toThrow();
    expect(() => checkTaskBundle(endRecord([0, 0, 0x50, 0x4b, 0x03, 0x04]), 'full.task')).not.toThrow();
  });

  it('names the file when it is not a zip archive', () => {
    expect(() => checkTaskBundle(new TextEncoder().encode('<html>404</html>'), '/mediapipe/x.task')).toThrow(
      /\/mediapipe\/x\.task is not a MediaPipe \.task bundle/,
    );
    // A truncated download keeps its leading "PK" but loses the end record.
    expect(() => checkTaskBundle(new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array(40).fill(1)]), 't.task')).toThrow(/not a MediaPipe/);
  });
});
