/**
 * The synthetic person of the TypeScript synthesiser: a body configuration (pelvis position and height, trunk
 * angles, limb angles), its 33 BlazePose landmarks in world metres (y up, floor at y = 0), and the step type
 * scripts are made of.
 */

/** Body configuration. Lengths in metres for a 1.70 m person (scaled by the person's stature), angles in degrees. */
export interface BodyPose {
  /** Pelvis position on the floor plane (x right of the camera axis, z away from the camera). */
  x: number;
  z: number;
  /** Pelvis (hip centre) height above the floor. */
  hipY: number;
  /** Facing direction: 0 faces the camera, 90 faces image right. */
  yaw: number;
  /** Torso lean forward (+) / backward (−); 90 is face down. */
  pitch: number;
  /** Torso lean to the body's left (+) / right (−). */
  roll: number;
  /** Thigh flexion forward relative to the torso, left and right. */
  hipFlex: [number, number];
  /** Knee flexion (shin bends back). */
  knee: [number, number];
  /** Upper arm raised forward relative to the torso. */
  armFlex: [number, number];
  elbow: [number, number];
}

export const REFERENCE_STATURE = 1.7;
export const STANDING_HIP = 0.9;
/** Pelvis to shoulder line, metres for the reference stature (the torso MediaPipe's noise is measured in). */
export const TORSO_LENGTH = 0.5;

export function standingPose(x = 0, z = 3.5, yaw = 0): BodyPose {
  return {
    x, z, hipY: STANDING_HIP, yaw, pitch: 0, roll: 0,
    hipFlex: [0, 0], knee: [0, 0], armFlex: [5, 5], elbow: [10, 10],
  };
}

/** Standing where the pose is, facing the same way. */
export const upright = (from: BodyPose): BodyPose => ({ ...standingPose(from.x, from.z, from.yaw) });

export type Ease = 'linear' | 'in' | 'inOut';

export interface Segment {
  ms: number;
  to: BodyPose;
  ease: Ease;
  /** Overlay a gait cycle (walking) while moving. */
  gait?: boolean;
  /** Nobody in view during this segment. */
  absent?: boolean;
}

/** A step of a script: builds its segment from the pose where the previous one ended. */
export type Step = (from: BodyPose) => Segment;

export type Vec3 = [number, number, number];
export const deg = Math.PI / 180;
export const add = (a: Vec3, ...terms: Array<[number, Vec3]>): Vec3 =>
  terms.reduce<Vec3>((p, [s, v]) => [p[0] + s * v[0], p[1] + s * v[1], p[2] + s * v[2]], [...a] as Vec3);
export const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

const forwardOf = (yaw: number): [number, number] => [Math.sin(yaw * deg), -Math.cos(yaw * deg)];
const leftOf = (yaw: number): [number, number] => [Math.cos(yaw * deg), Math.sin(yaw * deg)];

/** Moves the pelvis along the body's forward (and left) direction. */
export function moved(pose: BodyPose, forward: number, left = 0): Pick<BodyPose, 'x' | 'z'> {
  const [fx, fz] = forwardOf(pose.yaw);
  const [lx, lz] = leftOf(pose.yaw);
  return { x: pose.x + forward * fx + left * lx, z: pose.z + forward * fz + left * lz };
}

export function mix(a: BodyPose, b: BodyPose, w: number): BodyPose {
  const lerp = (p: number, q: number) => p + (q - p) * w;
  const pair = (p: [number, number], q: [number, number]): [number, number] => [lerp(p[0], q[0]), lerp(p[1], q[1])];
  return {
    x: lerp(a.x, b.x), z: lerp(a.z, b.z), hipY: lerp(a.hipY, b.hipY), yaw: lerp(a.yaw, b.yaw),
    pitch: lerp(a.pitch, b.pitch), roll: lerp(a.roll, b.roll), hipFlex: pair(a.hipFlex, b.hipFlex),
    knee: pair(a.knee, b.knee), armFlex: pair(a.armFlex, b.armFlex), elbow: pair(a.elbow, b.elbow),
  };
}

/** A gait cycle on top of an upright pose: legs and arms swing, the pelvis bobs. */
export function withGait(pose: BodyPose, distance: number): BodyPose {
  const phase = (2 * Math.PI * distance) / 1.3;
  const swing = Math.sin(phase);
  return {
    ...pose,
    hipY: pose.hipY - 0.02 * Math.abs(Math.cos(phase)),
    hipFlex: [25 * swing, -25 * swing],
    knee: [10 + 25 * Math.max(0, -swing), 10 + 25 * Math.max(0, swing)],
    armFlex: [-20 * swing, 20 * swing],
  };
}

