import type { Landmark } from '../skeleton';
import { hipHeight as hipHeightOf, measureBody, StandingReferenceTracker, type BodyMeasures, type CanonicalJoint } from './body';
import type { MonitoringConfig } from '../settings/config';
import { FallMotion, LYING_DOWN, type FallSignals } from './fall-signals';
import type { GroupProbabilities } from './label-groups';
import { measurePosture, type PostureSample } from './posture';

export type { FallSignals } from './fall-signals';

export type FallState = 'normal' | 'possible_fall' | 'fall_confirmed' | 'acknowledged' | 'cooldown';

export type FallEventType = 'possible_fall' | 'fall_confirmed' | 'fall_cancelled' | 'recovered' | 'acknowledged';

export interface FallEvent {
  type: FallEventType;
  /** Frame time, ms. */
  t: number;
  /** For 'fall_confirmed' and 'fall_cancelled': time of the possible fall (the moment of the fall). */
  fallAt?: number;
  confidence: number;
  signals: FallSignals;
}

/** What the detector takes from one frame of a person whose torso is seen. */
export interface FallMeasures {
  posture: PostureSample;
  body: BodyMeasures;
}

/** The frame's measures, or null when the torso is not seen (such a frame counts as the person missing). */
export function measureForFalls(
  joints: readonly CanonicalJoint[],
  world: readonly Landmark[] | null,
  t: number,
  minVisibility: number,
): FallMeasures | null {
  const posture = measurePosture(t, joints, world, minVisibility);
  return posture && { posture, body: measureBody(joints, minVisibility) };
}

export interface FallObservation {
  /** Frame time in ms, increasing. */
  t: number;
  /** The person's BlazePose-33 skeleton in canonical coordinates, or null when nobody is seen. */
  joints: readonly CanonicalJoint[] | null;
  /** MediaPipe world landmarks of the same person (metres, camera axes, y down), when the source has them. */
  world?: readonly Landmark[] | null;
  /** Latest model output grouped by label group, when a model runs. */
  model?: GroupProbabilities;
}

/**
 * A fall is the body going down fast into a lying posture and staying down: normal → possible_fall (fused score
 * ≥ triggerScore) → fall_confirmed (down for confirmMs, mostly still) → acknowledged / recovered → cooldown.
 * Posture, drop and speed come from MediaPipe's world landmarks, so no standing reference is needed: a fall from a
 * chair, from bed, or by someone just come into view is seen too. One fall gives exactly one 'fall_confirmed'.
 * Pure: time comes from the observations.
 */
export class FallDetector {
  private readonly motion: FallMotion;
  private readonly reference: StandingReferenceTracker;
  private readonly settings: MonitoringConfig['fall'];
  private readonly modelWeight: number;
  private stateValue: FallState = 'normal';
  private possibleAt = 0;
  private possibleSignals: FallSignals | null = null;
  private lastDownAt = 0;
  private upSince: number | null = null;
  private observedMs = 0;
  private stillMs = 0;
  private downMs = 0;
  private lastT: number | null = null;
  private cooldownUntil = 0;
  /** After a cancelled possible fall, the same descent opens another one only with stronger evidence. */
  private rearmAt = 0;
  private cancelledScore = 0;
  private lastSignals: FallSignals | null = null;

  constructor(config: MonitoringConfig, options: { modelTrained: boolean }) {
    this.settings = config.fall;
    this.motion = new FallMotion(config.fall);
    this.reference = new StandingReferenceTracker(config.fall.reference);
    this.modelWeight = options.modelTrained ? config.fall.model.weightTrained : config.fall.model.weightUntrained;
  }

  get state(): FallState {
    return this.stateValue;
  }

  /** The signals of the latest frame (null before the first), for the debug view and evaluation traces. */
  get signals(): FallSignals | null {
    return this.lastSignals;
  }

  /** The carer pressed "acknowledge": silence this fall; the person is still watched for recovery. */
  acknowledge(t: number): FallEvent[] {
    if (this.stateValue !== 'fall_confirmed' || !this.possibleSignals) return [];
    this.stateValue = 'acknowledged';
    return [{ type: 'acknowledged', t, confidence: 1, signals: this.possibleSignals }];
  }

  update(observation: FallObservation): FallEvent[] {
    const measured = observation.joints
      ? measureForFalls(observation.joints, observation.world ?? null, observation.t, this.settings.reference.minVisibility)
      : null;
    return this.step(observation.t, measured, observation.model);
  }

  /** update() with the frame already measured (measureForFalls): replaying many settings over one recording. */
  step(t: number, measured: FallMeasures | null, model?: GroupProbabilities): FallEvent[] {
    const dt = this.lastT === null ? 0 : Math.max(0, t - this.lastT);
    this.lastT = t;
    const posture = measured?.posture ?? null;
    const signals = this.measure(t, posture, measured?.body ?? null, model);
    this.lastSignals = signals;
    // The standing reference only places the floor line (hips on the floor = down even with the torso upright).
    if (measured && this.stateValue === 'normal') this.reference.update(measured.body);

    switch (this.stateValue) {
      case 'cooldown':
        if (t >= this.cooldownUntil) this.stateValue = 'normal';
        break;
      case 'normal':
        if (signals.fused >= this.settings.triggerScore && (t >= this.rearmAt || signals.fused > this.cancelledScore)) {
          this.stateValue = 'possible_fall';
          this.possibleAt = t;
          this.lastDownAt = t;
          this.observedMs = 0;
          this.stillMs = 0;
          this.downMs = 0;
          this.possibleSignals = signals;
          return [{ type: 'possible_fall', t, confidence: signals.fused, signals }];
        }
        break;
      case 'possible_fall':
        return this.whilePossible(t, dt, posture, signals);
      case 'fall_confirmed':
      case 'acknowledged':
        if (this.isUp(posture, signals)) {
          this.upSince ??= t;
          if (t - this.upSince >= this.settings.recoverMs) {
            this.stateValue = 'cooldown';
            this.cooldownUntil = t + this.settings.cooldownMs;
            this.upSince = null;
            return [{ type: 'recovered', t, confidence: 1, signals }];
          }
        } else {
          this.upSince = null;
        }
        break;
    }
    return [];
  }

