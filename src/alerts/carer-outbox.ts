import type { MonitoringConfig } from '../settings/config';
import type { MonitoringEvent } from '../monitoring/monitoring';
import type { RecordStore } from '../events/record-store';

/** The JSON a carer system receives (HTTP POST body). */
export interface CarerNotification {
  source: 'skeleton-sentinel';
  id: string;
  type: MonitoringEvent['type'];
  message: string;
  time: string;
  confidence: number;
  personId: number | null;
  signals: MonitoringEvent['signals'];
}

/** Hands one notification to the relay (it throws when the carer system did not take it). */
export type CarerTransport = (notification: CarerNotification) => Promise<void>;

interface OutboxItem {
  notification: CarerNotification;
  attempts: number;
}

export function carerNotification(event: MonitoringEvent): CarerNotification {
  return {
    source: 'skeleton-sentinel',
    id: event.id,
    type: event.type,
    message: event.message,
    time: new Date(event.wallTime).toISOString(),
    confidence: event.confidence,
    personId: event.personId,
    signals: event.signals,
  };
}

/**
 * Queue of carer notifications, persisted in the record store until delivered, so a carer system that is down (or
 * an app restart) loses nothing. Delivery runs in the background, oldest first, with exponential back-off; `enqueue`
 * returns as soon as the notification is stored, so the pipeline never waits on the network.
 */
export class CarerOutbox {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private attempt = 0;
  private closed = false;
  /** Something was enqueued while a drain was reading the store: drain again afterwards. */
  private dirty = false;

  constructor(
    private readonly store: RecordStore,
    private readonly transport: CarerTransport,
    private readonly retry: MonitoringConfig['alerts']['carer']['retry'],
    private readonly onError: (message: string) => void,
  ) {}

  /** Delivers whatever a previous run left in the store. */
  start(): void {
    this.kick(0);
  }

  async enqueue(event: MonitoringEvent): Promise<void> {
    const item: OutboxItem = { notification: carerNotification(event), attempts: 0 };
    await this.store.put('outbox', event.id, item);
    if (this.running) this.dirty = true;
    else if (this.timer === null) this.kick(0);
  }

  /** Delay after `failures` consecutive failed deliveries. */
  backoffMs(failures: number): number {
    return Math.min(this.retry.maxMs, this.retry.initialMs * this.retry.factor ** Math.max(0, failures - 1));
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private kick(delayMs: number): void {
    if (this.closed || this.running) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, delayMs);
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.dirty = false;
    try {
      const items = (await this.store.list('outbox')) as OutboxItem[];
      for (const item of items) {
        if (this.closed) return;
        try {
          await this.transport(item.notification);
        } catch (error) {
          this.attempt += 1;
          await this.store.put('outbox', item.notification.id, { ...item, attempts: item.attempts + 1 });
          this.onError(`carer notification not delivered (${(error as Error).message}); retrying in ${this.backoffMs(this.attempt)} ms`);
          this.running = false;
          this.kick(this.backoffMs(this.attempt));
          return;
        }
        this.attempt = 0;
        await this.store.delete('outbox', item.notification.id);
      }
      if (this.dirty) {
        this.running = false;
        this.kick(0);
      }
    } catch (error) {
      this.attempt += 1;
      this.onError(`carer outbox storage failed: ${(error as Error).message}; retrying in ${this.backoffMs(this.attempt)} ms`);
      this.running = false;
      this.kick(this.backoffMs(this.attempt));
    } finally {
      this.running = false;
    }
  }
}