/** World positions (m) of the 33 BlazePose landmarks for a pose. */
export function bodyLandmarks(pose: BodyPose, stature = REFERENCE_STATURE): Vec3[] {
  const k = stature / REFERENCE_STATURE;
  const [fx, fz] = forwardOf(pose.yaw);
  const [lx, lz] = leftOf(pose.yaw);
  let up: Vec3 = [0, 1, 0];
  let fwd: Vec3 = [fx, 0, fz];
  let left: Vec3 = [lx, 0, lz];
  const p = pose.pitch * deg;
  [up, fwd] = [add([0, 0, 0], [Math.cos(p), up], [Math.sin(p), fwd]), add([0, 0, 0], [Math.cos(p), fwd], [-Math.sin(p), up])];
  const r = pose.roll * deg;
  [up, left] = [add([0, 0, 0], [Math.cos(r), up], [Math.sin(r), left]), add([0, 0, 0], [Math.cos(r), left], [-Math.sin(r), up])];
  const pelvis: Vec3 = [pose.x, pose.hipY * k, pose.z];
  const at = (u: number, f: number, l: number): Vec3 => add(pelvis, [u * k, up], [f * k, fwd], [l * k, left]);
  const dir = (angle: number): Vec3 => add([0, 0, 0], [-Math.cos(angle * deg), up], [Math.sin(angle * deg), fwd]);

  const points: Vec3[] = new Array(33);
  const face: Array<[number, number, number, number]> = [
    [0, 0.7, 0.1, 0], [1, 0.73, 0.09, 0.015], [2, 0.73, 0.085, 0.03], [3, 0.73, 0.08, 0.045],
    [4, 0.73, 0.09, -0.015], [5, 0.73, 0.085, -0.03], [6, 0.73, 0.08, -0.045],
    [7, 0.71, 0, 0.075], [8, 0.71, 0, -0.075], [9, 0.66, 0.09, 0.025], [10, 0.66, 0.09, -0.025],
  ];
  for (const [index, u, f, l] of face) points[index] = at(u, f, l);

  for (const side of [0, 1] as const) {
    const outward = side === 0 ? 1 : -1;
    // Arms: shoulder 11/12, elbow 13/14, wrist 15/16, pinky 17/18, index 19/20, thumb 21/22.
    const shoulder = at(TORSO_LENGTH, 0, 0.19 * outward);
    const upper = add(dir(pose.armFlex[side]), [0.12 * outward, left]);
    const elbow = add(shoulder, [0.29 * k, upper]);
    const fore = add(dir(pose.armFlex[side] + pose.elbow[side]), [0.05 * outward, left]);
    const wrist = add(elbow, [0.26 * k, fore]);
    points[11 + side] = shoulder;
    points[13 + side] = elbow;
    points[15 + side] = wrist;
    points[17 + side] = add(wrist, [0.08 * k, fore], [0.03 * k * outward, left]);
    points[19 + side] = add(wrist, [0.09 * k, fore], [-0.01 * k * outward, left]);
    points[21 + side] = add(wrist, [0.05 * k, fore], [-0.03 * k * outward, left], [0.02 * k, fwd]);
    // Legs: hip 23/24, knee 25/26, ankle 27/28, heel 29/30, foot index 31/32.
    const hip = at(0, 0, 0.09 * outward);
    const thighAngle = pose.hipFlex[side];
    const shinAngle = thighAngle - pose.knee[side];
    const knee = add(hip, [0.42 * k, dir(thighAngle)]);
    const ankle = add(knee, [0.41 * k, dir(shinAngle)]);
    const foot = add([0, 0, 0], [Math.sin(shinAngle * deg), up], [Math.cos(shinAngle * deg), fwd]);
    points[23 + side] = hip;
    points[25 + side] = knee;
    points[27 + side] = ankle;
    points[29 + side] = add(ankle, [-0.06 * k, foot], [0.04 * k, dir(shinAngle)]);
    points[31 + side] = add(ankle, [0.16 * k, foot], [0.04 * k, dir(shinAngle)]);
  }
  return points;
}
