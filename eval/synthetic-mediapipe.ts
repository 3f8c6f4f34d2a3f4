/**
 * MediaPipe's imperfections for the TypeScript synthesiser, frame by frame, from the measured behaviour model
 * (src/skeleton/mediapipe-behaviour.json, fitted by `training.pose_stats` on real video; docs/real-poses.md). The
 * Python synthesiser implements the same model in training/synth/mediapipe.py.
 */
import behaviour from '../src/skeleton/mediapipe-behaviour.json';
import { getLayout, type Landmark } from '../src/skeleton';

const layout = getLayout('blazepose33');
const POSTURES = ['upright', 'bent', 'lying'] as const;
type Posture = (typeof POSTURES)[number];
type PartTable = Record<keyof typeof behaviour.parts, number>;
const MIN_PERSON_PIXELS = 100; // platform notes: MediaPipe does not detect people smaller than ~100 px

const perJoint = <T>(table: Record<string, T>): T[] => {
  const out: T[] = new Array(layout.joints.length);
  for (const [part, names] of Object.entries(behaviour.parts)) for (const name of names) out[layout.joints.indexOf(name)] = table[part]!;
  return out;
};
const NOISE_SD = perJoint(behaviour.noise.sd as PartTable);
const NOISE_TAIL = perJoint(behaviour.noise.tail as PartTable);
const VISIBILITY = { upright: perJoint(behaviour.visibility.quantiles.upright), lying: perJoint(behaviour.visibility.quantiles.lying) };
const TORSO = [...layout.torsoTop, ...layout.torsoBottom];
const SWAPS = Object.entries(behaviour.swaps).map(([group, spec]) => ({
  group,
  perMinute: spec.perMinute,
  frames: spec.frames,
  table: layout.joints.map((name, index) =>
    spec.joints === null || spec.joints.some((part) => name.endsWith(`_${part}`)) ? layout.mirror[index]! : index),
}));

/** Piecewise-linear inverse CDF from 11 quantiles. */
function quantile(table: readonly number[], u: number): number {
  const position = Math.min(1, Math.max(0, u)) * (table.length - 1);
  const low = Math.min(table.length - 2, Math.floor(position));
  return table[low]! + (table[low + 1]! - table[low]!) * (position - low);
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return 0.5 * (1 + Math.sign(z) * erf);
}

/** One camera frame of the true skeleton, as the simulated detector sees it. */
export interface TrueFrame {
  /** Image landmarks [x, y, z] (x, y in [0,1] of the image, z on the scale of x); null where behind the camera. */
  points: Array<[number, number, number] | null>;
  /** Landmarks hidden behind the body (self-occlusion). */
  hidden: boolean[];
  /** World landmarks: metres from the hip centre in camera axes (x right, y down, z away from the camera). */
  world: Array<[number, number, number]>;
  /** Torso length in pixels as if upright at the hips' depth: noise is measured in torso lengths. */
  scalePx: number;
  width: number;
  height: number;
}

/** What the simulated MediaPipe reports for a frame with a person. */
export interface Observed {
  landmarks: Landmark[];
  world: Landmark[];
}

/** A simulated MediaPipe pose stage for one recording: call `observe` once per frame, in order. */
export class MediaPipeSimulator {
  private readonly noise: number[][] = layout.joints.map(() => [0, 0, 0]);
  private readonly latent: number[] = layout.joints.map(() => 0);
  private gapLeft = 0;
  private flipLeft = 0;
  private readonly swapLeft = SWAPS.map(() => 0);
  private started = false;

  constructor(private readonly random: () => number, private readonly fps: number) {}

