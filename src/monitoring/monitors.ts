import { hipHeight, StandingReferenceTracker, type BodyMeasures } from './body';
import { parseClock, type MonitoringConfig } from '../settings/config';

/** A monitor's finding; Monitoring turns it into a MonitoringEvent. */
export interface MonitorFinding {
  /** Capture-clock ms (AbsenceMonitor, which runs on the wall clock, gives epoch ms; Monitoring re-times it). */
  t: number;
  confidence: number;
  signals: Record<string, number | string | null>;
}

/** While-standing frames teach the floor line; then hips near it for `afterMs` mean the person is on the floor. */
export class FloorMonitor {
  private readonly reference: StandingReferenceTracker;
  private floorSince: number | null = null;
  private alerted = false;

  constructor(
    private readonly settings: MonitoringConfig['floor'],
    private readonly fall: MonitoringConfig['fall'],
  ) {
    this.reference = new StandingReferenceTracker(fall.reference);
  }

  /** `body` is null when the person is not seen in this frame. */
  update(t: number, body: BodyMeasures | null): MonitorFinding | null {
    if (!this.settings.enabled) return null;
    const reference = this.reference.current;
    const height = body && reference ? hipHeight(body, reference) : null;
    // Only clearly getting up stops the timer: noisy frames between the bands, or frames in which the person is
    // hidden (e.g. behind the bed they fell beside), change nothing.
    if (height !== null && height <= this.settings.hipHeight) {
      this.floorSince ??= t;
    } else if (height !== null && height >= this.fall.posture.upHipHeight) {
      this.floorSince = null;
      this.alerted = false;
    }
    if (body) this.reference.update(body);
    if (this.floorSince !== null && !this.alerted && t - this.floorSince >= this.settings.afterMs) {
      this.alerted = true;
      return { t, confidence: 0.9, signals: { onFloorMs: t - this.floorSince, hipHeight: height } };
    }
    return null;
  }
}

/** Nobody seen for `afterMs` of configured hours (wall clock, local time; hours may wrap past midnight). */
export class AbsenceMonitor {
  private lastSeen: number;
  private alerted = false;
  private readonly from: number;
  private readonly to: number;

  constructor(
    private readonly settings: MonitoringConfig['absence'],
    startedAt: number,
  ) {
    this.lastSeen = startedAt;
    this.from = parseClock(settings.hours.from, 'absence.hours.from');
    this.to = parseClock(settings.hours.to, 'absence.hours.to');
  }

  /** `wallTime`: epoch ms of the frame. */
  update(wallTime: number, personSeen: boolean): MonitorFinding | null {
    if (!this.settings.enabled) return null;
    if (personSeen) {
      this.lastSeen = wallTime;
      this.alerted = false;
      return null;
    }
    const windowStart = this.activeWindowStart(wallTime);
    if (windowStart === null || this.alerted) return null;
    const absentMs = wallTime - Math.max(this.lastSeen, windowStart);
    if (absentMs < this.settings.afterMs) return null;
    this.alerted = true;
    return { t: wallTime, confidence: 1, signals: { absentMs, lastSeen: this.lastSeen } };
  }

  /** Epoch ms when the monitored hours containing `wallTime` began, or null outside them. */
  private activeWindowStart(wallTime: number): number | null {
    const date = new Date(wallTime);
    const minute = date.getHours() * 60 + date.getMinutes();
    const midnight = new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
    const at = (dayOffset: number, minutes: number) =>
      new Date(date.getFullYear(), date.getMonth(), date.getDate() + dayOffset, 0, minutes).getTime();
    if (this.from === this.to) return midnight; // all day
    if (this.from < this.to) return minute >= this.from && minute < this.to ? at(0, this.from) : null;
    if (minute >= this.from) return at(0, this.from);
    return minute < this.to ? at(-1, this.from) : null;
  }
}

/** A chosen action label (e.g. waving for help) held with probability ≥ minProbability for `afterMs`. */
export class HeldActionMonitor {
  private since: number | null = null;
  private alerted = false;
  private readonly labelIndex: number;

  constructor(
    private readonly settings: MonitoringConfig['heldAction'],
    modelLabels: readonly string[],
  ) {
    this.labelIndex = modelLabels.indexOf(settings.label);
    if (settings.enabled && this.labelIndex < 0) {
      throw new Error(`monitoring.heldAction.label "${settings.label}" is not a label of the model (${modelLabels.join(', ')})`);
    }
  }

  update(t: number, probabilities: ArrayLike<number>): MonitorFinding | null {
    if (!this.settings.enabled) return null;
    const p = probabilities[this.labelIndex] ?? 0;
    if (p < this.settings.minProbability) {
      this.since = null;
      this.alerted = false;
      return null;
    }
    this.since ??= t;
    if (this.alerted || t - this.since < this.settings.afterMs) return null;
    this.alerted = true;
    return { t, confidence: p, signals: { label: this.settings.label, probability: p, heldMs: t - this.since } };
  }
}
