import { BehaviorSubject, type Observable } from 'rxjs';
import type { Prediction } from '../model/prediction';
import type { PoseFrame } from '../skeleton';
import type { TrackedFrame } from '../window';
import type { AlarmSound } from './alarm-sound';
import type { CarerOutbox } from './carer-outbox';
import type { MonitoringConfig } from '../settings/config';
import type { DesktopNotifier } from './desktop-notifier';
import { ClipRecorder, EventLog, type EventClip } from '../events/event-log';
import { Monitoring, type EventUpdate, type MonitoringEvent, type MonitoringOutput } from '../monitoring/monitoring';
import type { RecordStore } from '../events/record-store';

export interface AlertCenterOptions {
  config: MonitoringConfig;
  store: RecordStore;
  /** The loaded action model (labels in logit order, manifest `trained`), or null when none runs. */
  model: { labels: readonly string[]; trained: boolean } | null;
  /** Outputs; each is optional (null: not used, e.g. sound disabled in the settings). */
  sound: AlarmSound | null;
  notifier: DesktopNotifier | null;
  outbox: CarerOutbox | null;
  /** Gets each alert's skeleton clip once it is complete (for carer stations); null: not shared. */
  shareClip?: (clip: EventClip, eventT: number) => void;
  /** Storage or delivery problems, for the status line (never thrown into the pipeline). */
  onError: (message: string) => void;
  /** Epoch ms; Date.now by default. */
  now?: () => number;
}

/**
 * The alerting side of the app, fed from the pipeline: runs every monitor, logs each event durably with its
 * skeleton clip, sounds the alarm, shows a desktop notification, queues the carer notification, and tracks which
 * alerts wait for acknowledgement. Nothing here blocks the pipeline: storage and delivery run in the background.
 */
export class AlertCenter {
  private readonly monitoring: Monitoring;
  private readonly clips: ClipRecorder;
  private readonly log: EventLog;
  private readonly now: () => number;
  private readonly activeSubject = new BehaviorSubject<readonly MonitoringEvent[]>([]);
  /** Capture time of each alert whose clip is still being recorded, for shareClip. */
  private readonly alertTimes = new Map<string, number>();
  /** Serialises writes so an event's update never overtakes its creation. */
  private writes: Promise<void> = Promise.resolve();

  /** Alerts raised and not yet acknowledged, newest first. */
  readonly active$: Observable<readonly MonitoringEvent[]> = this.activeSubject.asObservable();

  constructor(private readonly options: AlertCenterOptions) {
    const { config } = options;
    this.now = options.now ?? Date.now;
    this.monitoring = new Monitoring(config, options.model, this.now());
    // A fall is reported confirmMs after it happened; its clip still needs the preMs before it.
    this.clips = new ClipRecorder(config.eventLog.preMs, config.eventLog.postMs, config.eventLog.preMs + config.fall.confirmMs + config.eventLog.postMs);
    this.log = new EventLog(options.store);
  }

  get eventLog(): EventLog {
    return this.log;
  }

  /** One pipeline frame: the pose frame (for clips) and its tracked people (for the monitors). */
  frame(frame: PoseFrame, tracked: Pick<TrackedFrame, 't' | 'people'>): void {
    for (const clip of this.clips.push(frame)) this.saveClip(clip);
    this.handle(this.monitoring.frame(tracked, this.now(), frame.people));
  }

  prediction(prediction: Prediction): void {
    this.handle(this.monitoring.prediction(prediction));
  }

  /** The model stage fails: falls are detected from body movement only until its next prediction. */
  modelFailing(): void {
    this.monitoring.modelFailing();
  }

  acknowledge(id: string): void {
    const remaining = this.activeSubject.value.filter((event) => event.id !== id);
    this.activeSubject.next(remaining);
    if (remaining.length === 0) this.options.sound?.stop();
    this.applyUpdates(this.monitoring.acknowledge(id, this.now()));
  }

  /** Stops the sound and stores the clips still waiting for their after-event part (the outbox keeps delivering). */
  async close(): Promise<void> {
    this.options.sound?.stop();
    for (const clip of this.clips.flush()) this.saveClip(clip);
    await this.writes;
  }

  /** Resolves once every write issued so far is durable (tests, shutdown). */
  settled(): Promise<void> {
    return this.writes;
  }

  private handle(output: MonitoringOutput): void {
    for (const event of output.events) {
      this.clips.start(event.id, event.t);
      this.persist(async () => {
        await this.log.record(event);
      });
      if (!event.alert) continue;
      if (this.options.shareClip) this.alertTimes.set(event.id, event.t);
      this.activeSubject.next([event, ...this.activeSubject.value]);
      const { alerts } = this.options.config;
      if (alerts.sound.enabled) this.options.sound?.start();
      if (alerts.desktopNotification) this.options.notifier?.show(event);
      const outbox = this.options.outbox;
      // Not behind the log writes: a slow or failing store must not hold the carer notification back.
      if (alerts.carer.enabled && outbox) void outbox.enqueue(event).catch((error: unknown) => this.options.onError(`carer outbox: ${(error as Error)?.message ?? error}`));
    }
    this.applyUpdates(output.updates);
  }

  private saveClip(clip: EventClip): void {
    this.persist(() => this.log.saveClip(clip));
    const eventT = this.alertTimes.get(clip.id);
    if (eventT === undefined) return;
    this.alertTimes.delete(clip.id);
    this.options.shareClip?.(clip, eventT);
  }

  private applyUpdates(updates: readonly EventUpdate[]): void {
    for (const update of updates) this.persist(() => this.log.apply(update));
  }

  private persist(write: () => Promise<void>): void {
    this.writes = this.writes.then(write).catch((error: unknown) => {
      this.options.onError(`event log: ${(error as Error)?.message ?? error}`);
    });
  }
}
