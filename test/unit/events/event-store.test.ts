import { spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRecordStore, recordStoreBridge, registerRecordStoreIpc, tempPathFor } from '../../../electron/event-store';

const freshRoot = () => mkdtemp(join(tmpdir(), 'sentinel-events-'));

describe('FileRecordStore (Electron event log backend)', () => {
  it('stores, lists in id order, overwrites and deletes records', async () => {
    const store = await FileRecordStore.open(await freshRoot());
    await store.put('events', 'b', { n: 2 });
    await store.put('events', 'a', { n: 1 });
    await store.put('events', 'b', { n: 3 });
    expect(await store.list('events')).toEqual([{ n: 1 }, { n: 3 }]);
    expect(await store.get('events', 'missing')).toBeNull();
    await store.delete('events', 'a');
    expect(await store.list('events')).toEqual([{ n: 3 }]);
    expect(await store.list('outbox')).toEqual([]);
  });

  it('refuses ids and collections that could escape its folder', async () => {
    const store = await FileRecordStore.open(await freshRoot());
    await expect(store.put('events', '../../etc/passwd', {})).rejects.toThrow(/invalid id/);
    await expect(store.put('secrets' as 'events', 'a', {})).rejects.toThrow(/unknown collection "secrets"/);
  });

  it('crash between write and rename: reopening discards the staged write and keeps every acknowledged record', async () => {
    const root = await freshRoot();
    const store = await FileRecordStore.open(root);
    await store.put('events', 'kept', { version: 1 });
    // What a crash after the temp file was written but before the rename leaves behind: a complete staged file
    // for an update of 'kept' and a torn one for a record whose put never resolved.
    await writeFile(tempPathFor(root, 'events', 'kept'), JSON.stringify({ version: 2 }));
    await writeFile(tempPathFor(root, 'events', 'never-acknowledged'), '{"version": 1, "trunc');
    const reopened = await FileRecordStore.open(root);
    expect(await reopened.list('events')).toEqual([{ version: 1 }]);
    expect(await readdir(join(root, 'events'))).toEqual(['kept.json']);
  });

  it('a process killed (SIGKILL) while writing leaves a readable log with every acknowledged record', async () => {
    const root = await freshRoot();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/crash-writer.ts'), root], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 40) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(stderr).toBe('');
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    const records = (await (await FileRecordStore.open(root)).list('events')) as Array<{ id: string }>;
    const ids = records.map((record) => record.id);
    for (const id of acknowledged) expect(ids).toContain(id);
    // At most the one write in flight at the kill may have completed without being acknowledged.
    expect(ids.length - acknowledged.length).toBeLessThanOrEqual(1);
  });

  it('the IPC bridge and handlers connect a renderer to the store', async () => {
    const store = await FileRecordStore.open(await freshRoot());
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    registerRecordStoreIpc({ handle: (channel, listener) => handlers.set(channel, listener) }, store);
    const bridge = recordStoreBridge({ invoke: async (channel, ...args) => handlers.get(channel)!({}, ...args) });
    await bridge.put('outbox', 'n1', { body: 'x' });
    expect(await bridge.get('outbox', 'n1')).toEqual({ body: 'x' });
    expect(await bridge.list('outbox')).toEqual([{ body: 'x' }]);
    await bridge.delete('outbox', 'n1');
    expect(await store.list('outbox')).toEqual([]);
  });
});
