import { checkRecordKey, type Collection, type RecordStore } from './record-store';

/** What the durable store refused, kept until it takes it: a record to write, or an id to delete. */
type PendingChange = { collection: Collection; id: string; value: unknown } | { collection: Collection; id: string; deleted: true };

/** Skeleton clips are large (about 1 MB each): while storage fails, only the newest this many are kept in memory. */
export const MAX_CLIPS_IN_MEMORY = 20;

const key = (collection: Collection, id: string) => `${collection}/${id}`;

/** The id of a stored record: events and clips carry `id`, outbox items `notification.id`. */
function recordId(value: unknown): string | undefined {
  const record = value as { id?: unknown; notification?: { id?: unknown } } | null;
  const id = record?.id ?? record?.notification?.id;
  return typeof id === 'string' ? id : undefined;
}

export interface FallbackOptions {
  /** How often refused changes (and a store that could not be opened) are tried again, ms. */
  retryMs: number;
  /** The reason while the durable store fails, null once everything kept in memory is written. */
  onProblem: (reason: string | null) => void;
}

/**
 * Alerts never depend on storage: a RecordStore over the durable one (IndexedDB or the Electron file store) that
 * keeps in memory whatever that store cannot open or write, answers reads from it, and writes it again every
 * `retryMs`, oldest first. A put therefore resolves once the record is durable or, when storage fails, kept in
 * memory and reported: the event log, the carer outbox and the alarms go on either way.
 */
export class FallbackRecordStore implements RecordStore {
  private readonly pending = new Map<string, PendingChange>();
  private durable: RecordStore | null = null;
  private timer: ReturnType<typeof setInterval>;
  private flushing = false;
  private failing = false;

  constructor(
    private readonly openDurable: () => Promise<RecordStore>,
    private readonly options: FallbackOptions,
  ) {
    this.timer = setInterval(() => void this.retry(), options.retryMs);
  }

  /** Opens the durable store; when that fails it is reported and tried again every retryMs. */
  static async open(openDurable: () => Promise<RecordStore>, options: FallbackOptions): Promise<FallbackRecordStore> {
    const store = new FallbackRecordStore(openDurable, options);
    await store.retry();
    return store;
  }

  /** Changes kept in memory, not yet durable. */
  get pendingCount(): number {
    return this.pending.size;
  }

  async put(collection: Collection, id: string, value: unknown): Promise<void> {
    await this.change({ collection, id, value });
  }

  async delete(collection: Collection, id: string): Promise<void> {
    await this.change({ collection, id, deleted: true });
  }

  async get(collection: Collection, id: string): Promise<unknown | null> {
    const pending = this.pending.get(key(collection, id));
    if (pending) return 'deleted' in pending ? null : pending.value;
    return (await this.durable?.get(collection, id).catch(() => null)) ?? null;
  }

  async list(collection: Collection): Promise<unknown[]> {
    const durable = (await this.durable?.list(collection).catch(() => [])) ?? [];
    const kept = [...this.pending.values()].filter((change) => change.collection === collection);
    const overridden = new Set(kept.map((change) => change.id));
    const records = durable.filter((record) => !overridden.has(recordId(record) ?? ''));
    for (const change of kept) if (!('deleted' in change)) records.push(change.value);
    return records.sort((a, b) => (recordId(a) ?? '').localeCompare(recordId(b) ?? ''));
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Writes what is kept in memory; opens the durable store first if it is not open. */
  async retry(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      this.durable ??= await this.openDurable();
      for (const [name, change] of this.pending) {
        await this.write(this.durable, change);
        // A newer change of the same record that arrived meanwhile stays (and is written later in this loop).
        if (this.pending.get(name) === change) this.pending.delete(name);
      }
      if (this.failing) this.options.onProblem(null);
      this.failing = false;
    } catch (error) {
      this.report(error);
    } finally {
      this.flushing = false;
    }
  }

  private async change(change: PendingChange): Promise<void> {
    checkRecordKey(change.collection, change.id);
    const name = key(change.collection, change.id);
    const durable = this.durable;
    // Behind an older change of the same record that is still kept: keep this one too, in its place.
    if (durable && !this.pending.has(name)) {
      try {
        return await this.write(durable, change);
      } catch (error) {
        this.report(error);
      }
    }
    this.pending.delete(name);
    this.pending.set(name, change);
    const clips = [...this.pending.keys()].filter((pending) => pending.startsWith('clips/'));
    for (const dropped of clips.slice(0, Math.max(0, clips.length - MAX_CLIPS_IN_MEMORY))) this.pending.delete(dropped);
  }

  private write(durable: RecordStore, change: PendingChange): Promise<void> {
    return 'deleted' in change ? durable.delete(change.collection, change.id) : durable.put(change.collection, change.id, change.value);
  }

  private report(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failing = true;
    this.options.onProblem(`${message} (retried every ${this.options.retryMs / 1000} s)`);
  }
}
