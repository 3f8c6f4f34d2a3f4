import { getLayout, type Landmark } from '../skeleton';
import type { MonitoringConfig } from '../settings/config';

/** One BlazePose-33 joint in canonical coordinates (docs/skeleton.md, toCanonical): y up, units of image height. */
export type CanonicalJoint = Readonly<Landmark>;

const blazepose = getLayout('blazepose33');
const jointIndex = (name: string): number => {
  const index = blazepose.joints.indexOf(name);
  if (index < 0) throw new Error(`layouts.json: blazepose33 has no joint "${name}"`);
  return index;
};
const TORSO_TOP = blazepose.torsoTop;
const TORSO_BOTTOM = blazepose.torsoBottom;
const ANKLES = [jointIndex('left_ankle'), jointIndex('right_ankle')];
const LEGS = [
  [jointIndex('left_hip'), jointIndex('left_knee'), jointIndex('left_ankle')],
  [jointIndex('right_hip'), jointIndex('right_knee'), jointIndex('right_ankle')],
] as const;
/** Face landmarks: the highest visible one stands in for the top of the head. */
const FACE = blazepose.joints.flatMap((name, index) => (/^(nose|.*eye.*|.*ear|mouth.*)$/.test(name) ? [index] : []));
/** Joints whose displacement measures whole-body motion (hands and feet flail; the trunk does not). */
const TRUNK = [...TORSO_TOP, ...TORSO_BOTTOM, jointIndex('nose')];

export interface BodyMeasures {
  /** Centre of the torso bottom (hips). */
  hip: { x: number; y: number } | null;
  /** Torso axis angle from vertical in the image plane, degrees: 0 upright, 90 horizontal, 180 head down. */
  torsoAngle: number | null;
  /** Shoulder-centre to hip-centre distance in the image (short when the torso points at or away from the camera). */
  torsoLength: number | null;
  /** Highest visible face landmark (y). */
  headY: number | null;
  /** Shoulder centre (y). */
  shoulderY: number | null;
  /** Mean y of the visible ankles. */
  ankleY: number | null;
  /** Vertical hip-to-ankle extent over leg length (1 = straight legs standing; sitting or kneeling is lower). */
  legStraightness: number | null;
  /** Mean position of the visible trunk joints, for motion. */
  trunk: { x: number; y: number } | null;
}

function centre(joints: readonly CanonicalJoint[], indices: readonly number[], minVisibility: number) {
  let x = 0;
  let y = 0;
  let n = 0;
  for (const index of indices) {
    const joint = joints[index];
    if (!joint || joint[3] < minVisibility) continue;
    x += joint[0];
    y += joint[1];
    n += 1;
  }
  return n === 0 ? null : { x: x / n, y: y / n };
}

export function measureBody(joints: readonly CanonicalJoint[], minVisibility: number): BodyMeasures {
  const hip = centre(joints, TORSO_BOTTOM, minVisibility);
  const shoulders = centre(joints, TORSO_TOP, minVisibility);
  const torsoAngle =
    hip && shoulders ? (Math.atan2(Math.abs(shoulders.x - hip.x), shoulders.y - hip.y) * 180) / Math.PI : null;
  let headY: number | null = null;
  for (const index of FACE) {
    const joint = joints[index];
    if (joint && joint[3] >= minVisibility && (headY === null || joint[1] > headY)) headY = joint[1];
  }
  const ankles = centre(joints, ANKLES, minVisibility);
  const ratios: number[] = [];
  for (const [h, k, a] of LEGS) {
    const [hipJ, kneeJ, ankleJ] = [joints[h], joints[k], joints[a]];
    if (!hipJ || !kneeJ || !ankleJ || Math.min(hipJ[3], kneeJ[3], ankleJ[3]) < minVisibility) continue;
    const length = Math.hypot(hipJ[0] - kneeJ[0], hipJ[1] - kneeJ[1]) + Math.hypot(kneeJ[0] - ankleJ[0], kneeJ[1] - ankleJ[1]);
    if (length > 1e-6) ratios.push((hipJ[1] - ankleJ[1]) / length);
  }
  return {
    hip,
    torsoAngle,
    torsoLength: hip && shoulders ? Math.hypot(shoulders.x - hip.x, shoulders.y - hip.y) : null,
    headY,
    shoulderY: shoulders ? shoulders.y : null,
    ankleY: ankles ? ankles.y : null,
    legStraightness: ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : null,
    trunk: centre(joints, TRUNK, minVisibility),
  };
}

