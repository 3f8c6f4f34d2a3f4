import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrameNormaliser, frameWindowFeatures } from '../../../src/skeleton/frame-normalise';
import { windowFeaturesFor } from '../../../src/skeleton/normalisations';
import { windowFeatures, type FeatureMode, type LayoutName, type RawWindow } from '../../../src/skeleton';

interface ArrayJson {
  shape: number[];
  data: number[];
}
const read = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8'));
const base = read('skeleton-vectors.json') as { cases: { name: string; raw: Record<LayoutName, ArrayJson> }[] };
const vectors = read('frame-vectors.json') as {
  cases: { name: string; minVisibility: number; features: Record<LayoutName, Record<FeatureMode, ArrayJson | null>> }[];
};
const TOLERANCE = 1e-5;

function rawWindow(json: ArrayJson, layout: LayoutName): RawWindow {
  const [, frames, joints, persons] = json.shape as [number, number, number, number];
  return { layout, frames, joints, persons, data: Float64Array.from(json.data) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('torso-frame-v1 matches training/skeleton_frames.py', () => {
  for (const testCase of vectors.cases) {
    const raw = rawWindow(base.cases.find((other) => other.name === testCase.name)!.raw.blazepose33, 'blazepose33');
    for (const layout of ['ntu25', 'blazepose33'] as const) {
      for (const features of ['joints', 'bones', 'joints+bones'] as const) {
        it(`${testCase.name} ${layout} ${features}`, () => {
          const result = frameWindowFeatures(raw, { layout, features, minVisibility: testCase.minVisibility });
          const expected = testCase.features[layout][features];
          if (expected === null) expect(result).toBeNull();
          else expect(maxAbsDiff(result!, expected.data)).toBeLessThanOrEqual(TOLERANCE);
        });
      }
    }
  }
});

describe('FrameNormaliser', () => {
  const spec = { layout: 'ntu25', features: 'joints', minVisibility: 0.5 } as const;
  const standing = (shift: number, visibility = 1) =>
    Array.from({ length: 25 }, (_, v) => [0.1 * (v % 5) + shift, 0.1 * v, 0, visibility]).flat();

  it('centres and scales each frame on its own torso, so moving the person changes nothing', () => {
    const a = new FrameNormaliser(spec).push(standing(0)).xyz;
    const b = new FrameNormaliser(spec).push(standing(3.5)).xyz;
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-12);
  });

  it('repeats the previous frame when the torso bottom is hidden, and is zeros before it was ever seen', () => {
    const normaliser = new FrameNormaliser(spec);
    const hidden = normaliser.push(standing(0, 0));
    expect(hidden.ownBottom).toBe(false);
    expect(normaliser.started).toBe(false);
    expect(Math.max(...hidden.xyz.map(Math.abs))).toBe(0);
    const seen = normaliser.push(standing(0)).xyz;
    const again = normaliser.push(standing(1, 0));
    expect(again.ownBottom).toBe(false);
    expect([...again.xyz]).toEqual([...seen]);
  });

  it('is what the windowed models get for a torso-frame-v1 manifest, and torso-v1 stays the window normalisation', () => {
    expect(windowFeaturesFor('torso-frame-v1')).toBe(frameWindowFeatures);
    expect(windowFeaturesFor('torso-v1')).toBe(windowFeatures);
  });
});
