import type { PoseFrame } from '../src/skeleton';
import type { FallLabel } from './fall-eval';
import { renderScript, seededRandom, standingPose, steps as s, type BodyPose, type SceneOptions, type Step } from './synthetic';
import type { FallDirection } from './synthetic-falls';

/** One generated recording with its ground truth. */
export interface LabelledClip {
  /** Folder-relative name without extension: `fall/…` or `adl/…`. */
  name: string;
  label: FallLabel;
  frames: PoseFrame[];
}

export interface FallSetOptions {
  falls: number;
  adl: number;
  /** Length of each normal-activity recording, ms. */
  adlMs: number;
  seed: number;
}

type Random = () => number;
type Script = Array<Step | Step[]>;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const between = (random: Random, low: number, high: number) => low + (high - low) * random();
const chair = (random: Random) => between(random, 0.4, 0.5);
const bed = (random: Random) => between(random, 0.45, 0.6);
const side = (random: Random): 1 | -1 => (random() < 0.5 ? 1 : -1);
const DIRECTIONS: FallDirection[] = ['forward', 'backward', 'left', 'right'];

/** Normal activities, each ending standing where it started (or nearby). */
const ACTIVITIES: Record<string, (random: Random) => Script> = {
  stand: (random) => [s.hold(between(random, 2000, 6000))],
  walk: (random) => {
    const x = between(random, -1.4, 1.4);
    const z = between(random, 2.6, 5);
    return [(from: BodyPose) => s.turn((Math.atan2(x - from.x, -(z - from.z)) * 180) / Math.PI)(from), s.walkTo(x, z, between(random, 0.6, 1.3))];
  },
  sitChair: (random) => [s.sitDown(between(random, 500, 1400), chair(random)), s.hold(between(random, 3000, 15000)), s.standUp(between(random, 1200, 2500))],
  sitSofa: (random) => [s.sitDown(between(random, 450, 1000), between(random, 0.33, 0.4)), s.hold(between(random, 3000, 15000)), s.standUp(between(random, 1500, 3000))],
  sitDownFast: (random) => [s.sitDown(between(random, 350, 600), chair(random)), s.hold(between(random, 2000, 8000)), s.standUp(between(random, 1000, 2000))],
  bend: (random) => [s.bend(between(random, 500, 4000))],
  pickUp: (random) => [s.pickUp(between(random, 90, 115), between(random, 1000, 2000))],
  pickUpFromChair: (random) => [s.sitDown(between(random, 600, 1400), chair(random)), s.hold(between(random, 1000, 4000)),
    s.pickUpFromChair(between(random, 80, 100), between(random, 1000, 2000)), s.hold(between(random, 1000, 3000)), s.standUp(between(random, 1200, 2500))],
  kneel: (random) => [s.kneel(between(random, 2000, 6000))],
  squats: (random) => [s.squats(Math.floor(between(random, 3, 9)), between(random, 1500, 2500))],
  nearFall: () => [s.nearFall(), s.hold(1500)],
  lieDownOnFloorAndGetUp: (random) => [s.lieDownSlowly(between(random, 0.8, 1.3)), s.lie(between(random, 3000, 12000)), s.getUp(between(random, 0.8, 1.2))],
  sitOnFloorAndGetUp: (random) => [s.sitOnFloor(between(random, 2000, 3500)), s.hold(between(random, 3000, 10000)), s.getUpFromSitting(between(random, 0.8, 1.2))],
  lieOnBedAndGetUp: (random) => {
    const turn = side(random);
    return [s.sitDown(between(random, 500, 1500), bed(random)), s.hold(between(random, 1000, 3000)), s.lieOnBed(between(random, 1000, 2000), turn, random() < 0.5),
      s.lie(between(random, 5000, 20000)), s.sitUpOnBed(between(random, 1500, 3000), turn), s.hold(between(random, 1000, 2000)), s.standUp(between(random, 1500, 3000))];
  },
  leaveAndComeBack: (random) => [s.absent(between(random, 2000, 10000))],
};

/** A fall: what comes before it (its end is the fall time), the fall, and optionally a fixed facing direction. */
interface FallScript {
  before: Script;
  fall: Step[];
  yaw?: number;
  /** Where the person starts, relative to the camera's view: outside it (walking in) or in it. */
  entering?: boolean;
}

