import type { Prediction } from '../model/prediction';
import type { Person } from '../skeleton';
import type { TrackedFrame } from '../window';
import { measureBody } from './body';
import type { MonitoringConfig } from '../settings/config';
import { FallDetector, type FallEvent } from './fall-detector';
import { groupIndexer, type GroupProbabilities } from './label-groups';
import { AbsenceMonitor, FloorMonitor, HeldActionMonitor, type MonitorFinding } from './monitors';

export type AlertReason = 'fall' | 'on_floor' | 'absence' | 'held_action';
/** Everything the event log records: alerts, plus near falls (a possible fall that was cancelled). */
export type EventType = AlertReason | 'near_fall';

export type SignalValue = number | string | boolean | null;

/** One thing that happened, as alerts, the event log and the carer notification see it. */
export interface MonitoringEvent {
  id: string;
  type: EventType;
  /** Capture-clock time (ms) of the moment it happened (for a fall: the fall, not its confirmation). */
  t: number;
  /** Epoch ms of that moment. */
  wallTime: number;
  personId: number | null;
  confidence: number;
  signals: Record<string, SignalValue>;
  /** Whether it raises an alert (sound, notification, carer); near falls are only logged. */
  alert: boolean;
  message: string;
}

/** Lifecycle updates of an event already reported. */
export interface EventUpdate {
  id: string;
  change: 'acknowledged' | 'recovered';
  wallTime: number;
}

export interface MonitoringOutput {
  events: MonitoringEvent[];
  updates: EventUpdate[];
}

const MESSAGES: Record<EventType, string> = {
  fall: 'Fall detected: the person went down fast and has not got up.',
  near_fall: 'Near fall: a fast drop, but the person got up again.',
  on_floor: 'Person on the floor for a long time.',
  absence: 'Nobody has been seen for a long time.',
  held_action: 'Requested action held (e.g. waving for help).',
};

interface PersonState {
  fall: FallDetector;
  floor: FloorMonitor;
  held: HeldActionMonitor;
  model?: GroupProbabilities;
  /** Capture time of the prediction `model` came from. */
  modelAt: number;
  /** Id of the fall event now open for this person (acknowledge / recover target). */
  openFallId: string | null;
  lastSeen: number;
}

/** A person unseen this long (capture clock) with nothing open is forgotten: the tracker gave them a new id. */
export const FORGET_AFTER_MS = 5 * 60_000;

/**
 * A model output older than this (capture clock) no longer counts: a hung or crashed model worker leaves the
 * fall detector on body movement alone instead of on a stale, possibly low, model score. Predictions normally come
 * every window stride (about 0.3 s).
 */
export const MODEL_STALE_MS = 3000;

/**
 * All monitors for a camera: per tracked person (the pipeline's tracker id, the same as Prediction.personId) a fall
 * detector, floor monitor and held-action monitor, plus room-wide absence. Pure; time comes from the frames.
 */
export class Monitoring {
  private readonly people = new Map<number, PersonState>();
  private readonly absence: AbsenceMonitor;
  private readonly groups: ((probabilities: ArrayLike<number>) => GroupProbabilities) | null;
  private clockOffset = 0;
  private sequence = 0;

  constructor(
    private readonly config: MonitoringConfig,
    private readonly model: { labels: readonly string[]; trained: boolean } | null,
    startedAtWallTime: number,
  ) {
    this.absence = new AbsenceMonitor(config.absence, startedAtWallTime);
    this.groups = model ? groupIndexer(model.labels) : null;
  }