  private gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random());
  }

  private ar1(previous: number, rho: number): number {
    return this.started ? rho * previous + Math.sqrt(1 - rho * rho) * this.gaussian() : this.gaussian();
  }

  /** Frames of an episode from the measured length quantiles. */
  private episode(frames: readonly number[]): number {
    return Math.max(1, Math.round(quantile(frames, this.random())));
  }

  /** The landmarks MediaPipe would report for this frame, or null when it detects nobody. */
  observe(frame: TrueFrame): Observed | null {
    const { points, width, height } = frame;
    const posture = this.posture(frame);
    const noisy = this.addNoise(frame);
    const visibility = this.visibility(frame, posture.folded);
    this.started = true;
    if (this.gapLeft > 0) {
      this.gapLeft -= 1;
      return null;
    }
    const inImage = points.filter((p) => p && p[0] >= 0 && p[0] <= 1 && p[1] >= 0 && p[1] <= 1) as Array<[number, number, number]>;
    const span = (axis: 0 | 1, scale: number) => (inImage.length ? (Math.max(...inImage.map((p) => p[axis])) - Math.min(...inImage.map((p) => p[axis]))) * scale : 0);
    const person = Math.hypot(span(0, width), span(1, height));
    if (person < MIN_PERSON_PIXELS || inImage.length < behaviour.detection.minLandmarksInImage) return null;
    const small = person < behaviour.detection.smallPerson * height;
    const gapStart = Math.min(0.9, behaviour.detection.gapStart[posture.name] * (small ? behaviour.detection.smallPersonFactor : 1));
    if (this.random() < gapStart) {
      this.gapLeft = this.episode(behaviour.detection.gapFrames) - 1;
      return null;
    }
    const worldSd = behaviour.world.noiseSd;
    let landmarks: Landmark[] = noisy.map((p, i) => (p ? [p[0], p[1], p[2], visibility[i]!] : [0, 0, 0, 0]));
    let world: Landmark[] = frame.world.map(([x, y, z], i) =>
      [x + worldSd.x * this.gaussian(), y + worldSd.y * this.gaussian(), z + worldSd.z * this.gaussian(), visibility[i]!]);
    const perFrame = 1 / (60 * this.fps);
    SWAPS.forEach((swap, index) => {
      if (this.swapLeft[index]! === 0 && this.random() < swap.perMinute * perFrame) this.swapLeft[index] = this.episode(swap.frames);
      if (this.swapLeft[index]! > 0) {
        this.swapLeft[index]! -= 1;
        landmarks = swap.table.map((source) => landmarks[source]!);
        world = swap.table.map((source) => world[source]!);
      }
    });
    if (this.flipLeft === 0 && this.random() < (behaviour.flips.perMinute[posture.name] ?? 0) * perFrame) this.flipLeft = this.episode(behaviour.flips.frames);
    if (this.flipLeft > 0) {
      // Upside down: x and y reflected through the hip centre (the world's origin).
      this.flipLeft -= 1;
      const [left, right] = layout.torsoBottom.map((j) => landmarks[j]!) as [Landmark, Landmark];
      const hx = left[0] + right[0];
      const hy = left[1] + right[1];
      landmarks = landmarks.map(([x, y, z, v]) => [hx - x, hy - y, z, v]);
      world = world.map(([x, y, z, v]) => [-x, -y, z, v]);
    }
    return { landmarks, world };
  }

  private posture(frame: TrueFrame): { name: Posture; folded: number } {
    const mean = (joints: readonly number[], axis: 0 | 1, scale: number) =>
      (joints.reduce((sum, j) => sum + (frame.points[j]?.[axis] ?? 0), 0) / joints.length) * scale;
    const dx = mean(layout.torsoTop, 0, frame.width) - mean(layout.torsoBottom, 0, frame.width);
    const dy = mean(layout.torsoTop, 1, frame.height) - mean(layout.torsoBottom, 1, frame.height);
    const angle = (Math.atan2(Math.abs(dx), -dy) * 180) / Math.PI;
    const folded = Math.min(angle, 180 - angle);
    const short = Math.hypot(dx, dy) < behaviour.posture.foreshortened * frame.scalePx;
    const name: Posture = folded <= behaviour.posture.uprightDegrees && !short ? 'upright' : folded >= behaviour.posture.lyingDegrees ? 'lying' : 'bent';
    return { name, folded };
  }

  private addNoise(frame: TrueFrame): Array<[number, number, number] | null> {
    const { lag1, depthSd } = behaviour.noise;
    return frame.points.map((point, joint) => {
      const state = this.noise[joint]!;
      for (let axis = 0; axis < 3; axis += 1) state[axis] = this.ar1(state[axis]!, lag1);
      if (!point) return null;
      const spread = Math.exp(NOISE_TAIL[joint]! * this.gaussian()) * frame.scalePx;
      const sd = NOISE_SD[joint]! * spread;
      return [point[0] + (state[0]! * sd) / frame.width, point[1] + (state[1]! * sd) / frame.height, point[2] + (state[2]! * depthSd * spread) / frame.width];
    });
  }

  private visibility(frame: TrueFrame, folded: number): number[] {
    const model = behaviour.visibility;
    const { uprightDegrees, lyingDegrees } = behaviour.posture;
    const weight = Math.min(1, Math.max(0, (folded - uprightDegrees) / (lyingDegrees - uprightDegrees)));
    const aspect = frame.width / frame.height;
    return frame.points.map((point, joint) => {
      this.latent[joint] = this.ar1(this.latent[joint]!, model.lag1);
      const u = normalCdf(this.latent[joint]! - (frame.hidden[joint] && !TORSO.includes(joint) ? model.hiddenShift : 0));
      if (!point) return 0;
      const dx = Math.max(-point[0], point[0] - 1, 0) * aspect;
      const dy = Math.max(-point[1], point[1] - 1, 0);
      const distance = Math.hypot(dx, dy);
      if (distance > 0) return quantile(model.outside.quantiles[model.outside.bands.filter((edge) => distance >= edge).length]!, u);
      return (1 - weight) * quantile(VISIBILITY.upright[joint]!, u) + weight * quantile(VISIBILITY.lying[joint]!, u);
    });
  }
}
