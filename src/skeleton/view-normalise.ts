/**
 * `agcn-v1`: the 2s-AGCN view normalisation the ST-TR and ST-BLN papers train on (docs/skeleton.md, "View
 * normalisation"). Twin of training/view_normalise.py; both are checked against test/fixtures/view-vectors.json.
 * Every slot is gap-filled as in torso-v1; the first present slot's centre joint is subtracted from everyone, frame by
 * frame; its `up` bone of the first frame is turned onto +z, then its `across` bone onto +x; no scaling.
 */
import { rawFrame, writeFrameFeatures } from './frame-normalise';
import { getLayout, getMapping } from './layout';
import { FEATURE_CHANNELS, fillGaps, type FeatureSpec, type RawWindow } from './normalise';

type Vector = [number, number, number];
type Matrix = [Vector, Vector, Vector];
// Below these a bone or an angle is degenerate and its rotation is skipped (2s-AGCN's rotation_matrix).
const MIN_NORM = 1e-6;
const MIN_ANGLE = 1e-6;
const IDENTITY: Matrix = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

const cross = (a: Vector, b: Vector): Vector => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: Vector, b: Vector) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a: Vector) => Math.sqrt(dot(a, a));
const apply = (r: Matrix, a: Vector): Vector => [dot(r[0], a), dot(r[1], a), dot(r[2], a)];
const multiply = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j]! + row[1] * b[1][j]! + row[2] * b[2][j]!)) as Matrix;

/** Rotation about vector × target by the angle between them (Rodrigues), turning `vector` onto `target`. */
export function rotationOnto(vector: Vector, target: Vector): Matrix {
  const axis = cross(vector, target);
  const norms = norm(vector) * norm(target);
  if (norms < MIN_NORM || norm(axis) < MIN_NORM) return IDENTITY;
  const angle = Math.acos(Math.min(1, Math.max(-1, dot(vector, target) / norms)));
  if (angle < MIN_ANGLE) return IDENTITY;
  const [x, y, z] = axis.map((value) => value / norm(axis)) as Vector;
  const k: Matrix = [[0, -z, y], [z, 0, -x], [-y, x, 0]];
  const k2 = multiply(k, k);
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => IDENTITY[i]![j]! + Math.sin(angle) * k[i]![j]! + (1 - Math.cos(angle)) * k2[i]![j]!)) as Matrix;
}

/** Raw window → float32 (C, T, V, M) under agcn-v1; null when no slot has a visible torso bottom. */
export function viewWindowFeatures(raw: RawWindow, spec: FeatureSpec): Float32Array | null {
  const layout = getLayout(spec.layout);
  const alignment = layout.viewAlignment;
  if (!alignment) throw new Error(`layout "${spec.layout}" has no viewAlignment in src/skeleton/layouts.json: agcn-v1 needs one`);
  const mapping = getMapping(raw.layout, spec.layout);
  const { frames, persons } = raw;
  const joints = layout.joints.length;
  const frameIn = new Float64Array(raw.joints * 4);
  const filled: (Float64Array | null)[] = [];
  for (let m = 0; m < persons; m++) {
    const person = new Float64Array(frames * joints * 4);
    for (let t = 0; t < frames; t++) rawFrame(raw, mapping, t, m, frameIn, person.subarray(t * joints * 4, (t + 1) * joints * 4));
    filled.push(fillGaps(person, frames, layout, spec.minVisibility));
  }
  const main = filled.find((xyz) => xyz !== null);
  if (!main) return null;
  const joint = (xyz: Float64Array, t: number, v: number): Vector => [xyz[(t * joints + v) * 3]!, xyz[(t * joints + v) * 3 + 1]!, xyz[(t * joints + v) * 3 + 2]!];
  const bone = ([from, to]: readonly [number, number]): Vector => {
    const [a, b] = [joint(main, 0, from), joint(main, 0, to)];
    return [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  };
  const up = rotationOnto(bone(alignment.up), [0, 0, 1]);
  const rotation = multiply(rotationOnto(apply(up, bone(alignment.across)), [1, 0, 0]), up);

  const result = new Float32Array(FEATURE_CHANNELS[spec.features] * frames * joints * persons);
  const plane = frames * joints * persons;
  const aligned = new Float64Array(joints * 3);
  filled.forEach((xyz, m) => {
    if (!xyz) return;
    for (let t = 0; t < frames; t++) {
      const centre = joint(main, t, alignment.centre);
      for (let v = 0; v < joints; v++) {
        const [x, y, z] = joint(xyz, t, v);
        aligned.set(apply(rotation, [x - centre[0], y - centre[1], z - centre[2]]), v * 3);
      }
      writeFrameFeatures(aligned, spec, (c, v, value) => (result[c * plane + (t * joints + v) * persons + m] = value));
    }
  });
  return result;
}
