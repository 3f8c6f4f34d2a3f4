// The carer webhook against a real node:http receiver on a loopback port: the HMAC-SHA256 signature a receiver
// checks with the shared secret, and the outbox retrying with back-off until the receiver takes the message.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileRecordStore } from '../../../electron/event-store';
import { CarerOutbox } from '../../../src/alerts/carer-outbox';
import { CarerRelay, type CarerSettings } from '../../../src/alerts/carer-relay';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../../src/alerts/webhook';
import type { MonitoringEvent } from '../../../src/monitoring/monitoring';
import { resolveMonitoringConfig } from '../../../src/settings/config';

const SECRET = 'a shared secret only the kiosk and the receiver know';
const retry = { initialMs: 50, maxMs: 200, factor: 2 };
const event: MonitoringEvent = {
  id: 'fall-7', type: 'fall', t: 0, wallTime: Date.UTC(2026, 0, 1), personId: 2, confidence: 0.8, signals: { drop: 0.5 }, alert: true, message: 'Fall detected',
};

/** What a receiver does: recompute the HMAC over "timestamp.body" and compare in constant time. */
function signatureIsValid(headers: IncomingHttpHeaders, body: string, secret: string): boolean {
  const timestamp = headers[TIMESTAMP_HEADER];
  const signature = headers[SIGNATURE_HEADER];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A receiver answering `statuses` in turn (then 200), recording every request. */
async function receiver(statuses: number[] = []) {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const settings = (url: string, secret: string): CarerSettings =>
  resolveMonitoringConfig({ alerts: { carer: { enabled: true, url, kioskId: 'room-7', webhook: { secret }, retry } } }).alerts.carer;

describe('carer webhook', () => {
  it('signs the body with HMAC-SHA256 of the shared secret; a receiver with another secret rejects it', async () => {
    const hook = await receiver();
    const relay = new CarerRelay({ log: () => {} });
    const notification = { source: 'skeleton-sentinel', id: 'fall-1', type: 'fall', message: 'Fall', time: '2026-01-01T00:00:00.000Z', confidence: 0.9, personId: 0, signals: {} };
    expect(await relay.relay(settings(hook.url, SECRET), notification)).toMatchObject({ status: 204 });
    const [request] = hook.received;
    expect(request!.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Math.abs(Number(request!.headers[TIMESTAMP_HEADER]) - Date.now() / 1000)).toBeLessThan(3600);
    expect(signatureIsValid(request!.headers, request!.body, SECRET)).toBe(true);
    expect(signatureIsValid(request!.headers, request!.body, 'another secret')).toBe(false);
    expect(signatureIsValid(request!.headers, request!.body.replace('"fall-1"', '"fall-2"'), SECRET)).toBe(false);
    // No secret set: no signature (the receiver can tell an unsigned webhook from a forged one only with a secret).
    expect(await relay.relay(settings(hook.url, ''), notification)).toMatchObject({ status: 204 });
    expect(hook.received[1]!.headers[SIGNATURE_HEADER]).toBeUndefined();
  });

  it('retries from the durable outbox with back-off until the receiver takes it; every try is signed', async () => {
    const hook = await receiver([503, 500]);
    const relay = new CarerRelay({ log: () => {} });
    const errors: string[] = [];
    const store = await FileRecordStore.open(await mkdtemp(join(tmpdir(), 'sentinel-webhook-')));
    const outbox = new CarerOutbox(store, async (notification) => {
      const result = await relay.relay(settings(hook.url, SECRET), notification);
      if (result.status !== 204) throw new Error(result.message);
    }, retry, (message) => errors.push(message));
    await outbox.enqueue(event);
    await expect.poll(() => hook.received.length, { timeout: 10_000 }).toBe(3);
    await expect.poll(async () => (await store.list('outbox')).length, { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([
      'carer notification not delivered (not delivered); retrying in 50 ms',
      'carer notification not delivered (not delivered); retrying in 100 ms',
    ]);
    for (const { headers, body } of hook.received) {
      expect(signatureIsValid(headers, body, SECRET)).toBe(true);
      expect(JSON.parse(body)).toMatchObject({ schema: 'skeleton-sentinel/event', version: 1, kioskId: 'room-7', id: 'fall-7', type: 'fall', personId: 2, confidence: 0.8 });
    }
    outbox.close();
  });
});
