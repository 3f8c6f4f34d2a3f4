import type { PoseFrame } from '../skeleton';
import type { FallLabel } from './fall-eval';
import { renderScript, seededRandom, standingPose, steps as s, type BodyPose, type Step } from './synthetic';

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
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const between = (random: Random, low: number, high: number) => low + (high - low) * random();

/** Normal activities, each ending standing where it started (or nearby). */
const ACTIVITIES: Record<string, (random: Random) => Array<Step | Step[]>> = {
  stand: (random) => [s.hold(between(random, 2000, 6000))],
  walk: (random) => {
    const x = between(random, -1.4, 1.4);
    const z = between(random, 2.6, 5);
    return [(from: BodyPose) => s.turn((Math.atan2(x - from.x, -(z - from.z)) * 180) / Math.PI)(from), s.walkTo(x, z, between(random, 0.6, 1.3))];
  },
  sitChair: (random) => [s.sitDown(between(random, 500, 1400), between(random, 0.4, 0.5)), s.hold(between(random, 3000, 15000)), s.standUp(between(random, 1200, 2500))],
  sitSofa: (random) => [s.sitDown(between(random, 450, 1000), between(random, 0.33, 0.4)), s.hold(between(random, 3000, 15000)), s.standUp(between(random, 1500, 3000))],
  bend: (random) => [s.bend(between(random, 500, 4000))],
  nearFall: () => [s.nearFall(), s.hold(1500)],
  lieDownOnFloorAndGetUp: (random) => [s.lieDownSlowly(between(random, 0.8, 1.3)), s.lie(between(random, 3000, 12000)), s.getUp(between(random, 0.8, 1.2))],
  leaveAndComeBack: (random) => [s.absent(between(random, 2000, 10000))],
};

const FALLS: Record<string, (random: Random) => Step[]> = {
  forward: (random) => s.fallForward(between(random, 0.8, 1.3)),
  backward: (random) => s.fallBackward(between(random, 0.8, 1.3)),
  sidewaysLeft: (random) => s.fallSideways(1, between(random, 0.8, 1.3)),
  sidewaysRight: (random) => s.fallSideways(-1, between(random, 0.8, 1.3)),
  collapse: (random) => s.collapse(between(random, 0.8, 1.3)),
};

function scene(random: Random, seed: number) {
  return {
    fps: pick(random, [15, 25, 30]),
    cameraHeight: between(random, 0.9, 2.2),
    cameraTilt: between(random, 0, 25),
    stature: between(random, 1.5, 1.9),
    noisePx: between(random, 0.5, 3),
    seed,
  };
}

const durationOf = (start: BodyPose, script: Array<Step | Step[]>): number => {
  let pose = start;
  let total = 0;
  for (const step of script.flat()) {
    const segment = step(pose);
    total += segment.ms;
    pose = segment.to;
  }
  return total;
};

/**
 * A small labelled evaluation set from the synthetic animator: falls of every kind after some normal activity,
 * and normal-activity recordings mixing the hard non-falls (fast sitting, bending, near falls, lying down on purpose).
 * Viewing direction, distance, camera height/tilt, body size, speed, jitter and frame rate vary per recording.
 */
export function generateFallSet(options: FallSetOptions): LabelledClip[] {
  const random = seededRandom(options.seed);
  const clips: LabelledClip[] = [];
  /** A camera and a place where the standing person is wholly in view, as a kiosk camera is installed to be. */
  const placement = (seed: number) => {
    for (;;) {
      const start = standingPose(between(random, -1, 1), between(random, 2.8, 4.5), between(random, -180, 180));
      const view = scene(random, seed);
      const [first] = renderScript(start, [s.hold(0)], view);
      if (first!.people[0]!.landmarks.every((landmark) => landmark[3] > 0.5)) return { start, view };
    }
  };
  for (let i = 0; i < options.falls; i += 1) {
    const kind = pick(random, Object.keys(FALLS));
    const { start, view } = placement(options.seed * 1000 + i);
    const before: Array<Step | Step[]> = [s.hold(between(random, 2500, 4000))];
    for (let n = Math.floor(between(random, 0, 3)); n > 0; n -= 1) before.push(...ACTIVITIES[pick(random, ['walk', 'stand', 'bend', 'sitChair'])]!(random));
    const fallAtMs = durationOf(start, before);
    const after: Array<Step | Step[]> = [s.lie(between(random, 12000, 20000))];
    if (random() < 0.3) after.push(s.getUp(), s.hold(3000));
    const frames = renderScript(start, [...before, FALLS[kind]!(random), ...after], view);
    clips.push({ name: `fall/${String(i).padStart(3, '0')}-${kind}`, label: { fall: true, fallAtMs: Math.round(fallAtMs) }, frames });
  }
  for (let i = 0; i < options.adl; i += 1) {
    const { start, view } = placement(options.seed * 1000 + 500 + i);
    const script: Array<Step | Step[]> = [s.hold(3000)];
    const kinds: string[] = [];
    while (durationOf(start, script) < options.adlMs) {
      const kind = pick(random, Object.keys(ACTIVITIES));
      kinds.push(kind);
      script.push(...ACTIVITIES[kind]!(random));
    }
    const frames = renderScript(start, script, view);
    clips.push({ name: `adl/${String(i).padStart(3, '0')}-${[...new Set(kinds)].length}-activities`, label: { fall: false, fallAtMs: null }, frames });
  }
  return clips;
}
