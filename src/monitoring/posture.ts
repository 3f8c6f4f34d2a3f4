import { getLayout, type Landmark } from '../skeleton';
import type { CanonicalJoint } from './body';

const blazepose = getLayout('blazepose33');
const index = (name: string): number => {
  const found = blazepose.joints.indexOf(name);
  if (found < 0) throw new Error(`layouts.json: blazepose33 has no joint "${name}"`);
  return found;
};
const SHOULDERS = blazepose.torsoTop;
const HIPS = blazepose.torsoBottom;
const ANKLES = [index('left_ankle'), index('right_ankle')];
const KNEES = [index('left_knee'), index('right_knee')];
/** Joints whose image and world positions fix the image scale: the trunk and the big limb joints. */
const SCALE_JOINTS = [...SHOULDERS, ...HIPS, ...KNEES, ...ANKLES, index('nose'), index('left_elbow'), index('right_elbow')];

/**
 * One frame of a person as the fall detector sees it, independent of any standing reference: MediaPipe's world
 * landmarks give the body's 3-D orientation (a torso lying along the line of sight is foreshortened in the image
 * but not in the world frame) and a metric scale for the image (how many image heights one metre spans at the
 * person's distance), so speeds and drops are in metres whatever the camera.
 */
export interface PostureSample {
  t: number;
  /** Torso (hip centre → shoulder centre) angle from up, degrees: 0 upright, 90 horizontal, 180 head down. */
  tilt: number;
  /** Hip → ankle angle from straight down, degrees (null: ankles not visible). Small while standing or bending. */
  legTilt: number | null;
  /** Angle between torso and thighs at the hips, degrees (null: knees not visible): ~180 stretched, ~90 sitting,
   * small when folded over the thighs (picking something up from a chair, kneeling bent forward). */
  hipAngle: number | null;
  /** Image heights per metre at the person's distance (null: not enough joints seen in both frames). */
  scale: number | null;
  /** Image height (canonical y, up) of the shoulder centre and the hip centre. */
  shoulderY: number;
  hipY: number;
  /** Trunk centre (shoulders and hips) in canonical image coordinates, for stillness. */
  trunk: { x: number; y: number };
}

function mean(points: ReadonlyArray<Readonly<Landmark>>, indices: readonly number[], minVisibility: number): [number, number, number] | null {
  let x = 0;
  let y = 0;
  let z = 0;
  let n = 0;
  for (const i of indices) {
    const point = points[i];
    if (!point || point[3] < minVisibility) continue;
    x += point[0];
    y += point[1];
    z += point[2];
    n += 1;
  }
  return n === 0 ? null : [x / n, y / n, z / n];
}

