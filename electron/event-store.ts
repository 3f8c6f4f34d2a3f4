import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkCollection, checkRecordKey, COLLECTIONS, type Collection, type RecordStore } from '../src/events/record-store';

const TEMP_SUFFIX = '.tmp';

/**
 * Where one write of a record is staged before its atomic rename; a crash can leave this file behind, never a torn
 * record. Each write has its own (`unique`), so concurrent writes of the same id never share a temp file.
 */
export function tempPathFor(root: string, collection: Collection, id: string, unique: string = randomUUID()): string {
  return join(root, collection, `${id}.json.${unique}${TEMP_SUFFIX}`);
}

/**
 * The Electron backend of the event log and outbox: one JSON file per record under `root/<collection>/`
 * (root = app.getPath('userData')/events). Each write goes to a temp file, is fsynced, renamed over the record and
 * the folder is fsynced, so after a crash (power cut, kill) every record is either its old or its new content, and
 * every put that resolved is on disk. Runs in the main process (plain Node), tested in Node.
 */
export class FileRecordStore implements RecordStore {
  private constructor(private readonly root: string) {}

  /** Creates the folders and removes temp files a crash left behind (writes that never completed). */
  static async open(root: string): Promise<FileRecordStore> {
    for (const collection of COLLECTIONS) {
      const folder = join(root, collection);
      await mkdir(folder, { recursive: true });
      for (const name of await readdir(folder)) {
        if (name.endsWith(TEMP_SUFFIX)) await rm(join(folder, name), { force: true });
      }
    }
    return new FileRecordStore(root);
  }

  async put(collection: Collection, id: string, value: unknown): Promise<void> {
    checkRecordKey(collection, id);
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error(`record store: ${collection}/${id} has no JSON representation`);
    const temp = tempPathFor(this.root, collection, id);
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(text);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.recordPath(collection, id));
    } catch (error) {
      await rm(temp, { force: true }); // a failed write leaves nothing behind
      throw error;
    }
    await syncFolder(join(this.root, collection));
  }

  async get(collection: Collection, id: string): Promise<unknown | null> {
    checkRecordKey(collection, id);
    try {
      return JSON.parse(await readFile(this.recordPath(collection, id), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`record store: cannot read ${collection}/${id}: ${(error as Error).message}`);
    }
  }

  async delete(collection: Collection, id: string): Promise<void> {
    checkRecordKey(collection, id);
    await rm(this.recordPath(collection, id), { force: true });
    await syncFolder(join(this.root, collection));
  }

  async list(collection: Collection): Promise<unknown[]> {
    checkCollection(collection);
    const names = (await readdir(join(this.root, collection))).filter((name) => name.endsWith('.json')).sort();
    const records: unknown[] = [];
    for (const name of names) {
      const record = await this.get(collection, name.slice(0, -'.json'.length));
      if (record !== null) records.push(record);
    }
    return records;
  }

  private recordPath(collection: Collection, id: string): string {
    return join(this.root, collection, `${id}.json`);
  }
}

/** The rename itself is durable only once the folder entry is flushed. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * IPC wiring for electron/main.ts and preload (the platform engineer mounts these): main calls
 * `registerRecordStoreIpc(ipcMain, await FileRecordStore.open(join(app.getPath('userData'), 'events')))`; preload
 * exposes `store: recordStoreBridge(ipcRenderer)` on `window.sentinel`.
 */
export const RECORD_STORE_CHANNELS = {
  put: 'record-store:put',
  get: 'record-store:get',
  delete: 'record-store:delete',
  list: 'record-store:list',
} as const;

interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void;
}
interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
}

export function registerRecordStoreIpc(ipcMain: IpcMainLike, store: RecordStore): void {
  // Arguments come from the renderer: checkRecordKey inside the store validates them before any file access.
  ipcMain.handle(RECORD_STORE_CHANNELS.put, (_event, collection, id, value) => store.put(collection as Collection, String(id), value));
  ipcMain.handle(RECORD_STORE_CHANNELS.get, (_event, collection, id) => store.get(collection as Collection, String(id)));
  ipcMain.handle(RECORD_STORE_CHANNELS.delete, (_event, collection, id) => store.delete(collection as Collection, String(id)));
  ipcMain.handle(RECORD_STORE_CHANNELS.list, (_event, collection) => store.list(collection as Collection));
}

export function recordStoreBridge(ipcRenderer: IpcRendererLike): RecordStore {
  return {
    put: async (collection, id, value) => {
      await ipcRenderer.invoke(RECORD_STORE_CHANNELS.put, collection, id, value);
    },
    get: (collection, id) => ipcRenderer.invoke(RECORD_STORE_CHANNELS.get, collection, id),
    delete: async (collection, id) => {
      await ipcRenderer.invoke(RECORD_STORE_CHANNELS.delete, collection, id);
    },
    list: (collection) => ipcRenderer.invoke(RECORD_STORE_CHANNELS.list, collection) as Promise<unknown[]>,
  };
}
