import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  blazePose33ToNtu25,
  convertLandmarks,
  createRawWindow,
  getLayout,
  mirrorLandmarks,
  mirrorWindow,
  rawIndex,
  toCanonical,
  windowFeatures,
  type FeatureMode,
  type Landmark,
  type LayoutName,
  type RawWindow,
} from '../../../src/skeleton';

interface ArrayJson {
  shape: number[];
  data: number[];
}
interface VectorCase {
  name: string;
  image: { width: number; height: number };
  minVisibility: number;
  landmarks: ArrayJson;
  canonical: ArrayJson;
  ntu25: ArrayJson;
  raw: Record<LayoutName, ArrayJson>;
  features: Record<LayoutName, Record<FeatureMode, ArrayJson | null>>;
  mirrored: ArrayJson;
}
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/skeleton-vectors.json', import.meta.url), 'utf8')) as {
  tolerance: number;
  cases: VectorCase[];
};
const TOLERANCE = 1e-5;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** (M, T, V, 4) array → per person, per frame landmarks. */
function peopleFrames(array: ArrayJson): Landmark[][][] {
  const [persons, frames, joints] = array.shape as [number, number, number, number];
  const at = (m: number, t: number, v: number, c: number) => array.data[((m * frames + t) * joints + v) * 4 + c]!;
  return Array.from({ length: persons }, (_, m) =>
    Array.from({ length: frames }, (_, t) =>
      Array.from({ length: joints }, (_, v) => [at(m, t, v, 0), at(m, t, v, 1), at(m, t, v, 2), at(m, t, v, 3)] as Landmark),
    ),
  );
}

function rawFromJson(layout: LayoutName, array: ArrayJson): RawWindow {
  const [, frames, joints, persons] = array.shape as [number, number, number, number];
  return { layout, frames, joints, persons, data: Float64Array.from(array.data) };
}

describe('layouts', () => {
  it('reads joint names, parents and the mirror table from layouts.json', () => {
    const ntu = getLayout('ntu25');
    expect(ntu.joints).toHaveLength(25);
    expect(ntu.parents[ntu.root]).toBe(ntu.root);
    expect(ntu.parents[ntu.joints.indexOf('left_elbow')]).toBe(ntu.joints.indexOf('left_shoulder'));
    for (const name of ['ntu25', 'blazepose33'] as const) {
      const { mirror } = getLayout(name);
      expect(mirror.map((v) => mirror[v])).toEqual(mirror.map((_, v) => v));
    }
  });

  it('names the known layouts for an unknown one', () => {
    expect(() => getLayout('coco17')).toThrow(/unknown skeleton layout "coco17"; known: ntu25, blazepose33/);
  });

  it('rejects a pose with the wrong joint count', () => {
    expect(() => blazePose33ToNtu25([[0, 0, 0, 1]])).toThrow(/expected 33 landmarks/);
  });

  it('mirroring twice is the identity', () => {
    const pose = Array.from({ length: 33 }, (_, v) => [v * 0.01, v * 0.02, -v * 0.03, v / 33] as Landmark);
    expect(mirrorLandmarks(mirrorLandmarks(pose, 'blazepose33'), 'blazepose33')).toEqual(pose);
  });
});

describe('test vectors from training/skeleton.py', () => {
  for (const testCase of vectors.cases) {
    describe(testCase.name, () => {
      const { width, height } = testCase.image;
      const people = peopleFrames(testCase.landmarks);
      const canonical = people.map((frames) => frames.map((frame) => toCanonical(frame, width, height)));

      it('canonical coordinates and NTU-25 conversion', () => {
        expect(maxAbsDiff(canonical.flat(3), testCase.canonical.data)).toBeLessThanOrEqual(TOLERANCE);
        const ntu = canonical.map((frames) => frames.map(blazePose33ToNtu25));
        expect(maxAbsDiff(ntu.flat(3), testCase.ntu25.data)).toBeLessThanOrEqual(TOLERANCE);
      });

      for (const layoutOut of ['ntu25', 'blazepose33'] as const) {
        for (const mode of ['joints', 'bones', 'joints+bones'] as const) {
          it(`features ${layoutOut} ${mode}`, () => {
            const raw = rawFromJson('blazepose33', testCase.raw.blazepose33);
            const features = windowFeatures(raw, { layout: layoutOut, features: mode, minVisibility: testCase.minVisibility });
            const expected = testCase.features[layoutOut][mode];
            if (expected === null) expect(features).toBeNull();
            else expect(maxAbsDiff(features!, expected.data)).toBeLessThanOrEqual(TOLERANCE);
          });
        }
      }

      it('mirror', () => {
        const mirrored = mirrorWindow(rawFromJson('ntu25', testCase.raw.ntu25));
        expect(maxAbsDiff(mirrored.data, testCase.mirrored.data)).toBeLessThanOrEqual(TOLERANCE);
      });
    });
  }
});

describe('torso-v1 properties', () => {
  const frames = 8;
  function walkingWindow(offset: [number, number, number], scale: number): RawWindow {
    const raw = createRawWindow('ntu25', frames, 1);
    for (let t = 0; t < frames; t++) {
      for (let v = 0; v < 25; v++) {
        const base = [Math.sin(v) * 0.2 + t * 0.01, Math.cos(v * 1.3) * 0.4, Math.sin(v * 0.7) * 0.1];
        for (let c = 0; c < 3; c++) raw.data[rawIndex(raw, c, t, v, 0)] = base[c]! * scale + offset[c]!;
        raw.data[rawIndex(raw, 3, t, v, 0)] = 1;
      }
    }
    return raw;
  }
  const spec = { layout: 'ntu25', features: 'joints+bones', minVisibility: 0.5 } as const;

  it('is invariant to translation and scale', () => {
    const reference = windowFeatures(walkingWindow([0, 0, 0], 1), spec)!;
    const moved = windowFeatures(walkingWindow([0.3, -0.2, 1.5], 2.5), spec)!;
    expect(maxAbsDiff(reference, moved)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('interpolates a joint hidden in the middle frames', () => {
    const raw = walkingWindow([0, 0, 0], 1);
    const elbow = 5;
    for (const t of [3, 4]) raw.data[rawIndex(raw, 3, t, elbow, 0)] = 0.1;
    const expected = windowFeatures(walkingWindow([0, 0, 0], 1), { ...spec, features: 'joints' })!;
    // The hidden samples were on a straight line in time (x moves linearly), so interpolation restores them.
    for (let c = 0; c < 3; c++) raw.data[rawIndex(raw, c, 3, elbow, 0)] = 99;
    const filled = windowFeatures(raw, { ...spec, features: 'joints' })!;
    expect(maxAbsDiff(filled, expected)).toBeLessThanOrEqual(1e-3);
  });

  it('does not classify a window without a visible torso bottom', () => {
    const raw = walkingWindow([0, 0, 0], 1);
    for (let t = 0; t < frames; t++) raw.data[rawIndex(raw, 3, t, getLayout('ntu25').torsoBottom[0]!, 0)] = 0;
    expect(windowFeatures(raw, spec)).toBeNull();
  });

  it('converts between layouts only where layouts.json has a mapping', () => {
    const ntuPose = Array.from({ length: 25 }, () => [0, 0, 0, 1] as Landmark);
    expect(() => convertLandmarks(ntuPose, 'ntu25', 'blazepose33')).toThrow(/no mapping from layout "ntu25" to "blazepose33"/);
  });
});
