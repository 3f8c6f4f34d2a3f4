import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';
import { CarerOutbox, type CarerNotification } from '../../../src/alerts/carer-outbox';
import type { MonitoringEvent } from '../../../src/monitoring/monitoring';

const retry = { initialMs: 2000, maxMs: 10_000, factor: 2 };
const event = (id: string): MonitoringEvent => ({
  id, type: 'fall', t: 0, wallTime: Date.UTC(2026, 0, 1), personId: 0, confidence: 0.9, signals: { drop: 0.4 }, alert: true, message: 'Fall',
});
const openStore = async () => FileRecordStore.open(await mkdtemp(join(tmpdir(), 'sentinel-outbox-')));
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lets file I/O (fsync: slow) finish and fires due fake timers until `done()`; gives up after 10 s of real time. */
async function runUntil(done: () => boolean): Promise<void> {
  const giveUpAt = performance.now() + 10_000;
  while (!done() && performance.now() < giveUpAt) {
    if (vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
    else await turn();
  }
  expect(done()).toBe(true);
}

afterEach(() => vi.useRealTimers());

describe('CarerOutbox with a carer system that is down', () => {
  it('retries with exponential back-off (capped), then delivers and empties the persisted queue', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const store = await openStore();
    const calls: number[] = [];
    const delivered: CarerNotification[] = [];
    const errors: string[] = [];
    const transport = async (notification: CarerNotification) => {
      calls.push(Date.now());
      if (calls.length <= 5) throw new Error('connection refused');
      delivered.push(notification);
    };
    const outbox = new CarerOutbox(store, transport, retry, (message) => errors.push(message));
    await outbox.enqueue(event('fall-1'));
    await runUntil(() => delivered.length === 1);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
    expect(gaps).toEqual([2000, 4000, 8000, 10_000, 10_000]);
    expect(errors[0]).toMatch(/not delivered \(connection refused\); retrying in 2000 ms/);
    expect(delivered[0]).toMatchObject({ source: 'skeleton-sentinel', id: 'fall-1', type: 'fall', time: '2026-01-01T00:00:00.000Z' });
    // The delivered item is deleted after delivery (rm + folder fsync): give that I/O time.
    let remaining = await store.list('outbox');
    for (const giveUpAt = performance.now() + 10_000; remaining.length > 0 && performance.now() < giveUpAt; remaining = await store.list('outbox')) await turn();
    expect(remaining).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    outbox.close();
  });

  it('keeps the queue across a restart and delivers it, in order, when the target is back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const store = await openStore();
    let failures = 0;
    const down = new CarerOutbox(store, async () => Promise.reject(new Error('down')), retry, () => (failures += 1));
    await down.enqueue(event('a-first'));
    await down.enqueue(event('b-second'));
    await runUntil(() => failures === 1);
    down.close(); // the app stops while the carer system is down
    expect(((await store.list('outbox')) as Array<{ attempts: number }>).map((item) => item.attempts)).toEqual([1, 0]);

    const received: string[] = [];
    const up = new CarerOutbox(store, async (notification) => void received.push(notification.id), retry, () => {});
    up.start();
    await runUntil(() => received.length === 2);
    expect(received).toEqual(['a-first', 'b-second']);
    up.close();
  });

  it('never blocks the caller: enqueue resolves while the target hangs', async () => {
    const store = await openStore();
    let started = false;
    const outbox = new CarerOutbox(store, () => ((started = true), new Promise<void>(() => {})), retry, () => {});
    await outbox.enqueue(event('hung'));
    await vi.waitFor(() => expect(started).toBe(true));
    expect(await store.list('outbox')).toHaveLength(1);
    outbox.close();
  });
});
