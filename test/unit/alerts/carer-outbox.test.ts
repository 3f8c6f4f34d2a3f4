import { createServer, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';
import { CarerOutbox, type CarerNotification } from '../../../src/alerts/carer-outbox';
import { handleNotifyRequest, httpRelayTransport, relayToCarer } from '../../../src/alerts/carer-relay';
import type { MonitoringEvent } from '../../../src/alerts/monitoring';

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

describe('carer relay (the only way out of the renderer)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });
  const listen = (server: Server, port = 0) =>
    new Promise<number>((resolve) => {
      servers.push(server);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });

  it('refuses targets outside the local network and malformed requests', async () => {
    const notification = { id: 'x' } as CarerNotification;
    expect((await relayToCarer({ url: 'https://carer.example.com/hook', notification })).status).toBe(403);
    expect((await relayToCarer({ url: 'http://8.8.8.8/hook', notification })).status).toBe(403);
    expect((await relayToCarer({ url: 42 })).status).toBe(400);
    expect((await relayToCarer(null)).status).toBe(400);
  });

  it('renderer → /api/notify → carer system over real HTTP, target down first, delivered once it is up', async () => {
    const relayPort = await listen(createServer((req, res) => void handleNotifyRequest(req, res)));
    const probe = createServer();
    const carerPort = await listen(probe);
    await new Promise((resolve) => probe.close(resolve)); // the carer system is down: nothing listens on its port
    servers.splice(servers.indexOf(probe), 1);

    const received: unknown[] = [];
    const errors: string[] = [];
    const transport = httpRelayTransport(`http://127.0.0.1:${carerPort}/alarm`, fetch, `http://127.0.0.1:${relayPort}/api/notify`);
    const outbox = new CarerOutbox(await openStore(), transport, { initialMs: 20, maxMs: 100, factor: 2 }, (message) => errors.push(message));
    await outbox.enqueue(event('fall-http'));
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    expect(errors[0]).toMatch(/relay answered 502.*unreachable/);

    const carer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method, path: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    await listen(carer, carerPort);
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 5000 });
    expect(received[0]).toMatchObject({ method: 'POST', path: '/alarm', type: 'application/json', body: { id: 'fall-http', type: 'fall' } });
    outbox.close();
  });
});
