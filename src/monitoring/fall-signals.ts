import { ramp } from './body';
import type { MonitoringConfig } from '../settings/config';
import type { PostureSample } from './posture';

/** What the detector measured at one frame; kept with every event so a carer can see why the alarm went off. */
export interface FallSignals {
  /** Torso angle from up, degrees (null: torso not seen). */
  tilt: number | null;
  /** Hip → ankle angle from down, degrees (null: ankles or torso not seen). */
  legTilt: number | null;
  /** Torso-to-thigh angle at the hips, degrees (null: knees or torso not seen). */
  hipAngle: number | null;
  /** 0 upright … 1 lying: torso towards horizontal while the legs do not carry the body. */
  lying: number;
  /** Largest drop of the shoulders or hips within motion.windowMs, metres. */
  drop: number;
  /** Fastest downward speed of the shoulders or hips within motion.windowMs, metres per second. */
  speed: number;
  /** Hip height above the floor line, statures (null: no standing reference learnt, or hips not seen). */
  hipHeight: number | null;
  /** Fraction of the time since the possible fall during which the trunk was still. */
  stillFraction: number;
  /** Model probability of the fall label group (0 without model output). */
  modelFall: number;
  /** Weight the model got in the fused score (0 without a trained model's output). */
  modelWeight: number;
  /** lying × descent, where descent = ramp(drop) × ramp(speed), its peak held for motion.holdMs while lying. */
  kinematic: number;
  /** (1 − modelWeight) · kinematic + modelWeight · modelFall. */
  fused: number;
}

/** Trunk motion and speeds are measured over spans: frame-to-frame differences are dominated by landmark jitter. */
const STILL_SPAN_MS = 500;
/** The hip-angle ramp from folded (at posture.foldedHipAngle) to open. */
const FOLD_RAMP_DEGREES = 30;
/**
 * A body folded at the hips sits, kneels or crouches only with the legs under it. With the legs out along the
 * floor or raised (hip → ankle this far from straight down) it is on the ground: a backward fall passes through
 * a hip angle near 90° while the torso tips over (GMDCSA24 Subject 1/Fall/13, Subject 2/Fall/13).
 */
const LEGS_OUT_TILT = 60;
/** *lying* at which a person counts as lying down: half way up the ramp, since a lying torso flickers around a
 * threshold with landmark noise. Shared by the detector's "down" test and the descent hold. */
export const LYING_DOWN = 0.5;
/** Without world landmarks, the image scale comes from the torso: about half a metre long. */
const TORSO_METRES = 0.5;
/** The scale follows the world-landmark estimates with this time constant; one frame can be far off, so each
 * estimate moves it by at most SCALE_STEP of itself. */
const SCALE_TIME_CONSTANT_MS = 300;
const SCALE_STEP = 0.25;

interface Kept {
  t: number;
  scale: number | null;
  /** Shoulder and hip heights, median of this and the two previous samples: one glitched frame moves nothing. */
  shoulderY: number;
  hipY: number;
  trunk: { x: number; y: number };
}

/** Largest value over a sliding time window (monotonic queue: O(1) per sample). */
class SlidingMax {
  private entries: Array<{ t: number; value: number }> = [];

  constructor(private readonly spanMs: number) {}

  push(t: number, value: number): void {
    while (this.entries.length > 0 && this.entries.at(-1)!.value <= value) this.entries.pop();
    this.entries.push({ t, value });
  }

  max(t: number): number {
    while (this.entries.length > 0 && this.entries[0]!.t < t - this.spanMs) this.entries.shift();
    return this.entries[0]?.value ?? -Infinity;
  }
}

const middleOf3 = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));

/**
 * The kinematic side of the fall detector: per person, the recent posture samples and what they add up to — how
 * far and how fast the body went down, whether it now lies, whether it keeps still. Pure; time comes from samples.
 */
export class FallMotion {
  private history: Kept[] = [];
  private readonly spanMs: number;
  private readonly highest: { shoulder: SlidingMax; hip: SlidingMax };
  /** Per sample: descent speed since the sample motion.speedSpanMs before it, image heights per second. */
  private readonly fastest: SlidingMax;
  private lastRaw: PostureSample[] = [];
  private worldScale: { value: number; t: number } | null = null;
  /** The strongest recent descent evidence of a person who has lain since (null once they are not lying). */
  private heldDescent: { value: number; t: number } | null = null;

  constructor(private readonly settings: MonitoringConfig['fall']) {
    this.spanMs = Math.max(settings.motion.windowMs, STILL_SPAN_MS);
    const window = settings.motion.windowMs;
    this.highest = { shoulder: new SlidingMax(window), hip: new SlidingMax(window) };
    this.fastest = new SlidingMax(window);
  }