  private measure(t: number, posture: PostureSample | null, body: BodyMeasures | null, model?: GroupProbabilities): FallSignals {
    const kinematics = this.motion.update(t, posture);
    const reference = this.reference.current;
    // A model output that is not a probability (a corrupt model) must not veto the kinematics: it counts as none.
    const modelFall = model && Number.isFinite(model.fall) ? Math.min(1, Math.max(0, model.fall)) : null;
    const modelWeight = modelFall === null ? 0 : this.modelWeight;
    return {
      tilt: kinematics.tilt,
      legTilt: kinematics.legTilt,
      hipAngle: kinematics.hipAngle,
      lying: kinematics.lying,
      drop: kinematics.drop,
      speed: kinematics.speed,
      kinematic: kinematics.kinematic,
      hipHeight: body && reference ? hipHeightOf(body, reference) : null,
      stillFraction: 0,
      modelFall: modelFall ?? 0,
      modelWeight,
      fused: (1 - modelWeight) * kinematics.kinematic + modelWeight * (modelFall ?? 0),
    };
  }

  private cancel(t: number): void {
    this.stateValue = 'normal';
    this.rearmAt = t + this.settings.motion.windowMs;
    this.cancelledScore = this.possibleSignals?.fused ?? 1;
  }

  private whilePossible(t: number, dt: number, posture: PostureSample | null, signals: FallSignals): FallEvent[] {
    const down = posture ? this.isDown(signals) : this.settings.missingCountsAsDown;
    if (down) {
      this.lastDownAt = t;
      this.downMs += dt;
    }
    this.observedMs += dt;
    if (!posture || this.motion.trunkSpeed(t) <= this.settings.stillSpeed) this.stillMs += dt;
    const stillFraction = this.observedMs > 0 ? this.stillMs / this.observedMs : 0;
    // The trigger fires as soon as the fused score crosses the threshold, often mid-fall: keep the strongest evidence.
    const previous = this.possibleSignals ?? signals;
    const trigger: FallSignals =
      signals.kinematic > previous.kinematic
        ? { ...previous, drop: signals.drop, speed: signals.speed, kinematic: signals.kinematic, lying: signals.lying }
        : previous;
    this.possibleSignals = trigger;
    const current: FallSignals = { ...signals, drop: trigger.drop, speed: trigger.speed, stillFraction };

    if (t - this.lastDownAt > this.settings.downGraceMs) {
      this.cancel(t);
      return [{ type: 'fall_cancelled', t, fallAt: this.possibleAt, confidence: 1 - trigger.fused, signals: current }];
    }
    if (t - this.possibleAt < this.settings.confirmMs) return [];
    // Down only now and then (a posture on the border, flickering with noise): not a fall.
    const downFraction = this.observedMs > 0 ? this.downMs / this.observedMs : 0;
    if (downFraction < this.settings.minDownFraction) {
      this.cancel(t);
      return [{ type: 'fall_cancelled', t, fallAt: this.possibleAt, confidence: 1 - trigger.fused, signals: current }];
    }
    // Still moving a lot while down (struggling, or exercising on the floor): wait; getting up cancels it, and the
    // floor monitor reports someone who stays down without settling.
    if (stillFraction < this.settings.minStillFraction) return [];
    this.stateValue = 'fall_confirmed';
    this.upSince = null;
    // Staying down is certain once here (it is required), so it contributes its full quarter.
    const kinematicConfidence = 0.5 * trigger.kinematic + 0.25 + 0.25 * stillFraction;
    const confidence = (1 - this.modelWeight) * kinematicConfidence + this.modelWeight * Math.max(trigger.modelFall, current.modelFall);
    this.possibleSignals = { ...trigger, stillFraction };
    return [{ type: 'fall_confirmed', t, fallAt: this.possibleAt, confidence: Math.min(1, confidence), signals: this.possibleSignals }];
  }

  /** Down: lying (torso towards horizontal, legs not carrying), or hips at the floor line when it is known. */
  private isDown(signals: FallSignals): boolean {
    if (signals.lying >= LYING_DOWN) return true;
    return signals.hipHeight !== null && signals.hipHeight <= this.settings.posture.downHipHeight;
  }

  /** Up (recovered): standing again, or sitting up off the floor (hips at chair height when the floor is known). */
  private isUp(posture: PostureSample | null, signals: FallSignals): boolean {
    if (this.motion.standing(posture)) return true;
    const { posture: settings } = this.settings;
    return posture !== null && posture.tilt <= settings.uprightTilt && signals.hipHeight !== null && signals.hipHeight >= settings.upHipHeight;
  }
}