/** A person's floor line, stature and torso length, learnt while they stand upright; the unit of fall thresholds. */
export interface StandingReference {
  floorY: number;
  stature: number;
  torsoLength: number;
  /** Hip height when standing, in statures (≈0.54; the camera's perspective shifts it). */
  hipHeight: number;
}

/** Legs this straight and vertical mean standing or walking, not sitting, kneeling or squatting. */
const STANDING_LEG_STRAIGHTNESS = 0.8;
/**
 * Standing body proportions, face to ankles = 1: hips at 0.54, shoulders at 0.86 above the ankles. Used only when the
 * feet or the face are out of view (camera close, high or low) to place the floor line or the top of the body.
 */
const STANDING_HIP_FRACTION = 0.54;
const STANDING_SHOULDER_FRACTION = 0.86;

/**
 * Exponential average of floor line (ankles), stature (face to ankles) and torso length over upright frames. Walking
 * towards the camera changes them, so it keeps learning while the person is up; the caller stops feeding it when
 * they are not. With the feet out of view (camera close or high) it estimates the floor from body proportions.
 */
export class StandingReferenceTracker {
  private floorY = 0;
  private stature = 0;
  private torsoLength = 0;
  private hipHeight = 0;
  private frames = 0;

  constructor(private readonly settings: MonitoringConfig['fall']['reference']) {}

  update(body: BodyMeasures): void {
    if (body.torsoAngle === null || body.torsoLength === null || body.shoulderY === null || !body.hip) return;
    if (body.torsoAngle > this.settings.uprightMaxAngle) return;
    let floorY: number;
    let stature: number;
    if (body.ankleY !== null) {
      if (body.legStraightness === null || body.legStraightness < STANDING_LEG_STRAIGHTNESS) return;
      floorY = body.ankleY;
      stature = body.headY !== null ? body.headY - floorY : (body.shoulderY - floorY) / STANDING_SHOULDER_FRACTION;
    } else {
      // Hips to shoulders spans 0.32 of the stature: scale it up to place the floor.
      stature = (body.shoulderY - body.hip.y) / (STANDING_SHOULDER_FRACTION - STANDING_HIP_FRACTION);
      floorY = body.hip.y - stature * STANDING_HIP_FRACTION;
    }
    if (!(stature > 0)) return;
    const alpha = this.frames === 0 ? 1 : this.settings.smoothing;
    this.floorY += alpha * (floorY - this.floorY);
    this.stature += alpha * (stature - this.stature);
    this.torsoLength += alpha * (body.torsoLength - this.torsoLength);
    this.hipHeight += alpha * ((body.hip.y - floorY) / stature - this.hipHeight);
    this.frames += 1;
  }

  get current(): StandingReference | null {
    return this.frames >= this.settings.minFrames
      ? { floorY: this.floorY, stature: this.stature, torsoLength: this.torsoLength, hipHeight: this.hipHeight }
      : null;
  }
}

/** Torso length over the standing one: ≈1 upright, small when the torso lies along the camera's line of sight. */
export function torsoRatio(body: BodyMeasures, reference: StandingReference): number | null {
  return body.torsoLength !== null && reference.torsoLength > 1e-6 ? body.torsoLength / reference.torsoLength : null;
}

/** Hip centre height above the floor line, in statures (≈0.54 standing, ≈0.3 on a chair, <0.1 lying). */
export function hipHeight(body: BodyMeasures, reference: StandingReference): number | null {
  return body.hip ? (body.hip.y - reference.floorY) / reference.stature : null;
}

/** Linear ramp from 0 at `low` to 1 at `high` (works for high < low too). */
export function ramp(value: number, low: number, high: number): number {
  return Math.min(1, Math.max(0, (value - low) / (high - low)));
}
