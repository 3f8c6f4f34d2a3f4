import { checkCollection, checkRecordKey, COLLECTIONS, type Collection, type RecordStore } from './record-store';

const DATABASE = 'skeleton-sentinel-events';
const VERSION = 1;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * Browser backend of the event log and outbox: one object store per collection. Writes use 'strict' durability,
 * so a put resolves only after the browser has flushed it to disk (Chromium honours it; others treat it as a hint).
 */
export class IndexedDbRecordStore implements RecordStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(factory: IDBFactory = indexedDB, name = DATABASE): Promise<IndexedDbRecordStore> {
    const opening = factory.open(name, VERSION);
    opening.onupgradeneeded = () => {
      for (const collection of COLLECTIONS) {
        if (!opening.result.objectStoreNames.contains(collection)) opening.result.createObjectStore(collection);
      }
    };
    try {
      return new IndexedDbRecordStore(await request(opening));
    } catch (error) {
      throw new Error(`the event log cannot open its browser storage (IndexedDB): ${(error as Error)?.message ?? error}`);
    }
  }

  put(collection: Collection, id: string, value: unknown): Promise<void> {
    checkRecordKey(collection, id);
    return this.write(collection, (store) => store.put(value, id));
  }

  delete(collection: Collection, id: string): Promise<void> {
    checkRecordKey(collection, id);
    return this.write(collection, (store) => store.delete(id));
  }

  async get(collection: Collection, id: string): Promise<unknown | null> {
    checkRecordKey(collection, id);
    const value = await request(this.db.transaction(collection, 'readonly').objectStore(collection).get(id));
    return value ?? null;
  }

  /** Keys sort as strings in IndexedDB, so getAll is already in id order. */
  list(collection: Collection): Promise<unknown[]> {
    checkCollection(collection);
    return request(this.db.transaction(collection, 'readonly').objectStore(collection).getAll());
  }

  close(): void {
    this.db.close();
  }

  private write(collection: Collection, change: (store: IDBObjectStore) => IDBRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      const transaction = this.db.transaction(collection, 'readwrite', { durability: 'strict' });
      change(transaction.objectStore(collection));
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write aborted (storage full?)'));
    });
  }
}

/** The store for this renderer: Electron's file store through the preload bridge when present, else IndexedDB. */
export async function openRecordStore(): Promise<RecordStore> {
  const bridge = (globalThis as { sentinel?: { store?: RecordStore } }).sentinel;
  return bridge?.store ?? IndexedDbRecordStore.open();
}