/** Angle (degrees) between a 3-D vector and a unit direction. */
function angleTo(vector: readonly number[], direction: readonly number[]): number {
  const length = Math.hypot(vector[0]!, vector[1]!, vector[2]!);
  if (length < 1e-9) return 0;
  const cos = (vector[0]! * direction[0]! + vector[1]! * direction[1]! + vector[2]! * direction[2]!) / length;
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

/** Least-squares scale between the image (canonical, image heights) and world (metres) x-y spreads of the joints. */
function imageScale(joints: readonly CanonicalJoint[], world: readonly Landmark[], minVisibility: number): number | null {
  const used = SCALE_JOINTS.filter((i) => (joints[i]?.[3] ?? 0) >= minVisibility && world[i]);
  if (used.length < 5) return null;
  const centre = (pick: (i: number) => number) => used.reduce((sum, i) => sum + pick(i), 0) / used.length;
  const [ix, iy] = [centre((i) => joints[i]![0]), centre((i) => joints[i]![1])];
  // World y points down, canonical y up: flip it so both spreads point the same way.
  const [wx, wy] = [centre((i) => world[i]![0]), centre((i) => -world[i]![1])];
  let dot = 0;
  let norm = 0;
  for (const i of used) {
    const [ax, ay] = [joints[i]![0] - ix, joints[i]![1] - iy];
    const [bx, by] = [world[i]![0] - wx, -world[i]![1] - wy];
    dot += ax * bx + ay * by;
    norm += bx * bx + by * by;
  }
  return norm > 1e-6 && dot > 0 ? dot / norm : null;
}

/** Torso this far from up and legs this far from down at once: an inverted (glitched) skeleton. */
const INVERTED_ANGLE = 120;
/** Torso this far from up (shoulders within 30° of straight under the hips): a head-down glitch, whatever the legs. */
const HEAD_DOWN_ANGLE = 150;

/**
 * Upside-down frames, which MediaPipe returns for a frame or a few when someone bends, turns or is badly lit (GMDCSA24
 * at night: the torso reported head-down at 160–175° while the person walks). Nobody falls into a headstand or lies
 * head-down, so such a frame is no evidence of anything: counting it as lying made a walk look like a 0.9 m drop.
 */
function upsideDown(tilt: number, legTilt: number | null): boolean {
  return tilt > HEAD_DOWN_ANGLE || (tilt > INVERTED_ANGLE && legTilt !== null && legTilt > INVERTED_ANGLE);
}

/** MediaPipe world frame: camera axes, y down. Up is −y until a camera's own up is known. */
export const CAMERA_UP: readonly number[] = [0, -1, 0];

/**
 * The posture of one frame, or null when the torso is not seen (shoulders or hips below `minVisibility`) or the
 * frame is upside down (a glitch): such a frame tells nothing about a fall. `world` may be missing (a source
 * without world landmarks): the torso angle then comes from the image alone and there is no metric scale.
 */
export function measurePosture(
  t: number,
  joints: readonly CanonicalJoint[],
  world: readonly Landmark[] | null,
  minVisibility: number,
): PostureSample | null {
  const shoulders = mean(joints, SHOULDERS, minVisibility);
  const hips = mean(joints, HIPS, minVisibility);
  if (!shoulders || !hips) return null;
  const trunk = mean(joints, [...SHOULDERS, ...HIPS], minVisibility)!;
  const usableWorld = world && world.length === joints.length && world.some((point) => point[0] !== 0 || point[1] !== 0) ? world : null;
  let tilt: number;
  let legTilt: number | null = null;
  let hipAngle: number | null = null;
  const ankles = mean(joints, ANKLES, minVisibility);
  const knees = mean(joints, KNEES, minVisibility);
  if (usableWorld) {
    const worldShoulders = mean(usableWorld, SHOULDERS, -Infinity)!;
    const worldHips = mean(usableWorld, HIPS, -Infinity)!;
    const torso = [worldShoulders[0] - worldHips[0], worldShoulders[1] - worldHips[1], worldShoulders[2] - worldHips[2]];
    tilt = angleTo(torso, CAMERA_UP);
    if (knees) {
      const worldKnees = mean(usableWorld, KNEES, -Infinity)!;
      const thigh = [worldKnees[0] - worldHips[0], worldKnees[1] - worldHips[1], worldKnees[2] - worldHips[2]];
      const length = Math.hypot(thigh[0]!, thigh[1]!, thigh[2]!);
      if (length > 1e-6) hipAngle = angleTo(torso, thigh.map((v) => v / length));
    }
    if (ankles) {
      const worldAnkles = mean(usableWorld, ANKLES, -Infinity)!;
      const down = CAMERA_UP.map((v) => -v);
      legTilt = angleTo([worldAnkles[0] - worldHips[0], worldAnkles[1] - worldHips[1], worldAnkles[2] - worldHips[2]], down);
    }
  } else {
    // Canonical image coordinates have y up.
    tilt = angleTo([shoulders[0] - hips[0], shoulders[1] - hips[1], 0], [0, 1, 0]);
    if (ankles) legTilt = angleTo([ankles[0] - hips[0], ankles[1] - hips[1], 0], [0, -1, 0]);
    if (knees) {
      const length = Math.hypot(knees[0] - hips[0], knees[1] - hips[1]);
      if (length > 1e-6) hipAngle = angleTo([shoulders[0] - hips[0], shoulders[1] - hips[1], 0], [(knees[0] - hips[0]) / length, (knees[1] - hips[1]) / length, 0]);
    }
  }
  if (upsideDown(tilt, legTilt)) return null;
  return {
    t,
    tilt,
    legTilt,
    hipAngle,
    scale: usableWorld ? imageScale(joints, usableWorld, minVisibility) : null,
    shoulderY: shoulders[1],
    hipY: hips[1],
    trunk: { x: trunk[0], y: trunk[1] },
  };
}
