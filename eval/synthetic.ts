/**
 * Synthetic BlazePose-33 motion for fall tests and the evaluation set: a jointed 3-D body (synthetic-body.ts)
 * animated by keyframed steps (synthetic-steps.ts, synthetic-falls.ts) and projected by a pinhole camera into
 * MediaPipe's image landmarks (x, y ∈ [0,1], y down, z relative depth, visibility) and world landmarks (metres
 * from the hips, camera axes).
 * Two renderings: clean (Gaussian pixel jitter, every landmark in the image visible: the detector's logic on
 * plausible motion) and `mediapipe: true` (MediaPipe's measured imperfections, synthetic-mediapipe.ts: per-part
 * jitter, visibility, detection gaps, swaps, upside-down flips). Neither is evidence about real people.
 */
import type { Landmark, PoseFrame } from '../src/skeleton';
import { add, bodyLandmarks, deg, dot, mix, REFERENCE_STATURE, TORSO_LENGTH, withGait, type BodyPose, type Segment, type Step, type Vec3 } from './synthetic-body';
import { MediaPipeSimulator } from './synthetic-mediapipe';

export { standingPose, type BodyPose, type Ease, type Segment, type Step } from './synthetic-body';
export { steps } from './synthetic-steps';

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
  /** Clean rendering: landmark jitter, standard deviation in pixels. */
  noisePx?: number;
  /** MediaPipe's measured imperfections instead of the clean rendering (src/skeleton/mediapipe-behaviour.json). */
  mediapipe?: boolean;
  seed?: number;
  /** Time of the first frame, ms. */
  startMs?: number;
  /** Leave out the frames before this time of the script (ms): a recording that starts part-way through. */
  skipMs?: number;
}

const HIPS = [23, 24];
const TORSO = [11, 12, 23, 24];
const FACE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

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

function eased(ease: Segment['ease'], u: number): number {
  if (ease === 'in') return u * u;
  if (ease === 'inOut') return 0.5 - 0.5 * Math.cos(Math.PI * u);
  return u;
}

/** Pinhole camera at (0, height, 0) looking along +z, tilted down. */
function camera(scene: SceneOptions) {
  const width = scene.width ?? 640;
  const height = scene.height ?? 480;
  const tilt = (scene.cameraTilt ?? 8) * deg;
  const focal = height / 2 / Math.tan(((scene.verticalFovDeg ?? 60) * deg) / 2);
  const up: Vec3 = [0, Math.cos(tilt), Math.sin(tilt)];
  const forward: Vec3 = [0, -Math.sin(tilt), Math.cos(tilt)];
  const relative = (point: Vec3): Vec3 => [point[0], point[1] - (scene.cameraHeight ?? 1.2), point[2]];
  return { width, height, focal, up, forward, relative };
}

/** Which landmarks are behind the torso as the camera sees them (not the torso or face: MediaPipe keeps those). */
function selfOccluded(image: Array<[number, number, number] | null>, depth: number[]): boolean[] {
  const torso = TORSO.map((j) => image[j]).filter((p): p is [number, number, number] => p !== null);
  if (torso.length < 4) return image.map(() => false);
  const box = [0, 1].map((axis) => {
    const values = torso.map((p) => p[axis]!);
    const margin = 0.25 * (Math.max(...values) - Math.min(...values));
    return [Math.min(...values) - margin, Math.max(...values) + margin] as const;
  });
  const torsoDepth = TORSO.reduce((sum, j) => sum + depth[j]!, 0) / TORSO.length;
  return image.map((p, j) => p !== null && !TORSO.includes(j) && !FACE.includes(j) && depth[j]! > torsoDepth + 0.05
    && p[0] > box[0]![0] && p[0] < box[0]![1] && p[1] > box[1]![0] && p[1] < box[1]![1]);
}

/** The poses of a script at the scene's frame rate (t in ms from the script's start), with whether each is absent. */
function animate(start: BodyPose, script: ReadonlyArray<Step | Step[]>, fps: number): Array<{ t: number; pose: BodyPose; absent: boolean }> {
  const segments: Segment[] = [];
  let pose = start;
  for (const step of script.flat()) {
    const segment = step(pose);
    segments.push(segment);
    pose = segment.to;
  }
  const totalMs = segments.reduce((sum, segment) => sum + segment.ms, 0);
  const out: Array<{ t: number; pose: BodyPose; absent: boolean }> = [];
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
    out.push({ t, pose: current, absent: segment.absent === true });
  }
  return out;
}

/** Runs a script from a start pose and renders MediaPipe-style frames at the scene's frame rate. */
export function renderScript(start: BodyPose, script: ReadonlyArray<Step | Step[]>, scene: SceneOptions = {}): PoseFrame[] {
  const fps = scene.fps ?? 30;
  const { width, height, focal, up, forward, relative } = camera(scene);
  const noise = scene.noisePx ?? 1.5;
  const random = seededRandom(scene.seed ?? 1);
  const simulator = scene.mediapipe ? new MediaPipeSimulator(random, fps) : null;
  const stature = scene.stature ?? REFERENCE_STATURE;
  const skipMs = scene.skipMs ?? 0;
  const frames: PoseFrame[] = [];
  for (const { t, pose, absent } of animate(start, script, fps)) {
    if (t < skipMs) continue;
    const frame: PoseFrame = { t: Math.round((scene.startMs ?? 0) + t - skipMs), width, height, people: [] };
    frames.push(frame);
    if (absent) continue;
    const points = bodyLandmarks(pose, stature);
    const hip = add(points[HIPS[0]!]!, [1, points[HIPS[1]!]!]).map((v) => v / 2) as Vec3;
    const hipDepth = dot(relative(hip), forward);
    const depth = points.map((point) => dot(relative(point), forward));
    const image = points.map((point, j): [number, number, number] | null => {
      if (depth[j]! <= 0.1) return null;
      const p = relative(point);
      return [0.5 + (focal * p[0]) / depth[j]! / width, 0.5 - (focal * dot(p, up)) / depth[j]! / height, ((depth[j]! - hipDepth) * focal) / hipDepth / width];
    });
    // MediaPipe world landmarks: metres around the hip centre in camera axes (x right, y down, z away).
    const world = points.map((point): [number, number, number] => {
      const p: Vec3 = [point[0] - hip[0], point[1] - hip[1], point[2] - hip[2]];
      return [p[0], -dot(p, up), dot(p, forward)];
    });
    if (simulator) {
      const scalePx = (TORSO_LENGTH * (stature / REFERENCE_STATURE) * focal) / Math.max(hipDepth, 0.1);
      const observed = simulator.observe({ points: image, hidden: selfOccluded(image, depth), world, scalePx, width, height });
      if (observed) frame.people.push(observed);
      continue;
    }
    const landmarks = image.map((p): Landmark => {
      const [x, y, z] = p ?? [0, 0, 0];
      const px = x * width + noise * gaussian(random);
      const py = y * height + noise * gaussian(random);
      const inside = p !== null && px >= 0 && px < width && py >= 0 && py < height;
      return [px / width, py / height, z, inside ? 0.97 : 0.05];
    });
    frame.people.push({ landmarks, world: world.map(([x, y, z]): Landmark => [x, y, z, 0.97]) });
  }
  return frames;
}
