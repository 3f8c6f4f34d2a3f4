/**
 * Synthetic BlazePose-33 motion for fall tests and the demonstration evaluation set: a jointed 3-D body animated by
 * keyframed steps (stand, walk, fall, lie, get up, sit, bend, …) and projected by a pinhole camera into MediaPipe's
 * image landmarks (x, y ∈ [0,1], y down, z relative depth, visibility), with landmark jitter.
 * It shows the detector's logic on clean, plausible motion; it is not evidence about real people or real cameras.
 */
import type { Landmark, PoseFrame } from '../skeleton';

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

export interface SceneOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** Camera height above the floor (m) and downward tilt (degrees). */
  cameraHeight?: number;
  cameraTilt?: number;
  verticalFovDeg?: number;
  /** Person's stature (m). */
  stature?: number;
  /** Landmark jitter, standard deviation in pixels. */
  noisePx?: number;
  seed?: number;
  /** Time of the first frame, ms. */
  startMs?: number;
}


const REFERENCE_STATURE = 1.7;
const STANDING_HIP = 0.9;

export function standingPose(x = 0, z = 3.5, yaw = 0): BodyPose {
  return {
    x, z, hipY: STANDING_HIP, yaw, pitch: 0, roll: 0,
    hipFlex: [0, 0], knee: [0, 0], armFlex: [5, 5], elbow: [10, 10],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

const deg = Math.PI / 180;
const forwardOf = (yaw: number): [number, number] => [Math.sin(yaw * deg), -Math.cos(yaw * deg)];
const leftOf = (yaw: number): [number, number] => [Math.cos(yaw * deg), Math.sin(yaw * deg)];

/** Moves the pelvis along the body's forward (and left) direction. */
function moved(pose: BodyPose, forward: number, left = 0): Pick<BodyPose, 'x' | 'z'> {
  const [fx, fz] = forwardOf(pose.yaw);
  const [lx, lz] = leftOf(pose.yaw);
  return { x: pose.x + forward * fx + left * lx, z: pose.z + forward * fz + left * lz };
}

const upright = (from: BodyPose): BodyPose => ({ ...standingPose(from.x, from.z, from.yaw) });

export const steps = {
  hold: (ms: number): Step => (from) => ({ ms, to: from, ease: 'linear' }),
  stand: (ms: number): Step => (from) => ({ ms, to: upright(from), ease: 'inOut' }),
  absent: (ms: number): Step => (from) => ({ ms, to: from, ease: 'linear', absent: true }),
  turn: (yaw: number, ms = 400): Step => (from) => ({ ms, to: { ...from, yaw }, ease: 'inOut' }),
  walkTo: (x: number, z: number, speed = 1.0): Step => (from) => {
    const distance = Math.hypot(x - from.x, z - from.z);
    return { ms: (distance / speed) * 1000, to: { ...upright(from), x, z }, ease: 'linear', gait: true };
  },
  /** Fall forward: knees buckle, then face down, arms reaching out. */
  fallForward: (speed = 1): Step[] => [
    (from) => ({ ms: 300 / speed, to: { ...from, pitch: 25, hipY: 0.8, hipFlex: [15, 15], knee: [35, 35], armFlex: [60, 60] }, ease: 'inOut' }),
    (from) => ({
      ms: 550 / speed,
      to: { ...from, ...moved(from, 0.8), pitch: 90, hipY: 0.12, hipFlex: [0, 5], knee: [10, 20], armFlex: [150, 160], elbow: [30, 30] },
      ease: 'in',
    }),
  ],
  /** Fall backward: sits down hard, then the back hits the floor. */
  fallBackward: (speed = 1): Step[] => [
    (from) => ({ ms: 380 / speed, to: { ...from, ...moved(from, -0.2), pitch: -10, hipY: 0.5, hipFlex: [55, 50], knee: [70, 65], armFlex: [40, 50] }, ease: 'in' }),
    (from) => ({
      ms: 420 / speed,
      to: { ...from, ...moved(from, -0.5), pitch: -85, hipY: 0.12, hipFlex: [35, 30], knee: [30, 25], armFlex: [120, 110], elbow: [20, 20] },
      ease: 'in',
    }),
  ],
  /** Fall to the side (side: +1 to the body's left, −1 to its right). */
  fallSideways: (side: 1 | -1 = 1, speed = 1): Step[] => [
    (from) => ({ ms: 300 / speed, to: { ...from, roll: 15 * side, hipY: 0.78, knee: [30, 30], hipFlex: [10, 10], armFlex: [40, 40] }, ease: 'inOut' }),
    (from) => ({
      ms: 550 / speed,
      to: { ...from, ...moved(from, 0, 0.7 * side), roll: 88 * side, hipY: 0.14, hipFlex: [20, 10], knee: [30, 20], armFlex: [90, 30] },
      ease: 'in',
    }),
  ],
  /** Collapse straight down (e.g. fainting): knees fold, then the body tips to the side. */
  collapse: (speed = 1): Step[] => [
    (from) => ({ ms: 500 / speed, to: { ...from, hipY: 0.35, pitch: 20, hipFlex: [100, 100], knee: [130, 130], armFlex: [10, 10] }, ease: 'in' }),
    (from) => ({ ms: 500 / speed, to: { ...from, ...moved(from, 0, 0.5), roll: 80, pitch: 10, hipY: 0.13, hipFlex: [60, 60], knee: [60, 60] }, ease: 'in' }),
  ],
  /** Lying with breathing: the chest rises and falls a little. */
  lie: (ms: number): Step => (from) => ({ ms, to: { ...from, armFlex: [from.armFlex[0] + 3, from.armFlex[1] - 3] }, ease: 'inOut' }),
  /** Trips, catches themself and stands again. */
  nearFall: (): Step[] => [
    (from) => ({ ms: 320, to: { ...from, ...moved(from, 0.35), pitch: 35, hipY: 0.78, hipFlex: [45, 5], knee: [40, 20], armFlex: [90, 80] }, ease: 'in' }),
    (from) => ({ ms: 700, to: upright(from), ease: 'inOut' }),
  ],
  /** Sits down on a seat of the given height (m) taking `ms`. */
  sitDown: (ms: number, seatHeight = 0.45): Step[] => [
    (from) => ({ ms, to: { ...from, ...moved(from, -0.15), hipY: seatHeight + 0.07, pitch: 12, hipFlex: [95, 95], knee: [90, 90], armFlex: [30, 30], elbow: [60, 60] }, ease: 'in' }),
    (from) => ({ ms: 300, to: { ...from, pitch: 3 }, ease: 'inOut' }),
  ],
  standUp: (ms = 1500): Step[] => [
    (from) => ({ ms: ms * 0.4, to: { ...from, pitch: 35 }, ease: 'inOut' }),
    (from) => ({ ms: ms * 0.6, to: { ...upright(from), ...moved(from, 0.15) }, ease: 'inOut' }),
  ],
  /** Bends at the waist with nearly straight legs (picking something up), holds, straightens. */
  bend: (holdMs = 2000): Step[] => [
    (from) => ({ ms: 900, to: { ...from, ...moved(from, -0.1), hipY: 0.85, pitch: 85, hipFlex: [75, 75], knee: [15, 15], armFlex: [85, 85] }, ease: 'inOut' }),
    steps.hold(holdMs),
    (from) => ({ ms: 900, to: upright(from), ease: 'inOut' }),
  ],
  /** Gets down to the floor on purpose: kneel, hands and knees, lie face down. */
  lieDownSlowly: (speed = 1): Step[] => [
    (from) => ({ ms: 2000 / speed, to: { ...from, hipY: 0.49, hipFlex: [0, 0], knee: [90, 90], pitch: 5 }, ease: 'inOut' }),
    (from) => ({ ms: 1500 / speed, to: { ...from, pitch: 80, hipFlex: [80, 80], armFlex: [80, 80], elbow: [0, 0] }, ease: 'inOut' }),
    (from) => ({
      ms: 2500 / speed,
      to: { ...from, ...moved(from, 0.45), hipY: 0.12, pitch: 90, hipFlex: [0, 0], knee: [5, 5], armFlex: [150, 150], elbow: [60, 60] },
      ease: 'inOut',
    }),
  ],
  /** From lying (any side) back to standing: roll face down, hands and knees, kneel, stand. */
  getUp: (speed = 1): Step[] => [
    (from) => ({ ms: 900 / speed, to: { ...from, roll: 0, pitch: 90, hipY: 0.14, hipFlex: [0, 0], knee: [10, 10] }, ease: 'inOut' }),
    (from) => ({ ms: 1500 / speed, to: { ...from, ...moved(from, -0.3), pitch: 80, hipY: 0.49, hipFlex: [80, 80], knee: [90, 90], armFlex: [80, 80], elbow: [0, 0] }, ease: 'inOut' }),
    (from) => ({ ms: 1200 / speed, to: { ...from, pitch: 5, hipFlex: [0, 0], armFlex: [10, 10] }, ease: 'inOut' }),
    (from) => ({ ms: 1400 / speed, to: upright(from), ease: 'inOut' }),
  ],
};


// ---------------------------------------------------------------------------------------------------------------
// Animation and projection

function eased(ease: Ease, u: number): number {
  if (ease === 'in') return u * u;
  if (ease === 'inOut') return 0.5 - 0.5 * Math.cos(Math.PI * u);
  return u;
}

function mix(a: BodyPose, b: BodyPose, w: number): BodyPose {
  const lerp = (p: number, q: number) => p + (q - p) * w;
  const pair = (p: [number, number], q: [number, number]): [number, number] => [lerp(p[0], q[0]), lerp(p[1], q[1])];
  return {
    x: lerp(a.x, b.x), z: lerp(a.z, b.z), hipY: lerp(a.hipY, b.hipY), yaw: lerp(a.yaw, b.yaw),
    pitch: lerp(a.pitch, b.pitch), roll: lerp(a.roll, b.roll), hipFlex: pair(a.hipFlex, b.hipFlex),
    knee: pair(a.knee, b.knee), armFlex: pair(a.armFlex, b.armFlex), elbow: pair(a.elbow, b.elbow),
  };
}

/** A gait cycle on top of an upright pose: legs and arms swing, the pelvis bobs. */
function withGait(pose: BodyPose, distance: number): BodyPose {
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

type Vec3 = [number, number, number];
const add = (a: Vec3, ...terms: Array<[number, Vec3]>): Vec3 =>
  terms.reduce<Vec3>((p, [s, v]) => [p[0] + s * v[0], p[1] + s * v[1], p[2] + s * v[2]], [...a] as Vec3);

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
    const shoulder = at(0.5, 0, 0.19 * outward);
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

/** Small deterministic PRNG (mulberry32) so every generated clip is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Runs a script from a start pose and renders MediaPipe-style frames at the scene's frame rate. */
export function renderScript(start: BodyPose, script: ReadonlyArray<Step | Step[]>, scene: SceneOptions = {}): PoseFrame[] {
  const width = scene.width ?? 640;
  const height = scene.height ?? 480;
  const fps = scene.fps ?? 30;
  const cameraHeight = scene.cameraHeight ?? 1.2;
  const tilt = (scene.cameraTilt ?? 8) * deg;
  const focal = height / 2 / Math.tan(((scene.verticalFovDeg ?? 60) * deg) / 2);
  const noise = scene.noisePx ?? 1.5;
  const random = seededRandom(scene.seed ?? 1);
  const startMs = scene.startMs ?? 0;

  const segments: Segment[] = [];
  let pose = start;
  for (const step of script.flat()) {
    const segment = step(pose);
    segments.push(segment);
    pose = segment.to;
  }
  const totalMs = segments.reduce((sum, segment) => sum + segment.ms, 0);
  const camUp: Vec3 = [0, Math.cos(tilt), Math.sin(tilt)];
  const camFwd: Vec3 = [0, -Math.sin(tilt), Math.cos(tilt)];
  const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

  const frames: PoseFrame[] = [];
  let segmentIndex = 0;
  let segmentStart = 0;
  let from = start;
  for (let i = 0; i * 1000 <= totalMs * fps + 1e-6; i += 1) {
    const t = (i * 1000) / fps;
    while (segmentIndex < segments.length - 1 && t > segmentStart + segments[segmentIndex]!.ms) {
      segmentStart += segments[segmentIndex]!.ms;
      from = segments[segmentIndex]!.to;
      segmentIndex += 1;
    }
    const segment = segments[segmentIndex]!;
    const u = segment.ms > 0 ? Math.min(1, (t - segmentStart) / segment.ms) : 1;
    let current = mix(from, segment.to, eased(segment.ease, u));
    if (segment.gait) current = withGait(current, Math.hypot(current.x - from.x, current.z - from.z));
    const frame: PoseFrame = { t: Math.round(startMs + t), width, height, people: [] };
    if (!segment.absent) {
      const world = bodyLandmarks(current, scene.stature);
      const relative = (point: Vec3): Vec3 => [point[0], point[1] - cameraHeight, point[2]];
      const hipDepth = dot(relative(add(world[23]!, [1, world[24]!])).map((v) => v / 2) as Vec3, camFwd);
      const landmarks = world.map((point): Landmark => {
        const p = relative(point);
        const depth = Math.max(0.1, dot(p, camFwd));
        const px = width / 2 + (focal * p[0]) / depth + noise * gaussian(random);
        const py = height / 2 - (focal * dot(p, camUp)) / depth + noise * gaussian(random);
        const inside = px >= 0 && px < width && py >= 0 && py < height;
        return [px / width, py / height, ((depth - hipDepth) * focal) / hipDepth / width, inside ? 0.97 : 0.05];
      });
      // MediaPipe world landmarks: metres around the hip centre, y down.
      const hip = add(world[23]!, [1, world[24]!]).map((v) => v / 2);
      const worldLandmarks = world.map((point): Landmark => [point[0] - hip[0]!, hip[1]! - point[1], point[2] - hip[2]!, 0.97]);
      frame.people.push({ landmarks, world: worldLandmarks });
    }
    frames.push(frame);
  }
  return frames;
}
