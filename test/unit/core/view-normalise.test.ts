import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRawWindow, rawIndex, type FeatureMode, type LayoutName, type RawWindow } from '../../../src/skeleton';
import { windowFeaturesFor } from '../../../src/skeleton/normalisations';
import { rotationOnto, viewWindowFeatures } from '../../../src/skeleton/view-normalise';

interface ArrayJson {
  shape: number[];
  data: number[];
}
const read = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8'));
const base = read('skeleton-vectors.json') as { cases: { name: string; raw: Record<LayoutName, ArrayJson> }[] };
const vectors = read('view-vectors.json') as {
  tolerance: number;
  cases: { name: string; minVisibility: number; features: { ntu25: Record<FeatureMode, ArrayJson | null> } }[];
};

function rawWindow(json: ArrayJson, layout: LayoutName): RawWindow {
  const [, frames, joints, persons] = json.shape as [number, number, number, number];
  return { layout, frames, joints, persons, data: Float64Array.from(json.data) };
}

describe('agcn-v1 matches training/view_normalise.py', () => {
  for (const testCase of vectors.cases) {
    const raw = rawWindow(base.cases.find((other) => other.name === testCase.name)!.raw.blazepose33, 'blazepose33');
    for (const features of ['joints', 'bones', 'joints+bones'] as const) {
      it(`${testCase.name} ntu25 ${features}`, () => {
        const result = viewWindowFeatures(raw, { layout: 'ntu25', features, minVisibility: testCase.minVisibility });
        const expected = testCase.features.ntu25[features];
        if (expected === null) return expect(result).toBeNull();
        expect(result!.length).toBe(expected.data.length);
        let worst = 0;
        for (let i = 0; i < result!.length; i++) worst = Math.max(worst, Math.abs(result![i]! - expected.data[i]!));
        expect(worst).toBeLessThanOrEqual(vectors.tolerance);
      });
    }
  }
  it('is what a manifest naming agcn-v1 runs', () => {
    expect(windowFeaturesFor('agcn-v1')).toBe(viewWindowFeatures);
  });
});

describe('view alignment', () => {
  it('turns a vector onto the target', () => {
    const r = rotationOnto([0.3, -1, 0.5], [0, 0, 1]);
    const turned = r.map((row) => row[0] * 0.3 - row[1] + row[2] * 0.5);
    expect(turned[0]).toBeCloseTo(0, 12);
    expect(turned[1]).toBeCloseTo(0, 12);
    expect(turned[2]).toBeCloseTo(Math.hypot(0.3, 1, 0.5), 12);
  });

  it('puts spine_mid at the origin in every frame and the first frame shoulders (left → right) on +x', () => {
    // As 2s-AGCN: the second rotation (shoulders onto +x) may tilt the spine off +z again when the two bones are
    // not perpendicular, so only the last alignment holds exactly.
    const raw = createRawWindow('ntu25', 3, 1);
    for (let t = 0; t < 3; t++) {
      for (let v = 0; v < 25; v++) {
        const position = [Math.sin(v + t), Math.cos(2 * v), 0.1 * v - 0.2 * t];
        position.forEach((value, c) => (raw.data[rawIndex(raw, c, t, v, 0)] = value));
        raw.data[rawIndex(raw, 3, t, v, 0)] = 1;
      }
    }
    const result = viewWindowFeatures(raw, { layout: 'ntu25', features: 'joints', minVisibility: 0.5 })!;
    const at = (c: number, t: number, v: number) => result[(c * 3 + t) * 25 + v]!;
    for (let t = 0; t < 3; t++) for (let c = 0; c < 3; c++) expect(at(c, t, 1)).toBeCloseTo(0, 6); // spine_mid
    expect(at(0, 0, 8) - at(0, 0, 4)).toBeGreaterThan(0); // right − left shoulder
    expect(at(1, 0, 8) - at(1, 0, 4)).toBeCloseTo(0, 6);
    expect(at(2, 0, 8) - at(2, 0, 4)).toBeCloseTo(0, 6);
  });

  it('refuses a layout without view alignment joints', () => {
    const raw = createRawWindow('blazepose33', 2, 1);
    expect(() => viewWindowFeatures(raw, { layout: 'blazepose33', features: 'joints', minVisibility: 0.5 })).toThrow(/no viewAlignment/);
  });
});