const lead = (random: Random): Script => {
  const before: Script = [s.hold(between(random, 2500, 4000))];
  for (let n = Math.floor(between(random, 0, 3)); n > 0; n -= 1) before.push(...ACTIVITIES[pick(random, ['walk', 'stand', 'bend', 'sitChair'])]!(random));
  return before;
};
const speed = (random: Random) => between(random, 0.8, 1.3);

const FALLS: Record<string, (random: Random) => FallScript> = {
  forward: (random) => ({ before: lead(random), fall: s.fallForward(speed(random)) }),
  backward: (random) => ({ before: lead(random), fall: s.fallBackward(speed(random)) }),
  sidewaysLeft: (random) => ({ before: lead(random), fall: s.fallSideways(1, speed(random)) }),
  sidewaysRight: (random) => ({ before: lead(random), fall: s.fallSideways(-1, speed(random)) }),
  collapse: (random) => ({ before: lead(random), fall: s.collapse(speed(random)) }),
  slowCollapse: (random) => ({ before: lead(random), fall: s.slowCollapse(between(random, 1500, 3000), side(random)) }),
  towardsCamera: (random) => ({ before: [s.hold(between(random, 1500, 3000))], fall: s.fallForward(speed(random)), yaw: between(random, -20, 20) }),
  awayFromCamera: (random) => ({ before: [s.hold(between(random, 1500, 3000))], fall: s.fallBackward(speed(random)), yaw: between(random, -20, 20) }),
  fromChair: (random) => ({ before: [s.hold(1000), s.sitDown(between(random, 600, 1400), chair(random)), s.hold(between(random, 2000, 8000))], fall: s.fallFromSitting(pick(random, DIRECTIONS), speed(random)) }),
  fromBedEdge: (random) => ({ before: [s.hold(1000), s.sitDown(between(random, 600, 1400), bed(random)), s.hold(between(random, 2000, 8000))], fall: s.fallFromSitting(pick(random, DIRECTIONS), speed(random)) }),
  fromBedEdgeOntoBed: (random) => {
    const height = bed(random);
    return { before: [s.hold(1000), s.sitDown(between(random, 600, 1400), height), s.hold(between(random, 2000, 8000))], fall: s.fallFromSitting(pick(random, ['left', 'right'] as const), speed(random), height) };
  },
  ontoBed: (random) => ({ before: [s.hold(between(random, 1500, 3000))], fall: s.fallOntoBed(bed(random), pick(random, DIRECTIONS), speed(random)) }),
  outOfBed: (random) => {
    const turn = side(random);
    return {
      before: [s.hold(1000), s.sitDown(between(random, 600, 1400), bed(random)), s.hold(between(random, 500, 2000)), s.lieOnBed(between(random, 1000, 2000), turn), s.lie(between(random, 3000, 8000))],
      fall: s.rollOffBed(side(random), speed(random)),
    };
  },
  enteringView: (random) => ({ before: [], fall: pick(random, [s.fallForward, s.collapse])(speed(random)), entering: true }),
};

/** Viewing conditions: frame rate, camera height/tilt, body size, and MediaPipe's measured imperfections. */
function scene(random: Random, seed: number): SceneOptions {
  return {
    fps: pick(random, [15, 25, 30]),
    cameraHeight: between(random, 0.9, 2.2),
    cameraTilt: between(random, 0, 25),
    stature: between(random, 1.5, 1.9),
    mediapipe: true,
    seed,
  };
}

/** A close camera that cuts off the legs (from the knees or hips down) or the head. */
function partialScene(random: Random, seed: number): SceneOptions {
  const cut = pick(random, ['legs', 'head', 'upperBody']);
  const view = scene(random, seed);
  if (cut === 'head') return { ...view, cameraHeight: between(random, 0.5, 0.8), cameraTilt: between(random, -25, -15) };
  return { ...view, cameraHeight: between(random, 1.2, 1.7), cameraTilt: cut === 'legs' ? between(random, -5, 5) : between(random, -10, 0) };
}

