import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';

const freshRoot = () => mkdtemp(join(tmpdir(), 'sentinel-writes-'));

describe('FileRecordStore temp files', () => {
  it('concurrent writes of the same id each stage their own temp file: all resolve, one wins whole, none is left', async () => {
    const root = await freshRoot();
    const store = await FileRecordStore.open(root);
    const values = Array.from({ length: 25 }, (_, n) => ({ n, text: 'x'.repeat(10_000 + n) }));
    await Promise.all(values.map((value) => store.put('events', 'same', value)));
    const stored = (await store.get('events', 'same')) as { n: number; text: string };
    expect(stored).toEqual(values[stored.n]);
    expect(await readdir(join(root, 'events'))).toEqual(['same.json']);
  });

  it('a write that fails removes its temp file', async () => {
    const root = await freshRoot();
    const store = await FileRecordStore.open(root);
    // A folder where the record file should be: the rename over it fails (EISDIR) after the temp file was written.
    await mkdir(join(root, 'events', 'blocked.json'));
    await expect(store.put('events', 'blocked', { n: 1 })).rejects.toThrow(/EISDIR|EEXIST|ENOTEMPTY|directory/i);
    expect(await readdir(join(root, 'events'))).toEqual(['blocked.json']);
  });
});
