/**
 * `torso-frame-v1` per-frame (causal) normalisation for streaming models (docs/skeleton.md, "Frame
 * normalisation"): a frame is normalised from itself and earlier frames only, so its features never change when
 * later frames arrive. Twin of training/skeleton_frames.py; both are checked against test/fixtures/frame-vectors.json.
 */
import { convertJoints, getLayout, getMapping, type Layout, type LayoutMapping } from './layout';
import { FEATURE_CHANNELS, rawIndex, type FeatureSpec, type RawWindow } from './normalise';

const MIN_TORSO_LENGTH = 1e-6;

/** One person's running state: the last visible position of every joint and the last normalised frame. */
export class FrameNormaliser {
  private readonly layout: Layout;
  private readonly held: Float64Array;
  private readonly seen: boolean[];
  private previous: Float64Array | null = null;

  constructor(private readonly spec: FeatureSpec) {
    this.layout = getLayout(spec.layout);
    this.held = new Float64Array(this.layout.joints.length * 3);
    this.seen = this.layout.joints.map(() => false);
  }

  /** True once some frame had a visible torso bottom (before that every frame is zeros). */
  get started(): boolean {
    return this.previous !== null;
  }

  /**
   * One frame (V × [x, y, z, visibility] in spec.layout) → normalised xyz (V × 3), and whether this frame's own
   * torso bottom was visible (else it repeats the previous frame, or is zeros before the first such frame).
   */
  push(frame: ArrayLike<number>): { xyz: Float64Array; ownBottom: boolean } {
    const { joints, torsoBottom, torsoTop } = this.layout;
    const visible = (v: number) => frame[v * 4 + 3]! >= this.spec.minVisibility;
    for (let v = 0; v < joints.length; v++) {
      if (!visible(v)) continue;
      this.seen[v] = true;
      for (let c = 0; c < 3; c++) this.held[v * 3 + c] = frame[v * 4 + c]!;
    }
    if (!torsoBottom.every(visible)) return { xyz: this.previous ?? new Float64Array(joints.length * 3), ownBottom: false };
    const bottom = centre(torsoBottom, (v, c) => frame[v * 4 + c]!);
    const xyz = new Float64Array(joints.length * 3);
    for (let v = 0; v < joints.length; v++) {
      for (let c = 0; c < 3; c++) xyz[v * 3 + c] = this.seen[v] ? this.held[v * 3 + c]! : bottom[c]!;
    }
    const top = centre(torsoTop, (v, c) => xyz[v * 3 + c]!);
    const length = Math.hypot(top[0]! - bottom[0]!, top[1]! - bottom[1]!, top[2]! - bottom[2]!);
    const scale = length >= MIN_TORSO_LENGTH ? length : 1;
    for (let i = 0; i < xyz.length; i++) xyz[i] = (xyz[i]! - bottom[i % 3]!) / scale;
    this.previous = xyz;
    return { xyz, ownBottom: true };
  }
}

function centre(indices: readonly number[], value: (v: number, c: number) => number): number[] {
  return [0, 1, 2].map((c) => indices.reduce((sum, v) => sum + value(v, c), 0) / indices.length);
}

/** Writes the features of normalised xyz (V × 3) as `write(channel, joint, value)` (joints, bones or both). */
export function writeFrameFeatures(xyz: Float64Array, spec: FeatureSpec, write: (c: number, v: number, value: number) => void): void {
  const { parents } = getLayout(spec.layout);
  const boneOffset = spec.features === 'joints+bones' ? 3 : 0;
  for (let v = 0; v < parents.length; v++) {
    for (let c = 0; c < 3; c++) {
      const joint = xyz[v * 3 + c]!;
      if (spec.features !== 'bones') write(c, v, joint);
      if (spec.features !== 'joints') write(boneOffset + c, v, joint - xyz[parents[v]! * 3 + c]!);
    }
  }
}

/** Frame t of slot m of a raw window, converted to the spec's layout (V × 4). */
export function rawFrame(raw: RawWindow, mapping: LayoutMapping, t: number, m: number, frameIn: Float64Array, out: Float64Array): Float64Array {
  for (let v = 0; v < raw.joints; v++) {
    for (let c = 0; c < 4; c++) frameIn[v * 4 + c] = raw.data[rawIndex(raw, c, t, v, m)]!;
  }
  return convertJoints(frameIn, mapping, out);
}

/** Raw window → float32 (C, T, V, M) under torso-frame-v1, each slot from a fresh state; null when no slot ever shows its torso bottom. */
export function frameWindowFeatures(raw: RawWindow, spec: FeatureSpec): Float32Array | null {
  const layout = getLayout(spec.layout);
  const mapping = getMapping(raw.layout, spec.layout);
  const { frames, persons } = raw;
  const joints = layout.joints.length;
  const result = new Float32Array(FEATURE_CHANNELS[spec.features] * frames * joints * persons);
  const plane = frames * joints * persons;
  const frameIn = new Float64Array(raw.joints * 4);
  const frame = new Float64Array(joints * 4);
  let classified = false;
  for (let m = 0; m < persons; m++) {
    const normaliser = new FrameNormaliser(spec);
    for (let t = 0; t < frames; t++) {
      const { xyz } = normaliser.push(rawFrame(raw, mapping, t, m, frameIn, frame));
      writeFrameFeatures(xyz, spec, (c, v, value) => (result[c * plane + (t * joints + v) * persons + m] = value));
    }
    classified ||= normaliser.started; // a slot that never started wrote zeros only
  }
  return classified ? result : null;
}
