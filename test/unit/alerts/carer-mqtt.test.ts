// The kiosk's carer link against Debian's mosquitto: plain TCP, a password file, TLS with a test CA, WebSocket; the
// retained status and the last will as a subscriber sees them; a broker that is down when the fall happens.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';
import { eventMessage, statusMessage } from '../../../src/alerts/carer-messages';
import { CarerOutbox, type CarerNotification } from '../../../src/alerts/carer-outbox';
import { CarerRelay, NOT_DELIVERED, type CarerSettings } from '../../../src/alerts/carer-relay';
import type { LookupFunction } from '../../../src/alerts/local-lookup';
import type { MonitoringEvent } from '../../../src/monitoring/monitoring';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import { REPO_ROOT } from '../../../scripts/headless/app-server';
import { freePort, startMosquitto, type Broker } from '../helpers/mosquitto';

const event = (id: string): MonitoringEvent => ({
  id, type: 'fall', t: 0, wallTime: Date.UTC(2026, 0, 1), personId: 1, confidence: 0.87, signals: { drop: 0.4 }, alert: true, message: 'Fall detected',
});
const notification = (id: string): CarerNotification => ({
  source: 'skeleton-sentinel', id, type: 'fall', message: 'Fall detected', time: '2026-01-01T00:00:00.000Z', confidence: 0.87, personId: 1, signals: { drop: 0.4 },
});
const retry = { initialMs: 100, maxMs: 400, factor: 2 };

function carer(url: string, kioskId: string, mqttSettings: Partial<CarerSettings['mqtt']> = {}): CarerSettings {
  const base = resolveMonitoringConfig({ alerts: { carer: { enabled: true, url, kioskId, retry } } }).alerts.carer;
  return { ...base, mqtt: { ...base.mqtt, ...mqttSettings } };
}

interface Seen {
  topic: string;
  payload: unknown;
  retain: boolean;
  /** A QoS 1 redelivery by the broker (e.g. after its restart) of a message it already sent. */
  dup: boolean;
}

/** A subscriber to everything under skeleton-sentinel/ (a persistent session: it gets what was sent while the broker was down). */
async function subscriber(url: string, clientId = `test-${Math.random().toString(36).slice(2)}`) {
  const client: MqttClient = await mqtt.connectAsync(url, { clientId, clean: false, reconnectPeriod: 100 });
  const seen: Seen[] = [];
  client.on('message', (topic, payload, packet) => seen.push({ topic, payload: payload.length ? JSON.parse(payload.toString()) : null, retain: packet.retain, dup: packet.dup }));
  await client.subscribeAsync('skeleton-sentinel/#', { qos: 1 });
  return { client, seen };
}

const until = async (done: () => boolean) => expect.poll(done, { timeout: 20_000, interval: 20 }).toBe(true);
const relays: CarerRelay[] = [];
const newRelay = () => {
  const relay = new CarerRelay({ timeoutMs: 3000, log: () => {} });
  relays.push(relay);
  return relay;
};

let broker: Broker;
beforeAll(async () => {
  broker = await startMosquitto({ users: { kiosk: 'right-password' }, tls: true, refuseAnonymous: false });
});
afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.close()));
  await broker?.stop();
});

