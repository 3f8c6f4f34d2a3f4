import type { PoseFrame } from '../skeleton';
import type { EventUpdate, MonitoringEvent } from '../monitoring/monitoring';
import type { RecordStore } from './record-store';

/** An event as stored: the event, its lifecycle, and whether its skeleton clip is stored yet. */
export interface LoggedEvent extends MonitoringEvent {
  acknowledgedAt: number | null;
  recoveredAt: number | null;
  /** 'pending' until `postMs` after the event, then 'stored' (or 'none' if no frames were seen); 'deleted' by retention. */
  clip: 'pending' | 'stored' | 'none' | 'deleted';
  /** Size of the stored clip (its JSON), for the retention's size limit; absent in events logged before it. */
  clipBytes?: number;
}

/** Skeletons only, in the recording's PoseFrame format, from `preMs` before to `postMs` after the event. */
export interface EventClip {
  id: string;
  fromT: number;
  toT: number;
  frames: PoseFrame[];
}

/**
 * Ring buffer of recent pose frames. An event asks for the window around its time; the clip is finalised once a
 * frame `postMs` after the event has arrived.
 */
export class ClipRecorder {
  private frames: PoseFrame[] = [];
  private pending: Array<{ id: string; t: number }> = [];

  /** `retainMs` must cover preMs plus the longest delay between an event's time and its report (fall confirmation). */
  constructor(
    private readonly preMs: number,
    private readonly postMs: number,
    private readonly retainMs: number,
  ) {}

  /** Adds a frame; returns the clips that are now complete. */
  push(frame: PoseFrame): EventClip[] {
    this.frames.push(frame);
    const oldest = Math.min(frame.t - this.retainMs, ...this.pending.map((event) => event.t - this.preMs));
    let drop = 0;
    while (drop < this.frames.length && this.frames[drop]!.t < oldest) drop += 1;
    if (drop > 0) this.frames = this.frames.slice(drop);
    const done = this.pending.filter((event) => frame.t >= event.t + this.postMs);
    this.pending = this.pending.filter((event) => frame.t < event.t + this.postMs);
    return done.map((event) => this.clip(event.id, event.t));
  }

  /** Starts a clip around capture time `t`. */
  start(id: string, t: number): void {
    this.pending.push({ id, t });
  }

  /** Clips still waiting for their `postMs` (e.g. when the app closes): cut them short. */
  flush(): EventClip[] {
    const clips = this.pending.map((event) => this.clip(event.id, event.t));
    this.pending = [];
    return clips;
  }

  private clip(id: string, t: number): EventClip {
    const fromT = t - this.preMs;
    const toT = t + this.postMs;
    return { id, fromT, toT, frames: this.frames.filter((frame) => frame.t >= fromT && frame.t <= toT) };
  }
}

/** The durable event log on a RecordStore. Every method resolves once the change is durable. */
export class EventLog {
  constructor(private readonly store: RecordStore) {}

  async record(event: MonitoringEvent): Promise<LoggedEvent> {
    const logged: LoggedEvent = { ...event, acknowledgedAt: null, recoveredAt: null, clip: 'pending' };
    await this.store.put('events', event.id, logged);
    return logged;
  }

  async saveClip(clip: EventClip): Promise<void> {
    if (clip.frames.length > 0) await this.store.put('clips', clip.id, clip);
    await this.patch(clip.id, clip.frames.length > 0 ? { clip: 'stored', clipBytes: JSON.stringify(clip).length } : { clip: 'none' });
  }

  /** The stored clip's size; measured (and noted) for an event logged before sizes were. */
  async clipBytes(event: LoggedEvent): Promise<number> {
    if (event.clipBytes !== undefined) return event.clipBytes;
    const record = await this.store.get('clips', event.id);
    event.clipBytes = record === null ? 0 : JSON.stringify(record).length;
    await this.patch(event.id, { clipBytes: event.clipBytes });
    return event.clipBytes;
  }

  /** Retention: the clip goes, the event stays and says so. */
  async deleteClip(id: string): Promise<void> {
    await this.store.delete('clips', id);
    await this.patch(id, { clip: 'deleted', clipBytes: 0 });
  }

  /** Retention: the event and its clip go. */
  async deleteEvent(id: string): Promise<void> {
    await this.store.delete('clips', id);
    await this.store.delete('events', id);
  }

  async apply(update: EventUpdate): Promise<void> {
    await this.patch(update.id, update.change === 'acknowledged' ? { acknowledgedAt: update.wallTime } : { recoveredAt: update.wallTime });
  }

  /** All events, newest first. */
  async list(): Promise<LoggedEvent[]> {
    const records = await this.store.list('events');
    return records.filter(isLoggedEvent).sort((a, b) => b.wallTime - a.wallTime);
  }

  async clip(id: string): Promise<EventClip | null> {
    const record = await this.store.get('clips', id);
    return record && typeof record === 'object' && Array.isArray((record as EventClip).frames) ? (record as EventClip) : null;
  }

  private async patch(id: string, change: Partial<LoggedEvent>): Promise<void> {
    const current = await this.store.get('events', id);
    if (!isLoggedEvent(current)) throw new Error(`event log: no event "${id}"`);
    await this.store.put('events', id, { ...current, ...change });
  }
}

function isLoggedEvent(value: unknown): value is LoggedEvent {
  return typeof value === 'object' && value !== null && typeof (value as LoggedEvent).id === 'string' && typeof (value as LoggedEvent).wallTime === 'number';
}
