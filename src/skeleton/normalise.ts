/**
 * `torso-v1` window normalisation and feature tensors (docs/skeleton.md, "Window normalisation").
 * Twin of training/skeleton.py; both are checked against test/fixtures/skeleton-vectors.json.
 */
import { convertJoints, getLayout, getMapping, type Layout, type LayoutName } from './layout';

export type FeatureMode = 'joints' | 'bones' | 'joints+bones';
export const FEATURE_CHANNELS: Readonly<Record<FeatureMode, number>> = { joints: 3, bones: 3, 'joints+bones': 6 };

export function isFeatureMode(value: unknown): value is FeatureMode {
  return typeof value === 'string' && Object.hasOwn(FEATURE_CHANNELS, value);
}

// Below this mean torso length the window is degenerate; dividing would blow it up (docs step 3).
const MIN_TORSO_LENGTH = 1e-6;

/**
 * A raw window: canonical [x, y, z, visibility] of T frames, V joints of `layout`, M person slots, stored
 * row-major as (4, T, V, M) like the Python side. A missing frame or absent slot has visibility 0.
 */
export interface RawWindow {
  layout: LayoutName;
  frames: number;
  joints: number;
  persons: number;
  data: Float64Array;
}

export function rawIndex(raw: Pick<RawWindow, 'frames' | 'joints' | 'persons'>, c: number, t: number, v: number, m: number) {
  return ((c * raw.frames + t) * raw.joints + v) * raw.persons + m;
}

export function createRawWindow(layout: LayoutName, frames: number, persons: number): RawWindow {
  const joints = getLayout(layout).joints.length;
  return { layout, frames, joints, persons, data: new Float64Array(4 * frames * joints * persons) };
}

export interface FeatureSpec {
  layout: LayoutName;
  features: FeatureMode;
  minVisibility: number;
}

/** Mean of the given joints of one frame of a (T, V, 3) array. */
function jointsCentre(xyz: Float64Array, joints: number, t: number, indices: readonly number[]): [number, number, number] {
  const centre: [number, number, number] = [0, 0, 0];
  for (const joint of indices) {
    for (let c = 0; c < 3; c++) centre[c]! += xyz[(t * joints + joint) * 3 + c]!;
  }
  return centre.map((value) => value / indices.length) as [number, number, number];
}

/**
 * Step 1 (gap filling) for one person: (T, V, 4) canonical → (T, V, 3) gap-free xyz, or null when no frame
 * has a visible torso bottom. Order of the rules as in training/skeleton.py `fill_gaps`.
 */
export function fillGaps(person: Float64Array, frames: number, layout: Layout, minVisibility: number): Float64Array | null {
  const joints = layout.joints.length;
  const visible = (t: number, v: number) => person[(t * joints + v) * 4 + 3]! >= minVisibility;
  const bottomVisible: boolean[] = [];
  for (let t = 0; t < frames; t++) bottomVisible.push(layout.torsoBottom.every((v) => visible(t, v)));
  if (!bottomVisible.includes(true)) return null;

  const xyz = new Float64Array(frames * joints * 3);
  const neverVisible: number[] = [];
  for (let v = 0; v < joints; v++) {
    const seen: number[] = [];
    for (let t = 0; t < frames; t++) if (visible(t, v)) seen.push(t);
    if (seen.length === 0) {
      neverVisible.push(v);
      continue;
    }
    // Linear interpolation between the nearest visible frames, held constant beyond the first / last one.
    let next = 0; // index in `seen` of the first visible frame at or after t (or the last one)
    for (let t = 0; t < frames; t++) {
      while (next < seen.length - 1 && seen[next]! < t) next++;
      const after = seen[next]!;
      const before = after <= t ? after : seen[Math.max(next - 1, 0)]!;
      const weight = after === before ? 0 : (t - before) / (after - before);
      for (let c = 0; c < 3; c++) {
        const a = person[(before * joints + v) * 4 + c]!;
        const b = person[(after * joints + v) * 4 + c]!;
        xyz[(t * joints + v) * 3 + c] = a + weight * (b - a);
      }
    }
  }
  if (neverVisible.length > 0) {
    for (let t = 0; t < frames; t++) {
      const bottom = jointsCentre(xyz, joints, t, layout.torsoBottom);
      for (const v of neverVisible) xyz.set(bottom, (t * joints + v) * 3);
    }
    const good = bottomVisible.flatMap((ok, t) => (ok ? [t] : []));
    for (let t = 0; t < frames; t++) {
      if (bottomVisible[t]) continue;
      // Nearest frame with a visible torso bottom; the earlier one on a tie.
      let nearest = good[0]!;
      for (const candidate of good) if (Math.abs(candidate - t) < Math.abs(nearest - t)) nearest = candidate;
      xyz.copyWithin(t * joints * 3, nearest * joints * 3, (nearest + 1) * joints * 3);
    }
  }
  return xyz;
}