describe('carer link to mosquitto', () => {
  it.each([
    ['plain TCP', () => carer(broker.tcpUrl, 'room-tcp')],
    ['a user name and password', () => carer(broker.authUrl!, 'room-auth', { username: 'kiosk', password: 'right-password' })],
    ['TLS with the test CA', () => carer(broker.tlsUrl!, 'room-tls', { caFile: broker.caFile! })],
    ['WebSocket', () => carer(`${broker.wsUrl}mqtt`, 'room-ws')],
  ])('publishes the event (QoS 1) and a retained "online" status over %s', async (_name, settings) => {
    const watcher = await subscriber(broker.tcpUrl);
    const config = settings();
    const relay = newRelay();
    expect(await relay.relay(config, notification('fall-1'))).toEqual({ status: 204, message: 'delivered' });
    await until(() => watcher.seen.some((seen) => seen.topic.endsWith('/event')));
    expect(watcher.seen.filter((seen) => seen.topic === `skeleton-sentinel/${config.kioskId}/event`)).toEqual([
      { topic: `skeleton-sentinel/${config.kioskId}/event`, payload: eventMessage(config.kioskId, notification('fall-1')), retain: false, dup: false },
    ]);
    // A subscriber that comes later is told the kiosk is online (retained).
    const late = await subscriber(broker.tcpUrl);
    await until(() => late.seen.some((seen) => seen.topic === `skeleton-sentinel/${config.kioskId}/status`));
    expect(late.seen.find((seen) => seen.topic === `skeleton-sentinel/${config.kioskId}/status`)).toMatchObject({ payload: { schema: 'skeleton-sentinel/status', version: 1, kioskId: config.kioskId, state: 'online' }, retain: true });
    expect(relay.state(config, 0)).toMatchObject({ channel: 'mqtt', state: 'connected', problem: null, kioskId: config.kioskId });
    await Promise.all([watcher.client.endAsync(), late.client.endAsync()]);
  });

  it('names a wrong password, an untrusted certificate and an unreadable CA file; the network stays generic', async () => {
    const cases: Array<[CarerSettings, RegExp]> = [
      [carer(broker.authUrl!, 'room-bad-password', { username: 'kiosk', password: 'wrong' }), /refused the login \(not authorised\): check alerts\.carer\.mqtt\.username and password/],
      [carer(broker.tlsUrl!, 'room-no-ca'), /TLS certificate this kiosk does not trust .*alerts\.carer\.mqtt\.caFile/],
      [carer(broker.tlsUrl!, 'room-missing-ca', { caFile: '/nonexistent/ca.pem' }), /alerts\.carer\.mqtt\.caFile \/nonexistent\/ca\.pem cannot be read/],
    ];
    for (const [settings, reason] of cases) {
      const relay = newRelay();
      const result = await relay.relay(settings, notification('fall-x'));
      expect(result.status, settings.kioskId).toBe(502);
      expect(result.message, settings.kioskId).toMatch(new RegExp(`^${NOT_DELIVERED}: .*${reason.source}`));
      expect(relay.state(settings, 0)).toMatchObject({ state: 'failing', problem: expect.stringMatching(reason) });
    }
    const closed = newRelay();
    const down = carer(`mqtt://127.0.0.1:${await freePort()}`, 'room-closed-port');
    expect(await closed.relay(down, notification('fall-y'))).toEqual({ status: 502, message: NOT_DELIVERED });
  });

  it('refuses a broker name that resolves outside the local network (DNS rebinding), over TCP and WebSocket', async () => {
    const resolvesTo = (address: string): LookupFunction => (_host, _options, callback) => callback(null, [{ address, family: 4 }]);
    const watcher = await subscriber(broker.tcpUrl);
    const tcpPort = new URL(broker.tcpUrl).port;
    const wsPort = new URL(broker.wsUrl).port;
    for (const [url, kioskId] of [[`mqtt://broker.local:${tcpPort}`, 'room-rebound-tcp'], [`ws://broker.local:${wsPort}/mqtt`, 'room-rebound-ws']] as const) {
      // 0.0.0.0 is not on the local network, yet connecting to it reaches this machine's broker.
      const rebound = new CarerRelay({ lookup: resolvesTo('0.0.0.0'), timeoutMs: 3000, log: () => {} });
      relays.push(rebound);
      const result = await rebound.relay(carer(url, kioskId), notification('rebound'));
      expect(result.status, url).toBe(502);
      expect(result.message, url).toMatch(/broker\.local resolves to 0\.0\.0\.0, which is not on the local network/);
      const local = new CarerRelay({ lookup: resolvesTo('127.0.0.1'), timeoutMs: 3000, log: () => {} });
      relays.push(local);
      expect(await local.relay(carer(url, `${kioskId}-local`), notification('local')), url).toMatchObject({ status: 204 });
    }
    await until(() => watcher.seen.filter((seen) => seen.topic.endsWith('-local/event')).length === 2);
    expect(watcher.seen.filter((seen) => seen.topic.includes('room-rebound') && !seen.topic.includes('-local'))).toEqual([]);
    await watcher.client.endAsync();
  });

  it('a broker down at the time of the fall: the outbox delivers once it is back, and a subscriber sees it once', async () => {
    const watcher = await subscriber(broker.tcpUrl, 'test-outage-watcher');
    const settings = carer(broker.tcpUrl, 'room-outage');
    const relay = newRelay();
    await relay.relay(settings, notification('warm-up'));
    await broker.pause();
    const errors: string[] = [];
    const store = await FileRecordStore.open(await mkdtemp(join(tmpdir(), 'sentinel-outbox-')));
    const outbox = new CarerOutbox(store, async (n) => {
      const result = await relay.relay(settings, n);
      if (result.status !== 204) throw new Error(result.message);
    }, retry, (message) => errors.push(message));
    await outbox.enqueue(event('fall-during-outage'));
    await until(() => errors.length >= 3);
    expect(errors[0]).toMatch(/not delivered \(not delivered\); retrying in 100 ms/);
    await broker.resume();
    await until(() => watcher.seen.some((seen) => (seen.payload as { id?: string } | null)?.id === 'fall-during-outage'));
    // A later message proves the link settled: the outage's one arrived exactly once before it.
    expect(await relay.relay(settings, notification('after-outage'))).toMatchObject({ status: 204 });
    await until(() => watcher.seen.some((seen) => (seen.payload as { id?: string } | null)?.id === 'after-outage'));
    // The restarted broker may redeliver (dup flag) what it had sent before its stop: QoS 1 is at least once, and a
    // subscriber drops an id it has. Every first delivery is there once, in order: the kiosk published each once.
    const events = watcher.seen.filter((seen) => seen.topic === 'skeleton-sentinel/room-outage/event');
    expect(events.filter((seen) => !seen.dup).map((seen) => (seen.payload as { id: string }).id)).toEqual(['warm-up', 'fall-during-outage', 'after-outage']);
    expect(new Set(events.map((seen) => (seen.payload as { id: string }).id))).toEqual(new Set(['warm-up', 'fall-during-outage', 'after-outage']));
    outbox.close();
    await watcher.client.endAsync();
  });

  it('a settings change replaces the link: the old one says goodbye first, so the retained status ends "online"', async () => {
    const watcher = await subscriber(broker.tcpUrl);
    const relay = newRelay();
    const states = () => watcher.seen.filter((seen) => seen.topic === 'skeleton-sentinel/room-resync/status').map((seen) => (seen.payload as { state: string }).state);
    relay.sync(carer(broker.tcpUrl, 'room-resync'));
    await until(() => states().join() === 'online');
    relay.sync(carer(broker.authUrl!, 'room-resync', { username: 'kiosk', password: 'right-password' }));
    await until(() => states().join() === 'online,offline,online');
    const late = await subscriber(broker.tcpUrl);
    await until(() => late.seen.some((seen) => seen.topic === 'skeleton-sentinel/room-resync/status'));
    expect(late.seen.find((seen) => seen.topic === 'skeleton-sentinel/room-resync/status')).toMatchObject({ retain: true, payload: { state: 'online' } });
    await Promise.all([watcher.client.endAsync(), late.client.endAsync()]);
  });

  it('the retained status turns "offline" on a graceful close and, as the last will, when the kiosk dies', async () => {
    const graceful = carer(broker.tcpUrl, 'room-graceful');
    const relay = new CarerRelay({ log: () => {} });
    relay.sync(graceful);
    const watcher = await subscriber(broker.tcpUrl);
    await until(() => watcher.seen.some((seen) => seen.topic === 'skeleton-sentinel/room-graceful/status' && (seen.payload as { state: string }).state === 'online'));
    await relay.close();
    await until(() => watcher.seen.some((seen) => seen.topic === 'skeleton-sentinel/room-graceful/status' && (seen.payload as { state: string }).state === 'offline'));

    const crashing = carer(broker.tcpUrl, 'room-crash');
    const kiosk = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/unit/helpers/kiosk-process.ts'), JSON.stringify(crashing)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await until(() => watcher.seen.some((seen) => seen.topic === 'skeleton-sentinel/room-crash/status' && (seen.payload as { state: string }).state === 'online'));
    const exited = new Promise((resolve) => kiosk.once('exit', resolve));
    kiosk.kill('SIGKILL');
    await exited;
    await until(() => watcher.seen.some((seen) => seen.topic === 'skeleton-sentinel/room-crash/status' && (seen.payload as { state: string }).state === 'offline'));
    // Retained: a station that starts now learns the kiosk is offline.
    const late = await subscriber(broker.tcpUrl);
    await until(() => late.seen.some((seen) => seen.topic === 'skeleton-sentinel/room-crash/status'));
    const status = late.seen.find((seen) => seen.topic === 'skeleton-sentinel/room-crash/status')!;
    expect(status).toMatchObject({ retain: true, payload: { ...statusMessage('room-crash', 'offline', new Date(0)), time: expect.any(String) } });
    await Promise.all([watcher.client.endAsync(), late.client.endAsync()]);
  });
});