const durationOf = (start: BodyPose, script: Script): number => {
  let pose = start;
  let total = 0;
  for (const step of script.flat()) {
    const segment = step(pose);
    total += segment.ms;
    pose = segment.to;
  }
  return total;
};

const landmarksInView = (frames: PoseFrame[]) =>
  frames[0]?.people[0]?.landmarks.filter(([x, y]) => x >= 0 && x <= 1 && y >= 0 && y <= 1).length ?? 0;

/**
 * A small labelled evaluation set from the synthetic animator, rendered with MediaPipe's measured imperfections:
 * falls of every kind in turn (from standing, walking, sitting on a chair or a bed edge, onto a bed from standing or
 * from its edge, out of bed, slow collapses, towards and away from the camera, right after walking into view, recordings that start
 * mid-fall) and normal activities mixing the hard non-falls (fast sitting, lying down on a bed, sitting on the floor, kneeling, picking
 * things up, squats, near falls). A fifth of the recordings are partial views (legs or head out of the picture).
 * Viewing direction, distance, camera height/tilt, body size, speed and frame rate vary per recording.
 */
export function generateFallSet(options: FallSetOptions): LabelledClip[] {
  const random = seededRandom(options.seed);
  const clips: LabelledClip[] = [];
  /** A camera and a place where the standing person is in view: wholly, or (partial) enough to be detected. */
  const placement = (seed: number, yaw?: number) => {
    const partial = random() < 0.2;
    for (;;) {
      const z = partial ? between(random, 1.3, 2.2) : between(random, 2.8, 4.5);
      const start = standingPose(between(random, -1, 1) * (z / 4), z, yaw ?? between(random, -180, 180));
      const view = partial ? partialScene(random, seed) : scene(random, seed);
      const inView = landmarksInView(renderScript(start, [s.hold(0)], { ...view, mediapipe: false }));
      if (partial ? inView >= 20 && inView < 33 : inView === 33) return { start, view, partial };
    }
  };
  for (let i = 0; i < options.falls; i += 1) {
    // Every kind in turn (a random pick can leave a kind out of a small set), each with its own random variation.
    const kinds = Object.keys(FALLS);
    const kind = kinds[i % kinds.length]!;
    const fall = FALLS[kind]!(random);
    const { start: placed, view, partial } = placement(options.seed * 1000 + i, fall.yaw);
    let start = placed;
    let before = fall.before;
    if (fall.entering) {
      // Walks in from beyond the image edge (the picture's half width is ~0.77 × the distance) and falls
      // 1–2 s after coming into view.
      const edge = side(random);
      start = { ...placed, x: edge * (0.85 * placed.z + 0.4), yaw: edge * -90 };
      before = [s.walkTo(edge * 0.45 * placed.z, placed.z, between(random, 0.8, 1.1))];
    }
    const fallAtMs = durationOf(start, before);
    const after: Script = [s.lie(between(random, 12000, 20000))];
    if (random() < 0.3) after.push(s.getUp(), s.hold(3000));
    // One fall in eight is recorded from part-way through the fall: no standing person was ever seen.
    const skipMs = random() < 0.125 ? fallAtMs + between(random, 150, 400) : 0;
    const frames = renderScript(start, [...before, fall.fall, ...after], { ...view, skipMs });
    const name = `fall/${String(i).padStart(3, '0')}-${kind}${skipMs ? '-midway' : ''}${partial ? '-partial' : ''}`;
    clips.push({ name, label: { fall: true, fallAtMs: skipMs ? 0 : Math.round(fallAtMs) }, frames });
  }
  for (let i = 0; i < options.adl; i += 1) {
    const { start, view, partial } = placement(options.seed * 1000 + 500 + i);
    const script: Script = [s.hold(3000)];
    const kinds: string[] = [];
    while (durationOf(start, script) < options.adlMs) {
      const kind = pick(random, Object.keys(ACTIVITIES));
      kinds.push(kind);
      script.push(...ACTIVITIES[kind]!(random));
    }
    const frames = renderScript(start, script, view);
    const name = `adl/${String(i).padStart(3, '0')}-${[...new Set(kinds)].length}-activities${partial ? '-partial' : ''}`;
    clips.push({ name, label: { fall: false, fallAtMs: null }, frames });
  }
  return clips;
}
