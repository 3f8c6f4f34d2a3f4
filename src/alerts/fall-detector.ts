import {
  hipHeight as hipHeightOf,
  measureBody,
  ramp,
  StandingReferenceTracker,
  torsoRatio as torsoRatioOf,
  type BodyMeasures,
  type CanonicalJoint,
  type StandingReference,
} from './body';
import type { MonitoringConfig } from './config';
import type { GroupProbabilities } from './label-groups';

export type FallState = 'normal' | 'possible_fall' | 'fall_confirmed' | 'acknowledged' | 'cooldown';

/** What fired, kept with every event so a carer can see why the alarm went off. */
export interface FallSignals {
  /** Largest hip drop within descent.windowMs, starting near standing height (descent.fromStandingFraction), statures. */
  drop: number;
  /** Torso angle from vertical, degrees (null: torso not visible). */
  torsoAngle: number | null;
  /** Torso length over the standing one (small: torso along the line of sight). */
  torsoRatio: number | null;
  /** Hip height above the floor line, statures (null: no standing reference yet or hips not visible). */
  hipHeight: number | null;
  /** Fraction of the time since the possible fall during which the trunk was still. */
  stillFraction: number;
  /** Model probability of the fall label group (0 when no model output). */
  modelFall: number;
  /** Weight the model got in the fused score (depends on whether the manifest says trained). */
  modelWeight: number;
  /** Kinematic fall score: impact × posture. */
  kinematic: number;
  /** (1 − modelWeight) · kinematic + modelWeight · modelFall. */
  fused: number;
}

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

export interface FallObservation {
  /** Frame time in ms, increasing. */
  t: number;
  /** The person's BlazePose-33 skeleton in canonical coordinates, or null when nobody is seen. */
  joints: readonly CanonicalJoint[] | null;
  /** Latest model output grouped by label group, when a model runs. */
  model?: GroupProbabilities;
}

interface Sample {
  t: number;
  hipHeight: number;
  trunk: { x: number; y: number } | null;
}

/** Trunk motion is measured over this span: frame-to-frame differences would be dominated by landmark jitter. */
const MOTION_SPAN_MS = 500;

/**
 * Fuses a rapid hip descent, a torso turning towards horizontal / hips near the floor, stillness afterwards and the
 * model's fall probability into: normal → possible_fall → fall_confirmed → acknowledged / recovered → cooldown.
 * One fall gives exactly one 'fall_confirmed'. Pure: time comes from the observations.
 */
export class FallDetector {
  private readonly reference: StandingReferenceTracker;
  private readonly settings: MonitoringConfig['fall'];
  private readonly modelWeight: number;
  private samples: Sample[] = [];
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
  /** After a cancelled possible fall, the same descent must not open another one. */
  private rearmAt = 0;
  /** Upright frames not yet learnt from: the reference lags by descent.windowMs so a fall never teaches it. */
  private pendingReference: Array<{ t: number; body: BodyMeasures }> = [];

  constructor(config: MonitoringConfig, options: { modelTrained: boolean }) {
    this.settings = config.fall;
    this.reference = new StandingReferenceTracker(config.fall.reference);
    this.modelWeight = options.modelTrained ? config.fall.model.weightTrained : config.fall.model.weightUntrained;
  }

  get state(): FallState {
    return this.stateValue;
  }

  /** The carer pressed "acknowledge": silence this fall; the person is still watched for recovery. */
  acknowledge(t: number): FallEvent[] {
    if (this.stateValue !== 'fall_confirmed' || !this.possibleSignals) return [];
    this.stateValue = 'acknowledged';
    return [{ type: 'acknowledged', t, confidence: 1, signals: this.possibleSignals }];
  }

