// The carer relay's webhook against real servers on loopback ports: an HTTP carer system, one that redirects, a
// DNS rebinding played through the resolver. MQTT: carer-mqtt.test.ts; signatures and retries: carer-webhook.test.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventMessage } from '../../../src/alerts/carer-messages';
import type { CarerNotification } from '../../../src/alerts/carer-outbox';
import { CarerRelay, NOT_DELIVERED } from '../../../src/alerts/carer-relay';
import { localOnlyLookup, type LookupFunction } from '../../../src/alerts/local-lookup';
import { resolveMonitoringConfig } from '../../../src/settings/config';

const notification: CarerNotification = {
  source: 'skeleton-sentinel', id: 'fall-1', type: 'fall', message: 'Fall', time: '2026-01-01T00:00:00.000Z',
  confidence: 0.9, personId: 0, signals: { drop: 0.4 },
};

interface Received {
  method?: string;
  path?: string;
  type?: string;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server on a free loopback port; returns its port and what it received. */
async function serve(answer: (request: IncomingMessage, response: ServerResponse) => void = (_q, r) => void r.writeHead(200).end()) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, type: request.headers['content-type'], body });
      answer(request, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received };
}

/** A resolver that answers `address` for every name (what a rebinding DNS server would do). */
const resolvesTo = (address: string): LookupFunction => (_host, _options, callback) => callback(null, [{ address, family: 4 }]);

/** The settings for `target` (null: carer notifications off); the URL is not validated, to play old settings files. */
function carerSettings(target: string | null) {
  const carer = resolveMonitoringConfig({ alerts: { carer: { kioskId: 'room-1' } } }).alerts.carer;
  return target === null ? carer : { ...carer, enabled: true, url: target };
}

async function relay(target: string | null, body: unknown = notification, lookup?: LookupFunction) {
  const log: string[] = [];
  const relayer = new CarerRelay({ lookup, timeoutMs: 2000, log: (message) => log.push(message) });
  const result = await relayer.relay(carerSettings(target), body);
  await relayer.close();
  return { result, log };
}

describe('carer relay over HTTP', () => {
  it('POSTs the versioned event message (with the kiosk id, no image) to the configured target', async () => {
    const carer = await serve();
    const { result } = await relay(`http://127.0.0.1:${carer.port}/alarm`);
    expect(result).toEqual({ status: 204, message: 'delivered' });
    expect(carer.received).toHaveLength(1);
    expect(carer.received[0]).toMatchObject({ method: 'POST', path: '/alarm', type: 'application/json' });
    expect(JSON.parse(carer.received[0]!.body)).toEqual(eventMessage('room-1', notification));
    expect(JSON.parse(carer.received[0]!.body)).toMatchObject({ schema: 'skeleton-sentinel/event', version: 1, kioskId: 'room-1', id: 'fall-1', type: 'fall', personId: 0, confidence: 0.9 });
  });

  it('relays nothing but a notification, and nothing when carer notifications are off', async () => {
    const carer = await serve();
    expect((await relay(`http://127.0.0.1:${carer.port}/`, { url: 'http://127.0.0.1/evil' })).result.status).toBe(400);
    expect((await relay(`http://127.0.0.1:${carer.port}/`, null)).result.status).toBe(400);
    const off = await relay(null);
    expect(off.result).toEqual({ status: 502, message: NOT_DELIVERED });
    expect(off.log[0]).toMatch(/carer notifications are off/);
    expect(carer.received).toEqual([]);
  });

  it('refuses a target outside the local network without contacting it', async () => {
    for (const target of ['https://carer.example.com/hook', 'http://8.8.8.8/hook', 'http://0.0.0.0/hook', 'ftp://192.168.1.2/']) {
      const { result, log } = await relay(target);
      expect(result, target).toEqual({ status: 502, message: NOT_DELIVERED });
      expect(log[0]).toMatch(/not an http\(s\), mqtt\(s\) or ws\(s\) address on the local network/);
    }
  });

  it.each([307, 308, 302])('does not follow a %i redirect (to 0.0.0.0, which reaches this machine, or to loopback)', async (status) => {
    const elsewhere = await serve();
    for (const location of [`http://0.0.0.0:${elsewhere.port}/`, `http://127.0.0.1:${elsewhere.port}/`]) {
      const redirecting = await serve((_request, response) => void response.writeHead(status, { location }).end());
      const { result, log } = await relay(`http://127.0.0.1:${redirecting.port}/alarm`);
      expect(result).toEqual({ status: 502, message: NOT_DELIVERED });
      expect(log[0]).toMatch(new RegExp(`answered ${status}; redirects are not followed`));
      expect(redirecting.received).toHaveLength(1);
    }
    expect(elsewhere.received).toEqual([]);
  });

  it('refuses a local name that now resolves outside the local network (DNS rebinding)', async () => {
    const carer = await serve();
    // 0.0.0.0 is not a local-network address, yet connecting to it reaches this machine: the server below would
    // receive the notification if the resolved address were not checked.
    const rebound = await relay(`http://carer.local:${carer.port}/alarm`, notification, resolvesTo('0.0.0.0'));
    expect(rebound.result).toEqual({ status: 502, message: NOT_DELIVERED });
    expect(rebound.log[0]).toMatch(/carer.local resolves to 0.0.0.0, which is not on the local network/);
    expect(carer.received).toEqual([]);
    // The same name resolving to a local address is delivered.
    expect((await relay(`http://carer.local:${carer.port}/alarm`, notification, resolvesTo('127.0.0.1'))).result.status).toBe(204);
    expect(carer.received).toHaveLength(1);
  });

  it('answers a closed port, an error status and a hung server alike; the log tells them apart', async () => {
    const closed = await serve();
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const failing = await serve((_request, response) => void response.writeHead(500).end());
    const hung = await serve(() => {});
    const results = await Promise.all([closed, failing, hung].map(({ port }) => relay(`http://127.0.0.1:${port}/alarm`)));
    for (const { result } of results) expect(result).toEqual({ status: 502, message: NOT_DELIVERED });
    expect(results.map(({ log }) => log[0])).toEqual([
      expect.stringMatching(/ECONNREFUSED/),
      expect.stringMatching(/answered 500/),
      expect.stringMatching(/no answer within 2000 ms/),
    ]);
  });

  it('the local-only resolver passes local answers through in the form asked for', async () => {
    const lookup = localOnlyLookup(resolvesTo('192.168.1.20'));
    const one = await new Promise((resolve) => lookup('carer.local', { family: 4 }, (error, address, family) => resolve({ error, address, family })));
    expect(one).toEqual({ error: null, address: '192.168.1.20', family: 4 });
    const all = await new Promise((resolve) => lookup('carer.local', { all: true }, (_error, addresses) => resolve(addresses)));
    expect(all).toEqual([{ address: '192.168.1.20', family: 4 }]);
  });
});