  /** Adds a sample (null: the torso is not seen) and returns the kinematic part of the signals at its time. */
  update(t: number, sample: PostureSample | null): Pick<FallSignals, 'tilt' | 'legTilt' | 'hipAngle' | 'lying' | 'drop' | 'speed' | 'kinematic'> {
    while (this.history.length > 0 && this.history[0]!.t < t - this.spanMs) this.history.shift();
    if (!sample) return { tilt: null, legTilt: null, hipAngle: null, lying: 0, drop: 0, speed: 0, kinematic: 0 };
    const [a, b] = [this.lastRaw.at(-2) ?? sample, this.lastRaw.at(-1) ?? sample];
    this.lastRaw = [b, sample];
    const now: Kept = {
      t,
      scale: sample.scale,
      shoulderY: middleOf3(a.shoulderY, b.shoulderY, sample.shoulderY),
      hipY: middleOf3(a.hipY, b.hipY, sample.hipY),
      trunk: sample.trunk,
    };
    this.fastest.push(t, this.descentSpeed(now));
    this.history.push(now);
    if (sample.scale !== null) this.followScale(t, sample.scale);
    this.highest.shoulder.push(t, now.shoulderY);
    this.highest.hip.push(t, now.hipY);
    const scale = this.scale();
    const { motion } = this.settings;
    const lying = this.lying(sample);
    let drop = 0;
    let speed = 0;
    if (scale !== null) {
      drop = Math.max(this.highest.shoulder.max(t) - now.shoulderY, this.highest.hip.max(t) - now.hipY) / scale;
      speed = Math.max(0, this.fastest.max(t)) / scale;
    }
    const kinematic = lying * this.holdDescent(t, lying, ramp(drop, motion.minDrop, motion.fullDrop) * ramp(speed, motion.minSpeed, motion.fullSpeed));
    return { tilt: sample.tilt, legTilt: sample.legTilt, hipAngle: sample.hipAngle, lying, drop, speed, kinematic };
  }

  /**
   * The descent evidence at t: the current one, or the strongest of the last motion.holdMs while the person has lain
   * since. The drop and speed fade as the fall leaves motion.windowMs, but the model's fall probability comes up to
   * about a second after the fastest descent (its window must hold the fall), and the fused score adds the two at
   * one frame: without the hold, a person still lying where they fell would lose the descent before the model
   * confirms it.
   */
  private holdDescent(t: number, lying: number, descent: number): number {
    if (lying < LYING_DOWN) {
      this.heldDescent = null;
      return descent;
    }
    const held = this.heldDescent;
    if (held && descent < held.value && t - held.t <= this.settings.motion.holdMs) return held.value;
    this.heldDescent = { value: descent, t };
    return descent;
  }

  /**
   * 0 upright … 1 lying: the torso towards horizontal while the legs do not carry the body (bending over, or
   * being upside down, is not lying) and the body is not folded over the thighs with the legs under it (picking
   * something up from a chair, kneeling bent forward: the torso lies over the thighs, hip angle small).
   */
  lying(sample: PostureSample): number {
    const { posture } = this.settings;
    const legsCarry = sample.legTilt !== null && sample.legTilt <= posture.standingLegTilt;
    if (legsCarry) return 0;
    const legsOut = sample.legTilt !== null && sample.legTilt >= LEGS_OUT_TILT;
    const open =
      sample.hipAngle === null || legsOut ? 1 : ramp(sample.hipAngle, posture.foldedHipAngle, posture.foldedHipAngle + FOLD_RAMP_DEGREES);
    return open * ramp(sample.tilt, posture.lyingFromTilt, posture.lyingTilt);
  }

  /** Upright torso and legs under it: standing again. */
  standing(sample: PostureSample | null): boolean {
    const { posture } = this.settings;
    return sample !== null && sample.tilt <= posture.uprightTilt && sample.legTilt !== null && sample.legTilt <= posture.standingLegTilt;
  }

  /** Trunk speed over the last STILL_SPAN_MS, metres per second (0 when it cannot be measured yet). */
  trunkSpeed(t: number): number {
    const scale = this.scale();
    const last = this.history.at(-1);
    const past = this.history.find((kept) => kept.t >= t - STILL_SPAN_MS);
    if (scale === null || !last || !past || last.t - past.t < STILL_SPAN_MS / 2) return 0;
    const distance = Math.hypot(last.trunk.x - past.trunk.x, last.trunk.y - past.trunk.y) / scale;
    return distance / ((last.t - past.t) / 1000);
  }

  /** Image heights per metre: the world-landmark estimate when there is one, else from the torso's image length. */
  private scale(): number | null {
    if (this.worldScale) return this.worldScale.value;
    let longestTorso = 0;
    for (const kept of this.history) longestTorso = Math.max(longestTorso, Math.abs(kept.shoulderY - kept.hipY));
    // The longest recent torso is the least foreshortened one.
    return longestTorso > 1e-3 ? longestTorso / TORSO_METRES : null;
  }

  private followScale(t: number, estimate: number): void {
    if (!this.worldScale) {
      this.worldScale = { value: estimate, t };
      return;
    }
    const { value } = this.worldScale;
    const bounded = Math.min(value * (1 + SCALE_STEP), Math.max(value / (1 + SCALE_STEP), estimate));
    const weight = 1 - Math.exp(-Math.max(0, t - this.worldScale.t) / SCALE_TIME_CONSTANT_MS);
    this.worldScale = { value: value + weight * (bounded - value), t };
  }

  /** Descent of the shoulders or hips from the latest sample at least motion.speedSpanMs older, image heights per second. */
  private descentSpeed(now: Kept): number {
    const span = this.settings.motion.speedSpanMs;
    for (let i = this.history.length - 1; i >= 0; i--) {
      const past = this.history[i]!;
      if (now.t - past.t < span) continue;
      const dt = (now.t - past.t) / 1000;
      return Math.max(past.shoulderY - now.shoulderY, past.hipY - now.hipY) / dt;
    }
    return 0;
  }
}
