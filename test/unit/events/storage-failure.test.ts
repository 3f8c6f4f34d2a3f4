// Alerts do not depend on storage: a store that cannot be opened or refuses writes (a folder replaced by a file:
// every write fails with ENOTDIR, as on a full or broken disk) still gives alarms and carer notifications, keeps the
// events in memory, reports it, and writes them once storage works again.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';
import { AlertCenter } from '../../../src/alerts/alert-center';
import { CarerOutbox, type CarerNotification } from '../../../src/alerts/carer-outbox';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import { EventLog } from '../../../src/events/event-log';
import { FallbackRecordStore } from '../../../src/events/fallback-store';
import type { MonitoringEvent } from '../../../src/monitoring/monitoring';
import { steps as s } from '../../../eval/synthetic';
import { render, track } from '../helpers/scenarios';

/** Replaces a collection's folder by a file, so every write to it fails; returns the function that repairs it. */
async function breakCollection(root: string, collection: string): Promise<() => Promise<void>> {
  await rm(join(root, collection), { recursive: true, force: true });
  await writeFile(join(root, collection), 'not a folder');
  return async () => {
    await rm(join(root, collection), { force: true });
    await mkdir(join(root, collection));
  };
}

describe('FallbackRecordStore', () => {
  it('works in memory while the durable store cannot be opened, and writes everything once it opens', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sentinel-fallback-'));
    let openable = false;
    const problems: Array<string | null> = [];
    const store = await FallbackRecordStore.open(
      () => (openable ? FileRecordStore.open(root) : Promise.reject(new Error('IndexedDB is disabled'))),
      { retryMs: 60_000, onProblem: (reason) => problems.push(reason) },
    );
    try {
      expect(problems).toEqual(['IndexedDB is disabled (retried every 60 s)']);
      await store.put('events', 'b', { id: 'b', wallTime: 2 });
      await store.put('events', 'a', { id: 'a', wallTime: 1 });
      await store.delete('events', 'b');
      expect(await store.list('events')).toEqual([{ id: 'a', wallTime: 1 }]);
      expect(await store.get('events', 'a')).toEqual({ id: 'a', wallTime: 1 });
      openable = true;
      await store.retry();
      expect(problems.at(-1)).toBeNull();
      expect(store.pendingCount).toBe(0);
      const durable = await FileRecordStore.open(root);
      expect(await durable.list('events')).toEqual([{ id: 'a', wallTime: 1 }]);
      await expect(store.put('events', '../escape', {})).rejects.toThrow(/invalid id/);
    } finally {
      store.close();
    }
  });
});

describe('FallbackRecordStore while it writes back', () => {
  it('a newer change of a record that arrives during the retry is kept and written, not dropped', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sentinel-fallback-race-'));
    const files = await FileRecordStore.open(root);
    const repair = await breakCollection(root, 'events');
    const store = await FallbackRecordStore.open(async () => files, { retryMs: 60_000, onProblem: () => {} });
    try {
      await store.put('events', 'a', { id: 'a', version: 1 }); // refused: kept in memory
      await repair();
      const retrying = store.retry();
      await store.put('events', 'a', { id: 'a', version: 2 }); // arrives while version 1 is being written
      await retrying;
      await store.retry();
      expect(await store.get('events', 'a')).toEqual({ id: 'a', version: 2 });
      expect(await files.get('events', 'a')).toEqual({ id: 'a', version: 2 });
      expect(store.pendingCount).toBe(0);
    } finally {
      store.close();
    }
  });
});

describe('AlertCenter on failing storage', () => {
  it('raises the fall alarm and notifies the carer while every write fails, then logs the fall once storage is back', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sentinel-broken-'));
    const durable = await FileRecordStore.open(root);
    const repairs = await Promise.all(['events', 'clips', 'outbox'].map((collection) => breakCollection(root, collection)));
    const problems: Array<string | null> = [];
    const store = await FallbackRecordStore.open(async () => durable, { retryMs: 60_000, onProblem: (reason) => problems.push(reason) });
    const config = resolveMonitoringConfig({ alerts: { carer: { enabled: true, url: 'http://192.168.1.20/alarm' } } });
    const delivered: CarerNotification[] = [];
    const errors: string[] = [];
    const outbox = new CarerOutbox(store, async (notification) => void delivered.push(notification), config.alerts.carer.retry, (m) => errors.push(m));
    const frames = render([s.hold(3000), s.fallForward(), s.lie(12000)], 90);
    const tracked = track(frames);
    const center = new AlertCenter({ config, store, model: null, sound: null, notifier: null, outbox, onError: (m) => errors.push(m), now: () => Date.UTC(2026, 0, 5) });
    let active: readonly MonitoringEvent[] = [];
    center.active$.subscribe((list) => (active = list));
    try {
      frames.forEach((frame, index) => center.frame(frame, tracked[index]!));
      await center.settled();
      expect(active.map((event) => event.type)).toEqual(['fall']);
      await expect.poll(() => delivered.map((notification) => notification.id)).toEqual([active[0]!.id]);
      expect(problems[0]).toMatch(/ENOTDIR|not a directory/);
      expect(errors).toEqual([]);
      expect(await center.eventLog.list()).toMatchObject([{ id: active[0]!.id, clip: 'stored' }]);

      for (const repair of repairs) await repair();
      await store.retry();
      expect(problems.at(-1)).toBeNull();
      const logged = await new EventLog(await FileRecordStore.open(root)).list();
      expect(logged).toMatchObject([{ id: active[0]!.id, type: 'fall', clip: 'stored' }]);
      expect(await durable.list('outbox')).toEqual([]);
    } finally {
      outbox.close();
      store.close();
      await center.close();
    }
  });
});