  /**
   * The pipeline's tracked frame (BlazePose-33 canonical poses, capture clock `t`) seen at epoch ms `wallTime`;
   * `poses` are the pose frame's people (the tracked people's `index`), whose world landmarks the fall detector uses.
   */
  frame(frame: Pick<TrackedFrame, 't' | 'people'>, wallTime: number, poses?: readonly Pick<Person, 'world'>[]): MonitoringOutput {
    this.clockOffset = wallTime - frame.t;
    const output: MonitoringOutput = { events: [], updates: [] };
    const absent = this.absence.update(wallTime, frame.people.length > 0);
    if (absent) output.events.push(this.event('absence', { ...absent, t: frame.t }, null));
    const seen = new Set<number>();
    for (const { id, index, canonical } of frame.people) {
      seen.add(id);
      const state = this.person(id);
      state.lastSeen = frame.t;
      const model = frame.t - state.modelAt <= MODEL_STALE_MS ? state.model : undefined;
      this.handleFall(state, id, state.fall.update({ t: frame.t, joints: canonical, world: poses?.[index]?.world ?? null, model }), output);
      const onFloor = state.floor.update(frame.t, measureBody(canonical, this.config.fall.reference.minVisibility));
      if (onFloor) output.events.push(this.event('on_floor', onFloor, id));
    }
    for (const [id, state] of this.people) {
      if (seen.has(id)) continue;
      this.handleFall(state, id, state.fall.update({ t: frame.t, joints: null }), output);
      state.floor.update(frame.t, null);
      const idle = state.fall.state === 'normal' || state.fall.state === 'cooldown';
      if (idle && frame.t - state.lastSeen > FORGET_AFTER_MS) this.people.delete(id);
    }
    return output;
  }

  prediction(prediction: Prediction): MonitoringOutput {
    const output: MonitoringOutput = { events: [], updates: [] };
    if (!this.groups) return output;
    const state = this.person(prediction.personId);
    // A prediction that is not a probability distribution (a corrupt model past the output check) is no model.
    const usable = prediction.probabilities.length === this.model!.labels.length && prediction.probabilities.every(Number.isFinite);
    if (!usable) {
      state.model = undefined;
      return output;
    }
    state.model = this.groups(prediction.probabilities);
    state.modelAt = prediction.t;
    const held = state.held.update(prediction.t, prediction.probabilities);
    if (held) output.events.push(this.event('held_action', held, prediction.personId));
    return output;
  }

  /** The model stage reported a failure: until its next good prediction, falls are detected from body movement only. */
  modelFailing(): void {
    for (const state of this.people.values()) state.model = undefined;
  }

  /** The carer acknowledged an event. Falls stop alerting but their person stays watched for recovery. */
  acknowledge(id: string, wallTime: number): EventUpdate[] {
    for (const state of this.people.values()) {
      if (state.openFallId === id) state.fall.acknowledge(wallTime - this.clockOffset);
    }
    return [{ id, change: 'acknowledged', wallTime }];
  }

  private person(personId: number): PersonState {
    let state = this.people.get(personId);
    if (!state) {
      const labels = this.model?.labels ?? [];
      state = {
        fall: new FallDetector(this.config, { modelTrained: this.model?.trained ?? false }),
        floor: new FloorMonitor(this.config.floor, this.config.fall),
        held: new HeldActionMonitor(this.model ? this.config.heldAction : { ...this.config.heldAction, enabled: false }, labels),
        openFallId: null,
        modelAt: -Infinity,
        lastSeen: -Infinity,
      };
      this.people.set(personId, state);
    }
    return state;
  }

  private handleFall(state: PersonState, personId: number, events: FallEvent[], output: MonitoringOutput): void {
    if (!this.config.fall.enabled) return;
    for (const fallEvent of events) {
      const signals = { ...fallEvent.signals, state: fallEvent.type };
      if (fallEvent.type === 'fall_confirmed') {
        const event = this.event('fall', { t: fallEvent.fallAt ?? fallEvent.t, confidence: fallEvent.confidence, signals }, personId);
        state.openFallId = event.id;
        output.events.push(event);
      } else if (fallEvent.type === 'fall_cancelled') {
        output.events.push(this.event('near_fall', { t: fallEvent.fallAt ?? fallEvent.t, confidence: fallEvent.confidence, signals }, personId));
      } else if (fallEvent.type === 'recovered' && state.openFallId) {
        output.updates.push({ id: state.openFallId, change: 'recovered', wallTime: fallEvent.t + this.clockOffset });
        state.openFallId = null;
      }
    }
  }

  private event(type: EventType, finding: MonitorFinding, personId: number | null): MonitoringEvent {
    const wallTime = finding.t + this.clockOffset;
    this.sequence += 1;
    return {
      id: `${new Date(wallTime).toISOString().replace(/[:.]/g, '-')}-${type}-${this.sequence}`,
      type,
      t: finding.t,
      wallTime,
      personId,
      confidence: finding.confidence,
      signals: finding.signals,
      alert: type !== 'near_fall',
      message: MESSAGES[type],
    };
  }
}