/** Steps 2–3: origin at the window's mean torso bottom, unit mean torso length (in place). */
function normaliseInPlace(xyz: Float64Array, frames: number, layout: Layout): void {
  const joints = layout.joints.length;
  const origin = [0, 0, 0];
  let torsoLength = 0;
  for (let t = 0; t < frames; t++) {
    const bottom = jointsCentre(xyz, joints, t, layout.torsoBottom);
    const top = jointsCentre(xyz, joints, t, layout.torsoTop);
    for (let c = 0; c < 3; c++) origin[c]! += bottom[c]! / frames;
    torsoLength += Math.hypot(top[0] - bottom[0], top[1] - bottom[1], top[2] - bottom[2]) / frames;
  }
  const scale = torsoLength >= MIN_TORSO_LENGTH ? torsoLength : 1;
  for (let i = 0; i < xyz.length; i++) xyz[i] = (xyz[i]! - origin[i % 3]!) / scale;
}

/**
 * Raw window (any layout with a mapping to `spec.layout`) → float32 feature tensor (C, T, V, M), the model input
 * without its batch axis of 1 (same memory layout). Person slots are normalised independently; a slot with no
 * visible torso bottom stays zero. Returns null when that holds for every slot: the window is not classified.
 */
export function windowFeatures(raw: RawWindow, spec: FeatureSpec): Float32Array | null {
  const layout = getLayout(spec.layout);
  const mapping = getMapping(raw.layout, spec.layout);
  const { frames, persons } = raw;
  const jointsOut = layout.joints.length;
  const channels = FEATURE_CHANNELS[spec.features];
  const result = new Float32Array(channels * frames * jointsOut * persons);
  const frameIn = new Float64Array(raw.joints * 4);
  const person = new Float64Array(frames * jointsOut * 4);
  let classified = false;
  for (let m = 0; m < persons; m++) {
    for (let t = 0; t < frames; t++) {
      for (let v = 0; v < raw.joints; v++) {
        for (let c = 0; c < 4; c++) frameIn[v * 4 + c] = raw.data[rawIndex(raw, c, t, v, m)]!;
      }
      convertJoints(frameIn, mapping, person.subarray(t * jointsOut * 4, (t + 1) * jointsOut * 4));
    }
    const xyz = fillGaps(person, frames, layout, spec.minVisibility);
    if (!xyz) continue;
    classified = true;
    normaliseInPlace(xyz, frames, layout);
    const plane = frames * jointsOut * persons; // one channel of the (C, T, V, M) result
    const boneOffset = spec.features === 'joints+bones' ? 3 * plane : 0;
    for (let t = 0; t < frames; t++) {
      for (let v = 0; v < jointsOut; v++) {
        const parent = layout.parents[v]!;
        const at = (t * jointsOut + v) * persons + m;
        for (let c = 0; c < 3; c++) {
          const joint = xyz[(t * jointsOut + v) * 3 + c]!;
          if (spec.features !== 'bones') result[c * plane + at] = joint;
          if (spec.features !== 'joints') result[boneOffset + c * plane + at] = joint - xyz[(t * jointsOut + parent) * 3 + c]!;
        }
      }
    }
  }
  return classified ? result : null;
}

/** Left/right mirror of a raw window: joints swapped by the layout's mirror table, x negated. */
export function mirrorWindow(raw: RawWindow): RawWindow {
  const { mirror } = getLayout(raw.layout);
  const out: RawWindow = { ...raw, data: new Float64Array(raw.data.length) };
  for (let c = 0; c < 4; c++) {
    for (let t = 0; t < raw.frames; t++) {
      for (let v = 0; v < raw.joints; v++) {
        for (let m = 0; m < raw.persons; m++) {
          const value = raw.data[rawIndex(raw, c, t, mirror[v]!, m)]!;
          out.data[rawIndex(raw, c, t, v, m)] = c === 0 ? -value : value;
        }
      }
    }
  }
  return out;
}