  update(observation: FallObservation): FallEvent[] {
    const { t } = observation;
    const dt = this.lastT === null ? 0 : Math.max(0, t - this.lastT);
    this.lastT = t;
    const minVisibility = this.settings.reference.minVisibility;
    const measured = observation.joints ? measureBody(observation.joints, minVisibility) : null;
    // A pose without a visible torso (e.g. fallen half out of the picture) tells nothing: treat it as unseen.
    const body = measured?.hip && measured.torsoAngle !== null ? measured : null;
    const reference = this.reference.current;
    const hipHeight = body && reference ? hipHeightOf(body, reference) : null;
    const signals = this.signals(t, body, reference, hipHeight, observation.model);

    switch (this.stateValue) {
      case 'cooldown':
        if (t >= this.cooldownUntil) this.stateValue = 'normal';
        break;
      case 'normal':
        this.learnReference(t, body);
        if (reference && t >= this.rearmAt && signals.fused >= this.settings.triggerScore) {
          this.pendingReference = [];
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
        return this.whilePossible(t, dt, body, signals);
      case 'fall_confirmed':
      case 'acknowledged':
        if (this.isUp(signals)) {
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

  private cancel(t: number): void {
    this.stateValue = 'normal';
    this.rearmAt = t + this.settings.descent.windowMs;
  }

  private learnReference(t: number, body: BodyMeasures | null): void {
    if (body) this.pendingReference.push({ t, body });
    while (this.pendingReference.length > 0 && this.pendingReference[0]!.t <= t - this.settings.descent.windowMs) {
      this.reference.update(this.pendingReference.shift()!.body);
    }
  }

  private whilePossible(t: number, dt: number, body: BodyMeasures | null, signals: FallSignals): FallEvent[] {
    const down = body ? this.isDown(signals) : this.settings.missingCountsAsDown;
    if (down) {
      this.lastDownAt = t;
      this.downMs += dt;
    }
    this.observedMs += dt;
    if (!body || this.trunkSpeed(t) <= this.settings.stillSpeed) this.stillMs += dt;
    const stillFraction = this.observedMs > 0 ? this.stillMs / this.observedMs : 0;
    // The trigger fires as soon as the fused score crosses the threshold, often mid-fall: keep the strongest evidence.
    const previous = this.possibleSignals ?? signals;
    const trigger: FallSignals =
      signals.kinematic > previous.kinematic ? { ...previous, drop: signals.drop, kinematic: signals.kinematic } : previous;
    this.possibleSignals = trigger;
    const current: FallSignals = { ...signals, drop: trigger.drop, stillFraction };

    if (t - this.lastDownAt > this.settings.downGraceMs) {
      this.cancel(t);
      return [{ type: 'fall_cancelled', t, fallAt: this.possibleAt, confidence: 1 - trigger.fused, signals: current }];
    }
    if (t - this.possibleAt >= this.settings.confirmMs) {
      // Down only now and then (a posture on the border, e.g. a low sofa, flickering with noise): not a fall.
      const downFraction = this.observedMs > 0 ? this.downMs / this.observedMs : 0;
      if (downFraction < this.settings.minDownFraction) {
        this.cancel(t);
        return [{ type: 'fall_cancelled', t, fallAt: this.possibleAt, confidence: 1 - trigger.fused, signals: current }];
      }
    }
    // Still moving a lot while down (struggling, or exercising on the floor): wait; getting up cancels it, and the
    // floor monitor reports someone who stays down without settling.
    if (t - this.possibleAt >= this.settings.confirmMs && stillFraction >= this.settings.minStillFraction) {
      this.stateValue = 'fall_confirmed';
      this.upSince = null;
      // Staying down is certain once here (it is required), so it contributes its full quarter.
      const kinematicConfidence = 0.5 * trigger.kinematic + 0.25 + 0.25 * stillFraction;
      const confidence =
        (1 - this.modelWeight) * kinematicConfidence + this.modelWeight * Math.max(trigger.modelFall, current.modelFall);
      this.possibleSignals = { ...trigger, stillFraction };
      return [
        { type: 'fall_confirmed', t, fallAt: this.possibleAt, confidence: Math.min(1, confidence), signals: this.possibleSignals },
      ];
    }
    return [];
  }

  private signals(
    t: number,
    body: BodyMeasures | null,
    reference: StandingReference | null,
    hipHeight: number | null,
    model?: GroupProbabilities,
  ): FallSignals {
    const windowMs = Math.max(this.settings.descent.windowMs, MOTION_SPAN_MS);
    while (this.samples.length > 0 && this.samples[0]!.t < t - windowMs) this.samples.shift();
    let drop = 0;
    if (hipHeight !== null) {
      // Only a descent that starts from (near) standing height counts: getting down to the floor on purpose goes
      // through kneeling or sitting, so its fast part starts low.
      const fromHipHeight = (reference?.hipHeight ?? 0) * this.settings.descent.fromStandingFraction;
      for (const sample of this.samples) {
        if (sample.t >= t - this.settings.descent.windowMs && sample.hipHeight >= fromHipHeight) {
          drop = Math.max(drop, sample.hipHeight - hipHeight);
        }
      }
      this.samples.push({ t, hipHeight, trunk: body?.trunk ?? null });
    }
    const { descent, posture } = this.settings;
    const impact = ramp(drop, descent.minDrop, descent.fullDrop);
    const angle = body?.torsoAngle ?? null;
    const torsoRatio = body && reference ? torsoRatioOf(body, reference) : null;
    // Hips low but torso upright is what sitting down hard on a low seat looks like through a high camera, so the
    // trigger needs the torso to turn (or foreshorten); low hips alone are left to the floor monitor.
    const kinematic = impact * this.tilt(angle, torsoRatio);
    const modelFall = model?.fall ?? 0;
    const modelWeight = model ? this.modelWeight : 0;
    return {
      drop,
      torsoAngle: angle,
      torsoRatio,
      hipHeight,
      stillFraction: 0,
      modelFall,
      modelWeight,
      kinematic,
      fused: (1 - modelWeight) * kinematic + modelWeight * modelFall,
    };
  }

  /**
   * How far the torso is from upright (0) towards lying (1): turned in the image, or foreshortened because it lies
   * along the camera's line of sight (falling straight towards or away from the camera).
   */
  private tilt(angle: number | null, torsoRatio: number | null): number {
    const { posture } = this.settings;
    return Math.max(
      angle === null ? 0 : ramp(angle, posture.upAngle, posture.downAngle),
      torsoRatio === null ? 0 : ramp(torsoRatio, posture.upTorsoRatio, posture.downTorsoRatio),
    );
  }

  /**
   * Down: hips at the floor, or torso lying with the hips below tiltedHipHeight (perspective makes a body lying
   * away from the camera look higher than it is; bending over while standing keeps the hips higher).
   */
  private isDown(signals: FallSignals): boolean {
    const { posture } = this.settings;
    const { hipHeight } = signals;
    if (hipHeight === null) return false;
    // Half way between the up and down thresholds: a lying torso flickers around the down threshold with noise.
    const lying = this.tilt(signals.torsoAngle, signals.torsoRatio) >= 0.5;
    return hipHeight <= posture.downHipHeight || (lying && hipHeight <= posture.tiltedHipHeight);
  }

  /** Up (recovered): torso upright, not foreshortened, hips at least at chair height. Between down and up: hysteresis. */
  private isUp(signals: FallSignals): boolean {
    const { posture } = this.settings;
    return (
      signals.torsoAngle !== null &&
      signals.torsoAngle <= posture.upAngle &&
      (signals.torsoRatio ?? 1) >= posture.upTorsoRatio &&
      signals.hipHeight !== null &&
      signals.hipHeight >= posture.upHipHeight
    );
  }

  /** Trunk speed in statures per second over the last MOTION_SPAN_MS. */
  private trunkSpeed(t: number): number {
    const reference = this.reference.current;
    const last = this.samples[this.samples.length - 1];
    const past = this.samples.find((sample) => sample.t >= t - MOTION_SPAN_MS);
    if (!reference || !last?.trunk || !past?.trunk || last.t - past.t < MOTION_SPAN_MS / 2) return 0;
    const distance = Math.hypot(last.trunk.x - past.trunk.x, last.trunk.y - past.trunk.y) / reference.stature;
    return distance / ((last.t - past.t) / 1000);
  }
}
