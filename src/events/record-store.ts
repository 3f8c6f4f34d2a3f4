/**
 * Durable storage of the event log and the carer outbox. Two backends with this one interface: IndexedDB in the
 * browser (src/events/indexeddb-store.ts) and files in the app's data folder in Electron (electron/event-store.ts,
 * reached from the renderer through the preload bridge `window.sentinel.store`, which has this same shape).
 * `put` resolves only once the record is durable: a record whose put resolved survives a crash.
 */
export interface RecordStore {
  put(collection: Collection, id: string, value: unknown): Promise<void>;
  get(collection: Collection, id: string): Promise<unknown | null>;
  delete(collection: Collection, id: string): Promise<void>;
  /** All records of a collection, ordered by id. */
  list(collection: Collection): Promise<unknown[]>;
}

/** events: event summaries (small, listed often); clips: skeleton clips by event id; outbox: undelivered carer notifications. */
export const COLLECTIONS = ['events', 'clips', 'outbox'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export function checkCollection(collection: string): asserts collection is Collection {
  if (!(COLLECTIONS as readonly string[]).includes(collection)) {
    throw new Error(`record store: unknown collection "${collection}" (known: ${COLLECTIONS.join(', ')})`);
  }
}

/** Ids become file names in the Electron backend, and arrive over IPC: allow only a safe alphabet. */
export function checkRecordKey(collection: string, id: string): asserts collection is Collection {
  checkCollection(collection);
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/.test(id)) {
    throw new Error(`record store: invalid id "${id}" (letters, digits, ".", "_" and "-" only, at most 200)`);
  }
}
